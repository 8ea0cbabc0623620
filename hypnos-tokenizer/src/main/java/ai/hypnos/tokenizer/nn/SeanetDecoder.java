package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.TokenizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal SEANet decoder, the mirror of {@link SeanetEncoder}: conv k=7 (D→F·2ⁿ); per ratio
 * (reversed): the activation, a causal transposed conv (k = r·multiplier, stride r, C→C/2) and
 * residual units; a final conv k=7 to C_out with no norm and no activation before it (as the
 * reference).
 *
 * <p>Reference names: {@code initial_conv.*}, {@code stages.<i>.1.*} (transposed conv; 0 is the
 * activation), {@code stages.<i>.<2+j>.*} (residual units), {@code final_conv.conv.*}.
 */
public final class SeanetDecoder extends NamedBlock {
    private final Activation activation;
    private final CausalConv1d initialConv;
    private final List<CausalConvTranspose1d> upsamples = new ArrayList<>();
    private final List<List<SeanetResnetBlock>> residuals = new ArrayList<>();
    private final CausalConv1d finalConv;
    private final int hop;
    private final int outChannels;

    public SeanetDecoder(TokenizerConfig c, Rng rng) {
        this.activation = c.activation;
        this.hop = c.hopLength();
        this.outChannels = c.inChannels;
        int channels = c.nFilters << c.ratios.length;
        this.initialConv = child("initial_conv",
                new CausalConv1d(c.embedDim, channels, c.kernelSize, 1, 1, c.norm, c.padMode, rng));
        for (int i = 0; i < c.ratios.length; i++) {
            int r = c.ratios[c.ratios.length - 1 - i];
            int next = channels / 2;
            upsamples.add(child("stages." + i + ".1",
                    new CausalConvTranspose1d(channels, next, r * c.strideKernelMultiplier, r, c.norm, rng)));
            List<SeanetResnetBlock> units = new ArrayList<>();
            for (int j = 0; j < c.nResidualLayers; j++) {
                int dilation = c.dilationBase > 1 ? (int) Math.pow(c.dilationBase, j) : 1;
                units.add(child("stages." + i + "." + (2 + j),
                        new SeanetResnetBlock(next, dilation, c.activation, c.norm, c.padMode, rng)));
            }
            residuals.add(units);
            channels = next;
        }
        this.finalConv = child("final_conv",
                new CausalConv1d(channels, c.inChannels, c.kernelSize, 1, 1, ConvNorm.NONE, c.padMode, rng));
    }

    /** {@code z} [B, S, D] → signal [B, C_out, S·hop]. */
    @Override
    public NDArray forward(NDArray z) {
        return forward(z, null);
    }

    /** As {@link #forward(NDArray)}, continuing the sequence in {@code state} if given. */
    public NDArray forward(NDArray z, StreamState state) {
        NDArray h = Scope.run(z, in -> initialConv.forward(in.transpose(0, 2, 1), state));
        for (int i = 0; i < upsamples.size(); i++) {
            CausalConvTranspose1d up = upsamples.get(i);
            h = Scope.run(h, in -> up.forward(activation.apply(in), state));
            for (SeanetResnetBlock unit : residuals.get(i)) {
                h = Scope.run(h, in -> unit.forward(in, state));
            }
        }
        return Scope.run(h, in -> finalConv.forward(in, state));
    }

    /**
     * Whether a sequence may start with {@code frames} frames: every conv that pads by reflection
     * must get more inputs than it reflects (the first conv, at one frame per token, is the
     * tightest: kernel 7 needs 7 frames).
     */
    public boolean acceptsSequence(long frames) {
        long len = frames;
        if (len < initialConv.minimumStartLength()) {
            return false;
        }
        for (int i = 0; i < upsamples.size(); i++) {
            len *= upsamples.get(i).stride();
            for (SeanetResnetBlock unit : residuals.get(i)) {
                if (!unit.acceptsSequence(len)) {
                    return false;
                }
            }
        }
        return len >= finalConv.minimumStartLength();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, in.get(1) * hop)};
    }
}

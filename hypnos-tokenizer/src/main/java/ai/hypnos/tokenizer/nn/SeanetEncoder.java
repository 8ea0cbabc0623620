package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.TokenizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal SEANet encoder (DESIGN §5): conv k=7 (C_in→F); per stride ratio r: residual units with
 * dilations base^j, the activation, and a strided conv (k = r·multiplier, stride r, C→2C); a
 * final conv (k = last_kernel_size) to D.
 *
 * <p>{@link #forward(NDArray)} is the reference's whole-signal encoder: it right-pads the signal
 * with one token of zeros and drops the first output frame, so token t depends on samples up to
 * (t+1)·hop (the first sample of the next token — one sample of look-ahead, by design). Frame j
 * of {@link #frames} depends on samples up to j·hop, apart from the left reflection of each conv
 * at the start of the sequence, which lets the first frames see a little further
 * ({@code ReceptiveField} computes exactly how far).
 *
 * <p>Reference names: {@code initial_conv.*}, {@code stages.<i>.<j>.*} (residual units
 * j &lt; n, activation at n, strided conv at n+1), {@code final_conv.*}.
 */
public final class SeanetEncoder extends NamedBlock {
    private final int hop;
    private final Activation activation;
    private final CausalConv1d initialConv;
    private final List<List<SeanetResnetBlock>> residuals = new ArrayList<>();
    private final List<CausalConv1d> downsamples = new ArrayList<>();
    private final CausalConv1d finalConv;
    private final int embedDim;

    public SeanetEncoder(TokenizerConfig c, Rng rng) {
        this.hop = c.hopLength();
        this.activation = c.activation;
        this.embedDim = c.embedDim;
        this.initialConv = child("initial_conv",
                new CausalConv1d(c.inChannels, c.nFilters, c.kernelSize, 1, 1, c.norm, c.padMode, rng));
        int channels = c.nFilters;
        for (int i = 0; i < c.ratios.length; i++) {
            int r = c.ratios[i];
            List<SeanetResnetBlock> units = new ArrayList<>();
            for (int j = 0; j < c.nResidualLayers; j++) {
                int dilation = c.dilationBase > 1 ? (int) Math.pow(c.dilationBase, j) : 1;
                units.add(child("stages." + i + "." + j,
                        new SeanetResnetBlock(channels, dilation, c.activation, c.norm, c.padMode, rng)));
            }
            residuals.add(units);
            downsamples.add(child("stages." + i + "." + (c.nResidualLayers + 1),
                    new CausalConv1d(channels, channels * 2, r * c.strideKernelMultiplier, r, 1, c.norm, c.padMode, rng)));
            channels *= 2;
        }
        this.finalConv = child("final_conv",
                new CausalConv1d(channels, c.embedDim, c.lastKernelSize, 1, 1, c.norm, c.padMode, rng));
    }

    /** Samples per output frame. */
    public int hopLength() {
        return hop;
    }

    /**
     * The reference encoder on whole signals: {@code x} [B, C_in, T] → [B, ⌈T/hop⌉, D] (right pad
     * of hop zeros, first frame dropped).
     */
    @Override
    public NDArray forward(NDArray x) {
        NDArray zeros = x.getManager().zeros(new Shape(x.getShape().get(0), x.getShape().get(1), hop), x.getDataType());
        NDArray padded = NDArrays.concat(new NDList(x, zeros), 2);
        NDArray f = frames(padded, null);
        return f.transpose(0, 2, 1).get(new NDIndex(":, 1:, :"));
    }

    /**
     * Encoder frames [B, D, n] of {@code x} [B, C_in, L], continuing the sequence in
     * {@code state} (null: x is a whole sequence). Each layer runs in its own scope.
     */
    public NDArray frames(NDArray x, StreamState state) {
        NDArray h = Scope.run(x, in -> initialConv.forward(in, state));
        for (int i = 0; i < downsamples.size(); i++) {
            for (SeanetResnetBlock unit : residuals.get(i)) {
                h = Scope.run(h, in -> unit.forward(in, state));
            }
            CausalConv1d down = downsamples.get(i);
            h = Scope.run(h, in -> down.forward(activation.apply(in), state));
        }
        return Scope.run(h, in -> finalConv.forward(in, state));
    }

    /**
     * Whether {@link #frames} can start a sequence with {@code samples} inputs: every conv that
     * pads by reflection must get more inputs than it reflects. (For {@link #forward(NDArray)}
     * pass the signal's length plus the hop it appends.)
     */
    public boolean acceptsSequence(long samples) {
        long len = samples;
        if (len < initialConv.minimumStartLength()) {
            return false;
        }
        len = initialConv.outputLength(len);
        for (int i = 0; i < downsamples.size(); i++) {
            for (SeanetResnetBlock unit : residuals.get(i)) {
                if (!unit.acceptsSequence(len)) {
                    return false;
                }
            }
            CausalConv1d down = downsamples.get(i);
            if (len < down.minimumStartLength()) {
                return false;
            }
            len = down.outputLength(len);
        }
        return len >= finalConv.minimumStartLength();
    }

    /**
     * For each frame of a whole sequence of {@code length} samples, the last sample it depends
     * on (see {@link CausalConv1d#lastSampleNeeded}).
     */
    public int[] lastSampleNeeded(int length) {
        int[] d = new int[length];
        for (int i = 0; i < length; i++) {
            d[i] = i;
        }
        d = initialConv.lastSampleNeeded(d);
        for (int i = 0; i < downsamples.size(); i++) {
            for (SeanetResnetBlock unit : residuals.get(i)) {
                d = unit.lastSampleNeeded(d);
            }
            d = downsamples.get(i).lastSampleNeeded(d);
        }
        return finalConv.lastSampleNeeded(d);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), (in.get(2) + hop - 1) / hop, embedDim)};
    }
}

package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.tokenizer.Rng;

/**
 * SEANet residual unit: x + conv₁(act(conv₃,d(act(x)))), where conv₃,d is a causal k=3 conv with
 * dilation d from C to C/2 channels and conv₁ a k=1 conv back to C. Reference names
 * {@code block.1.*} and {@code block.3.*} (positions 0 and 2 of its {@code nn.Sequential} are the
 * activations).
 */
public final class SeanetResnetBlock extends NamedBlock {
    private final Activation activation;
    private final CausalConv1d dilated;
    private final CausalConv1d pointwise;

    public SeanetResnetBlock(int dim, int dilation, Activation activation, ConvNorm norm, PadMode padMode, Rng rng) {
        if (dim < 2) {
            throw new IllegalArgumentException("residual block needs at least 2 channels, got " + dim);
        }
        this.activation = activation;
        int hidden = dim / 2;
        this.dilated = child("block.1", new CausalConv1d(dim, hidden, 3, 1, dilation, norm, padMode, rng));
        this.pointwise = child("block.3", new CausalConv1d(hidden, dim, 1, 1, 1, norm, padMode, rng));
    }

    @Override
    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    public NDArray forward(NDArray x, StreamState state) {
        NDArray h = dilated.forward(activation.apply(x), state);
        h = pointwise.forward(activation.apply(h), state);
        return x.add(h);
    }

    /** Whether a sequence may start with {@code length} inputs (see {@link CausalConv1d#minimumStartLength()}). */
    public boolean acceptsSequence(long length) {
        return length >= dilated.minimumStartLength() && length >= pointwise.minimumStartLength();
    }

    /** See {@link CausalConv1d#lastSampleNeeded}: the sum depends on both paths. */
    public int[] lastSampleNeeded(int[] in) {
        int[] h = pointwise.lastSampleNeeded(dilated.lastSampleNeeded(in));
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.max(in[i], h[i]);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

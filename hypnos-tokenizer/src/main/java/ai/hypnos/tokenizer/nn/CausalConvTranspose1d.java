package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.hypnos.tokenizer.Rng;

/**
 * A causal transposed 1-D convolution (the reference's {@code SConvTranspose1d} with
 * {@code causal=True}): PyTorch's {@code ConvTranspose1d(stride=r, padding=0)} with the last
 * k−r outputs trimmed, so L inputs give exactly L·r outputs and output block i depends on
 * inputs up to i.
 *
 * <p>DJL 0.36's {@code conv1dTranspose} is not implemented, and zero-insertion would spend r×
 * the work on zeros, so this computes it directly: one matmul gives every input frame's
 * contribution Z[i] = xᵢᵀ·W (C_out × k values), split into m = ⌈k/r⌉ blocks of r; output block
 * i is Σⱼ Zⱼ[i−j] (overlap-add). Streaming keeps the last m−1 input frames; a sequence starts
 * from zeros (there is nothing before it).
 *
 * <p>Reference names: {@code conv.weight} [C_in, C_out, k] or, under weight norm,
 * {@code conv.parametrizations.weight.original0} (g, [C_in,1,1]; the norm is over all
 * dimensions but the first, which for a transposed conv is C_in) and {@code .original1} (v);
 * {@code conv.bias} [C_out]; {@code norm.*} as {@link CausalConv1d}.
 */
public final class CausalConvTranspose1d extends NamedBlock {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int blocks;
    private final ConvNorm norm;

    private final Parameter weight;
    private final Parameter gain;
    private final Parameter bias;
    private final Parameter normWeight;
    private final Parameter normBias;

    public CausalConvTranspose1d(int inChannels, int outChannels, int kernel, int stride, ConvNorm norm, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("bad transposed conv geometry: in " + inChannels + ", out "
                    + outChannels + ", kernel " + kernel + ", stride " + stride);
        }
        if (kernel < stride) {
            throw new IllegalArgumentException("kernel " + kernel + " < stride " + stride + " leaves gaps in the output");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.blocks = (kernel + stride - 1) / stride;
        this.norm = norm;
        // PyTorch computes a transposed conv's fan-in from weight.size(1) = C_out.
        long fanIn = (long) outChannels * kernel;
        Shape wShape = new Shape(inChannels, outChannels, kernel);
        if (norm == ConvNorm.WEIGHT) {
            gain = param("conv.parametrizations.weight.original0", new Shape(inChannels, 1, 1),
                    new ConstantInitializer(1f), false);
            weight = param("conv.parametrizations.weight.original1", wShape, SeededUniform.fanIn(rng, fanIn), true);
        } else {
            gain = null;
            weight = param("conv.weight", wShape, SeededUniform.fanIn(rng, fanIn), true);
        }
        bias = param("conv.bias", new Shape(outChannels), SeededUniform.fanIn(rng, fanIn), false);
        if (norm == ConvNorm.LAYER || norm == ConvNorm.RMS) {
            normWeight = param("norm.weight", new Shape(1, outChannels, 1), new ConstantInitializer(1f), false);
            normBias = norm == ConvNorm.LAYER
                    ? param("norm.bias", new Shape(1, outChannels, 1), new ConstantInitializer(0f), false)
                    : null;
        } else {
            normWeight = null;
            normBias = null;
        }
    }

    /** Outputs per input frame. */
    public int stride() {
        return stride;
    }

    @Override
    protected void afterInitialize() {
        if (norm == ConvNorm.WEIGHT) {
            NDArray v = weight.getArray();
            try (NDManager tmp = v.getManager().newSubManager()) {
                gain.getArray().set(new NDIndex(":"), own(v.norm(2, new int[] {1, 2}, true), tmp));
            }
        }
    }

    /**
     * The kernel as a [C_in, C_out·m·r] matrix (zero taps appended when k is not a multiple of r),
     * weight-normalised if configured; temporaries in {@code scope}.
     */
    private NDArray kernelMatrix(NDManager scope) {
        NDArray w = weight.getArray();
        if (norm == ConvNorm.WEIGHT) {
            NDArray n = own(w.norm(2, new int[] {1, 2}, true), scope);
            w = own(w.mul(own(gain.getArray().div(n), scope)), scope);
        }
        int padded = blocks * stride;
        if (padded != kernel) {
            NDArray zeros = scope.zeros(new Shape(inChannels, outChannels, padded - kernel), w.getDataType());
            w = own(NDArrays.concat(new NDList(w, zeros), 2), scope);
        }
        // Always a new array, never the parameter itself (the reshape is a new handle on the
        // kernel's storage), so a stream state may cache it and free it on close.
        return own(w.reshape(inChannels, (long) outChannels * padded), scope);
    }

    @Override
    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    /**
     * Upsamples {@code x} [B, C_in, L] to [B, C_out, L·r], continuing the sequence in
     * {@code state} if given.
     */
    public NDArray forward(NDArray x, StreamState state) {
        NDManager scope = x.getManager();
        long batch = x.getShape().get(0);
        long len = x.getShape().get(2);
        int ctx = blocks - 1;
        NDArray xs = x;
        if (ctx > 0) {
            NDArray previous = state == null ? null : state.get(this, "frames");
            if (previous == null) {
                previous = scope.zeros(new Shape(batch, inChannels, ctx), x.getDataType());
            }
            xs = own(NDArrays.concat(new NDList(previous, x), 2), scope);
            if (state != null) {
                state.put(this, "frames", xs.get(new NDIndex(":, :, {}:", len)).duplicate());
            }
        }
        NDArray w = state == null ? kernelMatrix(scope) : state.cached(this, "kernel", () -> kernelMatrix(scope));
        // z[b, i, o, j, s]: input frame i's contribution to output sample (i+j)·r+s.
        NDArray z = xs.transpose(0, 2, 1).matMul(w).reshape(batch, len + ctx, outChannels, blocks, stride);
        NDArray y = null;
        for (int j = 0; j < blocks; j++) {
            NDArray part = z.get(new NDIndex(":, {}:{}, :, {}, :", ctx - j, ctx - j + len, j));
            y = y == null ? part : y.add(part);
        }
        y = y.transpose(0, 2, 1, 3).reshape(batch, outChannels, len * stride).add(own(bias.getArray().reshape(1, outChannels, 1), scope));
        return normalise(y);
    }

    private NDArray normalise(NDArray y) {
        return norm.apply(y, normWeight == null ? null : normWeight.getArray(), normBias == null ? null : normBias.getArray());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, in.get(2) * stride)};
    }

    @Override
    public String toString() {
        return "CausalConvTranspose1d(" + inChannels + "→" + outChannels + ", k=" + kernel + ", stride=" + stride
                + ", norm=" + norm + ")";
    }
}

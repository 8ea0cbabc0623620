package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.initializer.ConstantInitializer;
import ai.hypnos.tokenizer.Rng;

/**
 * A causal 1-D convolution (the reference's {@code SConv1d} with {@code causal=True}): it pads
 * (k−1)·dilation samples on the left — by reflection x[p]…x[1], or zeros — and none on the
 * right, so output j depends on inputs up to j·stride and on nothing later (except through the
 * reflection at the very start of a sequence).
 *
 * <p>Optional weight normalisation (w = g·v/‖v‖, norm over all dimensions but the output
 * channel) or a layer/RMS norm over channels after the conv ({@link ConvNorm}).
 *
 * <p>Streaming: with a {@link StreamState} the conv keeps the inputs it has not fully consumed
 * (the left context of its next output) and prepends them to the next piece; the first piece of a
 * sequence is padded as above. Feeding a sequence in pieces gives the outputs of feeding it whole.
 *
 * <p>Reference names: {@code conv.weight} or {@code conv.parametrizations.weight.original0} (g,
 * [C_out,1,1]) and {@code .original1} (v, [C_out,C_in,k]); {@code conv.bias};
 * {@code norm.weight}/{@code norm.bias} ([1,C_out,1]) for layer/RMS norm.
 */
public final class CausalConv1d extends NamedBlock {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int dilation;
    private final ConvNorm norm;
    private final PadMode padMode;

    private final Parameter weight;
    private final Parameter gain;
    private final Parameter bias;
    private final Parameter normWeight;
    private final Parameter normBias;

    public CausalConv1d(int inChannels, int outChannels, int kernel, int stride, int dilation,
            ConvNorm norm, PadMode padMode, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || dilation <= 0) {
            throw new IllegalArgumentException("bad conv geometry: in " + inChannels + ", out " + outChannels
                    + ", kernel " + kernel + ", stride " + stride + ", dilation " + dilation);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.norm = norm;
        this.padMode = padMode;
        long fanIn = (long) inChannels * kernel;
        Shape wShape = new Shape(outChannels, inChannels, kernel);
        if (norm == ConvNorm.WEIGHT) {
            // g is registered first so the bundle order matches PyTorch's; its value is set from v.
            gain = param("conv.parametrizations.weight.original0", new Shape(outChannels, 1, 1),
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

    /** Left context in input samples: (k−1)·dilation. */
    public int leftPadding() {
        return (kernel - 1) * dilation;
    }

    public int stride() {
        return stride;
    }

    public int kernel() {
        return kernel;
    }

    public int dilation() {
        return dilation;
    }

    public PadMode padMode() {
        return padMode;
    }

    /**
     * The fewest inputs a sequence may start with: reflection of p samples needs more than p of
     * them ({@link #forward(NDArray, StreamState)} rejects fewer); zero padding takes any length.
     */
    public int minimumStartLength() {
        return padMode == PadMode.REFLECT ? leftPadding() + 1 : 1;
    }

    /** Outputs of a whole sequence of {@code inputLength} inputs: ⌈L / stride⌉. */
    public long outputLength(long inputLength) {
        return (inputLength + stride - 1) / stride;
    }

    @Override
    protected void afterInitialize() {
        if (norm == ConvNorm.WEIGHT) {
            // PyTorch's weight_norm starts from g = ‖v‖, so w equals the initial v.
            NDArray v = weight.getArray();
            try (NDManager tmp = v.getManager().newSubManager()) {
                NDArray n = own(v.norm(2, new int[] {1, 2}, true), tmp);
                gain.getArray().set(new NDIndex(":"), n);
            }
        }
    }

    /** The effective kernel [C_out, C_in, k] (g·v/‖v‖ under weight norm), its temporaries in {@code scope}. */
    public NDArray effectiveWeight(NDManager scope) {
        if (norm != ConvNorm.WEIGHT) {
            return weight.getArray();
        }
        NDArray v = weight.getArray();
        NDArray n = own(v.norm(2, new int[] {1, 2}, true), scope);
        NDArray scale = own(gain.getArray().div(n), scope);
        return own(v.mul(scale), scope);
    }

    @Override
    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    /**
     * Convolves {@code x} [B, C_in, L]. With {@code state == null} (or a fresh state) x starts the
     * sequence; otherwise it continues what the state has seen.
     *
     * @return [B, C_out, L_out]; for a whole sequence L_out = ⌈L / stride⌉
     */
    public NDArray forward(NDArray x, StreamState state) {
        NDManager scope = x.getManager();
        NDArray xp = withLeftContext(x, state, scope);
        long n = xp.getShape().get(2);
        long span = (long) (kernel - 1) * dilation + 1;
        long nOut = n >= span ? (n - span) / stride + 1 : 0;
        if (state != null) {
            // What the next piece still needs: everything from the first input of output nOut on.
            long consumed = Math.min(n, nOut * stride);
            state.put(this, "context", xp.get(new NDIndex(":, :, {}:", consumed)).duplicate());
        }
        if (nOut == 0) {
            return scope.zeros(new Shape(x.getShape().get(0), outChannels, 0), x.getDataType());
        }
        long used = (nOut - 1) * stride + span;
        if (used < n) {
            xp = xp.get(new NDIndex(":, :, :{}", used));
        }
        // Only a computed (weight-normalised) kernel may be cached: without weight norm the kernel
        // is the parameter's own array, and a state adopts what it caches and frees it on close.
        NDArray w = state == null || norm != ConvNorm.WEIGHT
                ? effectiveWeight(scope)
                : state.cached(this, "weight", () -> effectiveWeight(scope));
        NDArray y = Im2colConv.needed(weight, xp.getDevice())
                ? Im2colConv.conv1d(xp, w, bias.getArray(), stride, dilation)
                : Conv1d.conv1d(xp, w, bias.getArray(), new Shape(stride), new Shape(0), new Shape(dilation), 1).singletonOrThrow();
        return normalise(y);
    }

    private NDArray withLeftContext(NDArray x, StreamState state, NDManager scope) {
        NDArray context = state == null ? null : state.get(this, "context");
        if (context != null) {
            return own(NDArrays.concat(new NDList(context, x), 2), scope);
        }
        int p = leftPadding();
        if (p == 0) {
            return x;
        }
        long len = x.getShape().get(2);
        NDArray pad;
        if (padMode == PadMode.REFLECT) {
            if (len <= p) {
                throw new IllegalArgumentException("reflect padding of " + p + " samples needs more than " + p
                        + " inputs at the start of a sequence, got " + len);
            }
            pad = x.get(new NDIndex(":, :, 1:{}", p + 1)).flip(2);
        } else {
            pad = scope.zeros(new Shape(x.getShape().get(0), x.getShape().get(1), p), x.getDataType());
        }
        return NDArrays.concat(new NDList(pad, x), 2);
    }

    private NDArray normalise(NDArray y) {
        return norm.apply(y, normWeight == null ? null : normWeight.getArray(), normBias == null ? null : normBias.getArray());
    }

    /**
     * Receptive-field bookkeeping for a whole sequence: given, for each input position, the last
     * signal sample it depends on (−1 for none), returns the same for each output position. The
     * reflection at the start makes early outputs depend on later inputs; this mirrors
     * {@link #forward(NDArray, StreamState)} exactly.
     */
    public int[] lastSampleNeeded(int[] in) {
        int p = leftPadding();
        int[] padded = new int[in.length + p];
        for (int i = 0; i < p; i++) {
            padded[i] = padMode == PadMode.REFLECT ? in[p - i] : -1;
        }
        System.arraycopy(in, 0, padded, p, in.length);
        int nOut = (padded.length - p - 1) / stride + 1;
        int[] out = new int[nOut];
        for (int o = 0; o < nOut; o++) {
            int m = -1;
            for (int t = 0; t < kernel; t++) {
                m = Math.max(m, padded[o * stride + t * dilation]);
            }
            out[o] = m;
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, outputLength(in.get(2)))};
    }

    @Override
    public String toString() {
        return "CausalConv1d(" + inChannels + "→" + outChannels + ", k=" + kernel + ", stride=" + stride
                + ", dilation=" + dilation + ", norm=" + norm + ", pad=" + padMode + ")";
    }
}

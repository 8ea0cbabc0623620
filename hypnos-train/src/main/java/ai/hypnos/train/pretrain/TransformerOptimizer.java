package ai.hypnos.train.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.PackedGroup;
import ai.hypnos.transformer.weights.ParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with global-norm clipping over the RQ-Transformer's parameters, on
 * {@linkplain ModelParameters#packed packed} weights: the tensors that decay
 * ({@link WeightDecayPolicy}) form one flat tensor and the others a second one, and the moments
 * are laid out the same way, so a step is a few ops on two large tensors whatever the number of
 * parameters (552 tensors for {@code base}; per tensor, the step used to issue ~10 ops, each
 * ~20 µs through DJL on a GPU). Pack a model with {@link #pack} before building the optimiser.
 *
 * <p>One step: gather each group's gradients (one concatenation), their global norm (read from
 * the device: the step's one transfer), then per group one fused native AdamW update (on the
 * CPU: per segment of at most {@link #CPU_SEGMENT} elements) (DJL's
 * {@code adamUpdate}: decoupled weight decay w −= lr·wd·w, moments m, v, and
 * w −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)) whose gradient factor carries the clipping
 * min(1, c/‖g‖) and the loss-scale division, and the gradients are zeroed.
 *
 * <p><b>float32</b> ({@link #TransformerOptimizer(ModelParameters, PretrainConfig.Optim)}): the
 * optimiser updates the model's own tensors.
 *
 * <p><b>Mixed precision</b> ("fp16 model, fp32 master weights"): the model that runs forward and
 * backward holds float16 tensors ({@code working}); this optimiser updates float32 master copies
 * ({@code master}) with float32 moments. The float16 gradients carry the {@link LossScaler}'s
 * scale: if their norm is not finite the step is skipped (the scaler backs off and counts it;
 * float32 training skips and counts such steps too), else the masters take the step
 * (gradients divided by the scale, a power of two: exact) and are
 * copied back, rounded, to the float16 tensors. DJL's casts are not differentiable, which is why
 * the copy goes this way instead of a cast inside the graph.
 */
public final class TransformerOptimizer implements AutoCloseable {
    /** Group of the parameters that take weight decay. */
    public static final String DECAY = "decay";
    /** Group of the parameters that do not. */
    public static final String NO_DECAY = "no_decay";

    /**
     * On the CPU a step works on segments of at most this many elements (16 MB of float32): a
     * temporary above glibc's largest mmap threshold (32 MB) is mapped fresh and page-faulted in
     * by every op, which made one-segment-per-group steps of {@code base} twice as slow as the
     * per-tensor ones (measured). A GPU's caching allocator has no such cost: there each group is
     * one segment.
     */
    static final long CPU_SEGMENT = 1 << 22;

    /**
     * Consecutive tensors of one group, updated together: views of the master, working and
     * moment tensors over the same elements, and the group's weight decay.
     */
    private record Segment(List<String> names, NDArray master, NDArray working, NDArray mean, NDArray variance,
            float weightDecay) {
    }

    private final ModelParameters master;
    private final ModelParameters working;
    private final LossScaler scaler;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float clipNorm;
    private final NDManager state;
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private final int decayed;
    private long steps;
    private boolean lastApplied = true;

    /** The optimiser's group of a parameter. */
    public static String groupOf(ParameterSpec spec) {
        return WeightDecayPolicy.decays(spec) ? DECAY : NO_DECAY;
    }

    /**
     * A copy of {@code model} in {@code dataType} with its parameters packed into this
     * optimiser's groups (the caller closes both).
     */
    public static RqTransformer pack(RqTransformer model, DataType dataType) {
        return model.withParameters(model.parameters().packed(TransformerOptimizer::groupOf, dataType));
    }

    /** float32 training: AdamW updates {@code params} (packed by {@link #pack}) themselves, no loss scaling. */
    public TransformerOptimizer(ModelParameters params, PretrainConfig.Optim cfg) {
        this(params, params, cfg, LossScaler.disabled());
    }

    /**
     * Mixed-precision training.
     *
     * @param master  float32 master weights (updated by AdamW; need no gradients), packed by {@link #pack}
     * @param working the float16 tensors the model computes with, packed alike on the same device;
     *                their gradients are read, and they receive the masters' values after each step
     * @param scaler  the loss scale the gradients carry
     * @throws IllegalArgumentException if the masters are not float32, or the weights are not
     *                                  packed in this optimiser's groups, or the two differ
     */
    public TransformerOptimizer(ModelParameters master, ModelParameters working, PretrainConfig.Optim cfg,
            LossScaler scaler) {
        this(master, working, cfg, scaler, master.device().isGpu() ? Long.MAX_VALUE : CPU_SEGMENT);
    }

    /** As above, with segments of at most {@code segmentElements} elements (a tensor larger is one segment). */
    TransformerOptimizer(ModelParameters master, ModelParameters working, PretrainConfig.Optim cfg,
            LossScaler scaler, long segmentElements) {
        if (master.dataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("master weights must be float32, not " + master.dataType());
        }
        requirePacked(master, "master");
        requirePacked(working, "working");
        if (!master.layout().all().equals(working.layout().all()) || !master.device().equals(working.device())) {
            throw new IllegalArgumentException("master and working weights differ in layout or device");
        }
        this.master = master;
        this.working = working;
        this.scaler = scaler;
        this.beta1 = (float) cfg.beta1();
        this.beta2 = (float) cfg.beta2();
        this.eps = (float) cfg.eps();
        this.clipNorm = (float) cfg.clipNorm();
        this.state = master.manager().newSubManager();
        int n = 0;
        for (int i = 0; i < master.packedGroups().size(); i++) {
            PackedGroup m = master.packedGroups().get(i);
            PackedGroup w = working.packedGroups().get(i);
            if (!m.key().equals(w.key()) || !m.names().equals(w.names())) {
                throw new IllegalArgumentException("master and working weights are packed differently");
            }
            NDArray m1 = moments(m, mean);
            NDArray m2 = moments(m, variance);
            float wd = m.key().equals(DECAY) ? (float) cfg.weightDecay() : 0f;
            long start = 0;
            long end = 0;
            List<String> names = new ArrayList<>();
            for (String name : m.names()) {
                long size = master.get(name).getShape().size();
                if (!names.isEmpty() && end - start + size > segmentElements) {
                    segments.add(segment(names, start, end, m, w, m1, m2, wd));
                    names = new ArrayList<>();
                    start = end;
                }
                names.add(name);
                end += size;
            }
            segments.add(segment(names, start, end, m, w, m1, m2, wd));
            n += m.key().equals(DECAY) ? m.names().size() : 0;
        }
        this.decayed = n;
    }

    private Segment segment(List<String> names, long start, long end, PackedGroup m, PackedGroup w, NDArray mean,
            NDArray variance, float wd) {
        NDIndex range = new NDIndex("{}:{}", start, end);
        NDArray[] views = {m.flat().get(range), w.flat().get(range), mean.get(range), variance.get(range)};
        for (NDArray v : views) {
            v.attach(state);
        }
        return new Segment(List.copyOf(names), views[0], views[1], views[2], views[3], wd);
    }

    private static void requirePacked(ModelParameters p, String what) {
        for (PackedGroup g : p.packedGroups()) {
            for (String name : g.names()) {
                if (!groupOf(p.layout().get(name)).equals(g.key())) {
                    throw new IllegalArgumentException(what + " weights: " + name + " is packed in group " + g.key());
                }
            }
        }
        if (p.packedGroups().isEmpty()) {
            throw new IllegalArgumentException(what + " weights are not packed: build the model with "
                    + "TransformerOptimizer.pack(model, dataType)");
        }
    }

    /** Zero moments laid out as {@code group}'s flat tensor, with a view per name in {@code byName}. */
    private NDArray moments(PackedGroup group, Map<String, NDArray> byName) {
        NDArray flat = state.zeros(group.flat().getShape(), DataType.FLOAT32);
        long offset = 0;
        for (String name : group.names()) {
            long[] shape = master.layout().get(name).shape();
            long size = new Shape(shape).size();
            try (NDArray part = flat.get(new NDIndex("{}:{}", offset, offset + size))) {
                NDArray view = part.reshape(new Shape(shape));
                view.attach(state);
                byName.put(name, view);
            }
            offset += size;
        }
        return flat;
    }

    /** Whether this optimiser keeps float32 masters of lower-precision working weights. */
    public boolean mixedPrecision() {
        return master != working;
    }

    /**
     * Clips the gradients to the configured global norm and applies one AdamW update (mixed
     * precision: divides them by the loss scale). In every precision the update is skipped, and
     * counted in {@link LossScaler#skippedSteps()}, when the gradients are not finite — see
     * {@link #lastStepApplied()}. The working weights' gradients are zero afterwards.
     *
     * @param scope manager for this step's temporaries
     * @return the (unscaled) global gradient norm before clipping
     */
    public float step(double lr, NDManager scope) {
        List<NDArray> grads = new ArrayList<>(segments.size());
        NDArray sumSquares = null;
        for (Segment seg : segments) {
            NDArray flat = gradient(seg, scope);
            if (flat.getDataType() != DataType.FLOAT32) {
                flat = flat.toType(DataType.FLOAT32, false);
            }
            grads.add(flat);
            NDArray s = flat.square().sum();
            sumSquares = sumSquares == null ? s : sumSquares.add(s);
        }
        double scale = scaler.scale();
        float norm = (float) (sumSquares.sqrt().getFloat() / scale); // a power of two: exact
        // In every precision: a NaN or infinite gradient would make the clipping factor
        // min(1, c/NaN) = NaN and turn every weight into NaN in one step (and the checkpoints
        // after it, which keep_last pruning would then prefer to the good ones). The scaler
        // counts the skip; a disabled one (float32) keeps its scale of 1.
        lastApplied = scaler.update(Float.isFinite(norm));
        if (lastApplied) {
            steps++;
            float clip = clipNorm > 0 ? Math.min(1f, 1f / (norm + 1e-6f) * clipNorm) : 1f;
            float rescale = (float) (clip / scale);
            double c1 = 1.0 - Math.pow(beta1, steps);
            double c2 = 1.0 - Math.pow(beta2, steps);
            float corrected = (float) (lr * Math.sqrt(c2) / c1);
            for (int i = 0; i < segments.size(); i++) {
                Segment seg = segments.get(i);
                NDArray w = seg.master();
                w.getNDArrayInternal().adamUpdate(new NDList(w, grads.get(i), seg.mean(), seg.variance()),
                        new NDList(w), (float) lr, corrected, seg.weightDecay(), rescale, -1f, beta1, beta2, eps,
                        false, true);
                if (mixedPrecision()) {
                    NDArray rounded = w.toType(working.dataType(), false);
                    rounded.attach(scope);
                    seg.working().set(new NDIndex(":"), rounded);
                }
            }
        }
        working.zeroGradients();
        return norm;
    }

    /** A segment's gradients laid out as its elements are: one concatenation, in {@code scope}. */
    private NDArray gradient(Segment seg, NDManager scope) {
        NDList parts = new NDList(seg.names().size());
        for (String name : seg.names()) {
            NDArray row = working.gradient(name, scope).reshape(-1);
            row.attach(scope);
            parts.add(row);
        }
        NDArray out = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
        out.attach(scope);
        return out;
    }

    /** Whether the last {@link #step} updated the weights (false: non-finite gradients, skipped). */
    public boolean lastStepApplied() {
        return lastApplied;
    }

    /** The loss scaler (disabled in float32 training). */
    public LossScaler lossScaler() {
        return scaler;
    }

    /** The float32 weights the optimiser updates (the model's own in float32 training). */
    public ModelParameters masterWeights() {
        return master;
    }

    /** Updates taken so far (skipped steps do not count: they are AdamW's t). */
    public long steps() {
        return steps;
    }

    /** Restores the update counter (resume). */
    public void setSteps(long steps) {
        this.steps = steps;
    }

    /** First moments by parameter name (live views: checkpointing reads and restores them). */
    public Map<String, NDArray> firstMoments() {
        return Collections.unmodifiableMap(mean);
    }

    /** Second moments by parameter name (live views). */
    public Map<String, NDArray> secondMoments() {
        return Collections.unmodifiableMap(variance);
    }

    /** How many tensors are decayed. */
    public int decayedTensors() {
        return decayed;
    }

    @Override
    public void close() {
        state.close();
    }
}

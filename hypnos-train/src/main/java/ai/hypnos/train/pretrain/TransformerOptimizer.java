package ai.hypnos.train.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.hypnos.tokenizer.train.AdamW;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with global-norm clipping over the RQ-Transformer's parameters: the tokenizer trainer's
 * {@link AdamW} (one fused native update per tensor, moments in the open for checkpoints), fed
 * with the transformer's tensors wrapped as DJL {@link Parameter}s, and the
 * {@link WeightDecayPolicy} deciding which of them decay.
 *
 * <p><b>float32</b> ({@link #TransformerOptimizer(ModelParameters, PretrainConfig.Optim)}): the
 * optimiser updates the model's own tensors from their gradients.
 *
 * <p><b>Mixed precision</b> ("fp16 model, fp32 master weights"): the model that runs forward and
 * backward holds float16 tensors ({@code working}); this optimiser holds float32 master copies
 * ({@code master}) and the moments in float32. A step copies the (loss-scaled) float16
 * gradients to float32, divides them by the {@link LossScaler}'s scale, and checks their global
 * norm: if it is not finite the step is skipped (the scaler backs off and counts it), else the
 * masters take the clipped AdamW step and are copied back to the float16 tensors. DJL's casts are
 * not differentiable, which is why the copy goes this way instead of a cast inside the graph.
 * The finiteness check reads one number from the device per step (as PyTorch's
 * {@code GradScaler.step} does).
 */
public final class TransformerOptimizer implements AutoCloseable {
    private final ModelParameters master;
    private final ModelParameters working;
    private final AdamW adamw;
    private final LossScaler scaler;
    private final int decayed;
    private boolean lastApplied = true;

    /** float32 training: AdamW updates {@code params} themselves, no loss scaling. */
    public TransformerOptimizer(ModelParameters params, PretrainConfig.Optim cfg) {
        this(params, params, cfg, LossScaler.disabled());
    }

    /**
     * Mixed-precision training.
     *
     * @param master  float32 master weights (updated by AdamW; need no gradients)
     * @param working the float16 tensors the model computes with (same layout and device); their
     *                gradients are read, and they receive the masters' values after each step
     * @param scaler  the loss scale the gradients carry
     * @throws IllegalArgumentException if the masters are not float32 or the layouts differ
     */
    public TransformerOptimizer(ModelParameters master, ModelParameters working, PretrainConfig.Optim cfg,
            LossScaler scaler) {
        if (master != working) {
            if (master.dataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("master weights must be float32, not " + master.dataType());
            }
            if (!master.layout().all().equals(working.layout().all()) || !master.device().equals(working.device())) {
                throw new IllegalArgumentException("master and working weights differ in layout or device");
            }
        }
        this.master = master;
        this.working = working;
        this.scaler = scaler;
        Map<String, Parameter> wrapped = new LinkedHashMap<>();
        Set<Parameter> noDecay = Collections.newSetFromMap(new IdentityHashMap<>());
        int n = 0;
        for (ParameterSpec spec : master.layout().parameters()) {
            Parameter p = Parameter.builder().setName(spec.name()).setType(Parameter.Type.OTHER)
                    .optArray(master.get(spec.name())).build();
            wrapped.put(spec.name(), p);
            if (WeightDecayPolicy.decays(spec)) {
                n++;
            } else {
                noDecay.add(p);
            }
        }
        this.decayed = n;
        this.adamw = new AdamW(wrapped, noDecay, cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), cfg.clipNorm(),
                master.manager());
    }

    /** Whether this optimiser keeps float32 masters of lower-precision working weights. */
    public boolean mixedPrecision() {
        return master != working;
    }

    /**
     * Clips the gradients to the configured global norm and applies one AdamW update (mixed
     * precision: unscales first, and skips the update when the gradients are not finite — see
     * {@link #lastStepApplied()}). The working weights' gradients are zero afterwards.
     *
     * @return the (unscaled) gradient norm before clipping, a device scalar in {@code scope}
     */
    public NDArray step(double lr, NDManager scope) {
        if (!mixedPrecision()) {
            lastApplied = true;
            return adamw.step(lr, scope);
        }
        List<NDArray> grads = new ArrayList<>();
        // One device scalar for the whole step: muli(float) would copy a new scalar from the host
        // for every tensor, and on a GPU each such copy waits for the kernels queued before it.
        NDArray unscale = ai.hypnos.nn.HostData.scalar(scope, (float) (1.0 / scaler.scale())); // a power of two: exact
        if (!unscale.getDevice().equals(master.device())) {
            unscale = unscale.toDevice(master.device(), false);
        }
        for (ParameterSpec spec : master.layout().parameters()) {
            NDArray g = working.gradient(spec.name(), scope);
            NDArray g32 = g.toType(DataType.FLOAT32, true);
            g32.attach(scope);
            grads.add(g32.muli(unscale));
        }
        NDArray norm = AdamW.globalNorm(grads);
        lastApplied = scaler.update(Float.isFinite(norm.getFloat()));
        if (lastApplied) {
            adamw.step(lr, grads, norm);
            for (ParameterSpec spec : master.layout().parameters()) {
                NDArray half = master.get(spec.name()).toType(working.dataType(), true);
                half.attach(scope);
                working.get(spec.name()).set(new NDIndex(":"), half);
            }
        }
        working.zeroGradients();
        return norm;
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
        return adamw.steps();
    }

    /** Restores the update counter (resume). */
    public void setSteps(long steps) {
        adamw.setSteps(steps);
    }

    /** First moments by parameter name (live arrays). */
    public Map<String, NDArray> firstMoments() {
        return adamw.firstMoments();
    }

    /** Second moments by parameter name (live arrays). */
    public Map<String, NDArray> secondMoments() {
        return adamw.secondMoments();
    }

    /** How many tensors are decayed. */
    public int decayedTensors() {
        return decayed;
    }

    @Override
    public void close() {
        adamw.close();
    }
}

package ai.hypnos.train.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.hypnos.tokenizer.train.AdamW;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterSpec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with global-norm clipping over the RQ-Transformer's parameters: the tokenizer trainer's
 * {@link AdamW} (one fused native update per tensor, moments in the open for checkpoints), fed
 * with the transformer's tensors wrapped as DJL {@link Parameter}s, and the
 * {@link WeightDecayPolicy} deciding which of them decay.
 *
 * <p>Mixed precision (issue 12) plugs in here: with fp16 weights, this class would hold fp32
 * master copies, unscale and check the gradients before {@link #step} and copy the result back.
 */
public final class TransformerOptimizer implements AutoCloseable {
    private final AdamW adamw;
    private final int decayed;

    public TransformerOptimizer(ModelParameters params, PretrainConfig.Optim cfg) {
        Map<String, Parameter> wrapped = new LinkedHashMap<>();
        Set<Parameter> noDecay = Collections.newSetFromMap(new IdentityHashMap<>());
        int n = 0;
        for (ParameterSpec spec : params.layout().parameters()) {
            Parameter p = Parameter.builder().setName(spec.name()).setType(Parameter.Type.OTHER)
                    .optArray(params.get(spec.name())).build();
            wrapped.put(spec.name(), p);
            if (WeightDecayPolicy.decays(spec)) {
                n++;
            } else {
                noDecay.add(p);
            }
        }
        this.decayed = n;
        this.adamw = new AdamW(wrapped, noDecay, cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), cfg.clipNorm(),
                params.manager());
    }

    /**
     * Clips the gradients to the configured global norm and applies one AdamW update.
     *
     * @return the gradient norm before clipping, a device scalar in {@code scope}
     */
    public NDArray step(double lr, NDManager scope) {
        return adamw.step(lr, scope);
    }

    /** Updates taken so far. */
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

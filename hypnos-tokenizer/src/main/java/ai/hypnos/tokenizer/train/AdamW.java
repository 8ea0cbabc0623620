package ai.hypnos.tokenizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with global-norm gradient clipping over DJL {@link Parameter}s, with its state in the
 * open so that checkpoints restore it exactly.
 *
 * <p>Per parameter one fused native update (DJL's {@code adamUpdate}: decoupled weight decay
 * w −= lr·wd·w, moments m, v, and w −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)) followed by zeroing the
 * gradient (DJL's {@code adamUpdate} zeroes the updated weight's gradient itself; libtorch would
 * otherwise add the next backward pass to it). Clipping scales every gradient in place by min(1, c/‖g‖) computed on the device, so a
 * step needs no device-to-host transfer; the norm is kept as a device scalar for logging.
 */
public final class AdamW implements AutoCloseable {
    private final Map<String, Parameter> params;
    private final Set<Parameter> noDecay;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final float clipNorm;
    private final NDManager manager;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private long steps;

    /**
     * @param params trainable parameters by name (their arrays must require gradients)
     * @param noDecay parameters exempt from weight decay
     * @param clipNorm global gradient-norm limit (≤ 0: no clipping)
     */
    public AdamW(Map<String, Parameter> params, Set<Parameter> noDecay, double beta1, double beta2, double eps,
            double weightDecay, double clipNorm, NDManager parent) {
        this.params = new LinkedHashMap<>(params);
        this.noDecay = noDecay;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.clipNorm = (float) clipNorm;
        this.manager = parent.newSubManager();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            mean.put(e.getKey(), manager.zeros(w.getShape(), w.getDataType()));
            variance.put(e.getKey(), manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    /** Updates taken so far (t in the bias corrections). */
    public long steps() {
        return steps;
    }

    /** First moments by parameter name (live arrays: checkpointing reads and restores them). */
    public Map<String, NDArray> firstMoments() {
        return mean;
    }

    /** Second moments by parameter name (live arrays). */
    public Map<String, NDArray> secondMoments() {
        return variance;
    }

    /** Sets the step counter (resume). */
    public void setSteps(long steps) {
        this.steps = steps;
    }

    /**
     * Clips the gradients and applies one update at learning rate {@code lr}; gradients are zeroed.
     *
     * @param scope manager for this step's temporaries
     * @return the global gradient norm before clipping (a device scalar in {@code scope})
     */
    public NDArray step(double lr, NDManager scope) {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (Parameter p : params.values()) {
            NDArray g = p.getArray().getGradient();
            g.attach(scope);
            grads.add(g);
        }
        NDArray norm = globalNorm(grads);
        step(lr, grads, norm);
        return norm;
    }

    /**
     * The global L2 norm of {@code gradients}, a device scalar (in the gradients' manager).
     * Non-finite when any element is.
     */
    public static NDArray globalNorm(List<NDArray> gradients) {
        NDList squares = new NDList(gradients.size());
        for (NDArray g : gradients) {
            squares.add(g.square().sum());
        }
        return squares.size() == 1 ? squares.get(0).sqrt() : ai.djl.ndarray.NDArrays.stack(squares).sum().sqrt();
    }

    /**
     * Clips and applies one update from gradients held outside the parameters (mixed precision:
     * unscaled float32 copies of float16 gradients, updating float32 master weights).
     *
     * @param gradients one per parameter, in the order of the map given to the constructor, of the
     *                  parameters' shapes and type; scaled in place by the clipping
     * @param norm      their global norm ({@link #globalNorm})
     */
    public void step(double lr, List<NDArray> gradients, NDArray norm) {
        if (gradients.size() != params.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradients for " + params.size() + " parameters");
        }
        if (clipNorm > 0) {
            NDArray factor = norm.add(1e-6f).pow(-1).mul(clipNorm).minimum(1f);
            for (NDArray g : gradients) {
                g.muli(factor);
            }
        }
        steps++;
        double c1 = 1.0 - Math.pow(beta1, steps);
        double c2 = 1.0 - Math.pow(beta2, steps);
        float corrected = (float) (lr * Math.sqrt(c2) / c1);
        int i = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            NDArray g = gradients.get(i++);
            float wd = noDecay.contains(e.getValue()) ? 0f : weightDecay;
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, g, mean.get(e.getKey()), variance.get(e.getKey())),
                    new NDList(w), (float) lr, corrected, wd, 1f, -1f, beta1, beta2, eps, false, true);
        }
    }

    /** Zeroes every gradient without updating (e.g. after a skipped step). */
    public void zeroGradients(NDManager scope) {
        for (Parameter p : params.values()) {
            NDArray g = p.getArray().getGradient();
            g.attach(scope);
            g.set(new NDIndex(":"), scope.zeros(g.getShape(), g.getDataType()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

package ai.hypnos.eval.optim;

/**
 * The Adam update (Kingma &amp; Ba 2015) with bias correction, on float arrays. The caller keeps
 * the first- and second-moment buffers per parameter array and calls {@link #nextStep()} once per
 * iteration before updating each array.
 */
public final class Adam {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private int t;

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, 0 <= beta < 1, eps > 0; got lr=" + learningRate
                    + ", betas=" + beta1 + "/" + beta2 + ", eps=" + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with the usual β₁ 0.9, β₂ 0.999, ε 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Advances the step counter used for bias correction. */
    public void nextStep() {
        t++;
    }

    /** Steps taken so far. */
    public int steps() {
        return t;
    }

    /** Updates {@code param} in place from {@code grad}, using and updating the moments {@code m}, {@code v}. */
    public void update(float[] param, float[] grad, float[] m, float[] v) {
        if (t == 0) {
            throw new IllegalStateException("call nextStep() before the first update");
        }
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (learningRate / bias1);
        float sqrtBias2 = (float) Math.sqrt(bias2);
        float eps = (float) epsilon;
        for (int i = 0; i < param.length; i++) {
            float g = grad[i];
            float mi = b1 * m[i] + c1 * g;
            float vi = b2 * v[i] + c2 * g * g;
            m[i] = mi;
            v[i] = vi;
            param[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBias2 + eps);
        }
    }
}

package ai.hypnos.eval.probe;

/** Hidden-layer non-linearity of the {@link MlpProbe}. */
public enum Activation {
    /** max(0, x). */
    RELU,
    /** GELU, tanh approximation (as GPT-2 and PyTorch's {@code approximate="tanh"}). */
    GELU;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_C = 0.044715f;

    /** Applies the activation: {@code out[i] = f(z[i])}. */
    void apply(float[] z, float[] out, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(0f, z[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float x = z[i];
                float u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
                out[i] = 0.5f * x * (1f + (float) Math.tanh(u));
            }
        }
    }

    /** Multiplies {@code grad[i]} by f'(z[i]) in place. */
    void backward(float[] z, float[] grad, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                if (z[i] <= 0f) {
                    grad[i] = 0f;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                float x = z[i];
                float u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
                float t = (float) Math.tanh(u);
                float du = SQRT_2_OVER_PI * (1f + 3f * GELU_C * x * x);
                grad[i] *= 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du;
            }
        }
    }
}

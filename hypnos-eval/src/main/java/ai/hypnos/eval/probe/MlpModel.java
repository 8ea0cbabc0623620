package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.linalg.Gemm;

/**
 * A one-hidden-layer perceptron: {@code softmax(act(x·W₁ + b₁)·W₂ + b₂)}, weights row-major
 * ({@code W₁} is D×H, {@code W₂} is H×K). Trained by {@link MlpProbe}; holds its own forward pass
 * so that prediction needs nothing else.
 */
public final class MlpModel implements Classifier {
    private static final int PREDICT_BATCH = 1024;

    final int inputs;
    final int hidden;
    final int classes;
    final Activation activation;
    final float[] w1;
    final float[] b1;
    final float[] w2;
    final float[] b2;

    MlpModel(int inputs, int hidden, int classes, Activation activation) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.activation = activation;
        this.w1 = new float[Math.multiplyExact(inputs, hidden)];
        this.b1 = new float[hidden];
        this.w2 = new float[Math.multiplyExact(hidden, classes)];
        this.b2 = new float[classes];
    }

    /** Copies all weights from another model of the same shape (used to keep the best epoch). */
    void copyFrom(MlpModel other) {
        System.arraycopy(other.w1, 0, w1, 0, w1.length);
        System.arraycopy(other.b1, 0, b1, 0, b1.length);
        System.arraycopy(other.w2, 0, w2, 0, w2.length);
        System.arraycopy(other.b2, 0, b2, 0, b2.length);
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public int numFeatures() {
        return inputs;
    }

    public int hiddenUnits() {
        return hidden;
    }

    public Activation activation() {
        return activation;
    }

    /**
     * Forward pass of {@code rows} rows in {@code x} (row-major, D columns): fills the hidden
     * pre-activations {@code z1}, activations {@code a1} and logits (all row-major).
     */
    void forward(float[] x, int rows, float[] z1, float[] a1, float[] logits) {
        Gemm.ab(x, w1, z1, rows, inputs, hidden, false);
        for (int i = 0; i < rows; i++) {
            int o = i * hidden;
            for (int j = 0; j < hidden; j++) {
                z1[o + j] += b1[j];
            }
        }
        activation.apply(z1, a1, rows * hidden);
        Gemm.ab(a1, w2, logits, rows, hidden, classes, false);
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            for (int k = 0; k < classes; k++) {
                logits[o + k] += b2[k];
            }
        }
    }

    /** In-place softmax of each row of {@code logits}; returns nothing, rows become probabilities. */
    static void softmaxRows(float[] logits, int rows, int classes) {
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[o + k]);
            }
            float sum = 0;
            for (int k = 0; k < classes; k++) {
                float e = (float) Math.exp(logits[o + k] - max);
                logits[o + k] = e;
                sum += e;
            }
            for (int k = 0; k < classes; k++) {
                logits[o + k] /= sum;
            }
        }
    }

    @Override
    public double[][] predictProba(FloatMatrix x) {
        if (x.cols() != inputs) {
            throw new IllegalArgumentException("model has " + inputs + " features, input has " + x.cols());
        }
        int n = x.rows();
        double[][] out = new double[n][classes];
        int b = Math.min(PREDICT_BATCH, Math.max(1, n));
        float[] z1 = new float[b * hidden];
        float[] a1 = new float[b * hidden];
        float[] logits = new float[b * classes];
        float[] xb = new float[b * inputs];
        for (int start = 0; start < n; start += b) {
            int rows = Math.min(b, n - start);
            System.arraycopy(x.data(), start * inputs, xb, 0, rows * inputs);
            forward(xb, rows, z1, a1, logits);
            softmaxRows(logits, rows, classes);
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < classes; k++) {
                    out[start + i][k] = logits[i * classes + k];
                }
            }
        }
        return out;
    }
}

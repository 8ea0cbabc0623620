package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;

/**
 * Per-feature z-scoring fitted on training rows, as scikit-learn's {@code StandardScaler}:
 * population standard deviation (ddof 0), and a scale of 1 for constant features so they stay
 * zero after centring instead of dividing by zero.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits means and scales on the rows of {@code x} (two passes in double precision). */
    public static Standardizer fit(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        if (n == 0) {
            throw new IllegalArgumentException("cannot standardise zero rows");
        }
        float[] a = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                mean[j] += a[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                double c = a[o + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / n);
            // A feature constant up to float rounding has no scale to divide by.
            scale[j] = sd <= 1e-7 * Math.max(1.0, Math.abs(mean[j])) ? 1.0 : sd;
        }
        return new Standardizer(mean, scale);
    }

    /** {@code (x - mean) / scale}, as a new matrix. */
    public FloatMatrix transform(FloatMatrix x) {
        int d = mean.length;
        if (x.cols() != d) {
            throw new IllegalArgumentException("standardiser was fitted on " + d + " features, got " + x.cols());
        }
        float[] a = x.data();
        float[] out = new float[a.length];
        double[] inv = new double[d];
        for (int j = 0; j < d; j++) {
            inv[j] = 1.0 / scale[j];
        }
        for (int i = 0; i < x.rows(); i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                out[o + j] = (float) ((a[o + j] - mean[j]) * inv[j]);
            }
        }
        return new FloatMatrix(x.rows(), d, out);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] scale() {
        return scale.clone();
    }
}

package ai.hypnos.core.synth;

/**
 * Multinomial logistic regression (softmax, L2-penalised), fitted by full-batch Adam on
 * standardised features: the "band powers + logistic regression" baseline stager of the
 * difficulty test, small enough to read in one sitting.
 */
final class SoftmaxRegression {
    private final int classes;
    private double[] mean;
    private double[] sd;
    private double[][] w;

    SoftmaxRegression(int classes) {
        this.classes = classes;
    }

    void fit(double[][] x, int[] y, double l2, int iterations) {
        int n = x.length;
        int f = x[0].length;
        mean = new double[f];
        sd = new double[f];
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < f; j++) {
            sd[j] = Math.sqrt(sd[j]) + 1e-9;
        }
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = standardise(x[i]);
        }
        w = new double[f + 1][classes];
        double[][] m = new double[f + 1][classes];
        double[][] v = new double[f + 1][classes];
        double lr = 0.05;
        for (int it = 1; it <= iterations; it++) {
            double[][] g = new double[f + 1][classes];
            for (int i = 0; i < n; i++) {
                double[] p = probabilities(z[i]);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    double d = p[c] / n;
                    for (int j = 0; j < f; j++) {
                        g[j][c] += d * z[i][j];
                    }
                    g[f][c] += d;
                }
            }
            for (int j = 0; j <= f; j++) {
                for (int c = 0; c < classes; c++) {
                    double grad = g[j][c] + (j < f ? l2 * w[j][c] : 0);
                    m[j][c] = 0.9 * m[j][c] + 0.1 * grad;
                    v[j][c] = 0.999 * v[j][c] + 0.001 * grad * grad;
                    double mh = m[j][c] / (1 - Math.pow(0.9, it));
                    double vh = v[j][c] / (1 - Math.pow(0.999, it));
                    w[j][c] -= lr * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
        }
    }

    int predict(double[] x) {
        double[] p = probabilities(standardise(x));
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private double[] standardise(double[] x) {
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / sd[j];
        }
        return z;
    }

    private double[] probabilities(double[] z) {
        int f = z.length;
        double[] s = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double a = w[f][c];
            for (int j = 0; j < f; j++) {
                a += w[j][c] * z[j];
            }
            s[c] = a;
            max = Math.max(max, a);
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            s[c] = Math.exp(s[c] - max);
            total += s[c];
        }
        for (int c = 0; c < classes; c++) {
            s[c] /= total;
        }
        return s;
    }

    /** Cohen's kappa of two label vectors over {@code k} classes. */
    static double kappa(int[] truth, int[] pred, int k) {
        long[][] cm = confusion(truth, pred, k);
        double n = truth.length;
        double agree = 0;
        double chance = 0;
        for (int c = 0; c < k; c++) {
            agree += cm[c][c];
            double rows = 0;
            double cols = 0;
            for (int d = 0; d < k; d++) {
                rows += cm[c][d];
                cols += cm[d][c];
            }
            chance += rows * cols / (n * n);
        }
        return (agree / n - chance) / (1 - chance);
    }

    /** Per-class F1. */
    static double[] f1(int[] truth, int[] pred, int k) {
        long[][] cm = confusion(truth, pred, k);
        double[] f = new double[k];
        for (int c = 0; c < k; c++) {
            double tp = cm[c][c];
            double rows = 0;
            double cols = 0;
            for (int d = 0; d < k; d++) {
                rows += cm[c][d];
                cols += cm[d][c];
            }
            f[c] = rows + cols == 0 ? 0 : 2 * tp / (rows + cols);
        }
        return f;
    }

    static long[][] confusion(int[] truth, int[] pred, int k) {
        long[][] cm = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][pred[i]]++;
        }
        return cm;
    }
}

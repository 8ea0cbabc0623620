package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.optim.DifferentiableFunction;
import java.util.stream.IntStream;

/**
 * The penalised log-likelihood of logistic regression, scaled so that its minimiser is
 * scikit-learn's: {@code F(W, b) = (Σᵢ sᵢ·ℓᵢ + ‖W‖²/(2C)) / Σᵢ sᵢ}, with {@code sᵢ} the sample
 * weights, {@code ℓᵢ} the cross-entropy of row i and the intercepts {@code b} not penalised.
 * Dividing by {@code Σ sᵢ} changes nothing about the minimiser and makes gradient tolerances
 * independent of the number of rows.
 *
 * <p>Two models, as in scikit-learn with the lbfgs solver: <b>binary</b> (one weight vector, a
 * sigmoid; what sklearn fits for two classes) and <b>multinomial</b> (one weight vector per
 * class, a softmax). Parameters are laid out per output: {@code [w₀ (D), b₀, w₁ (D), b₁, ...]}
 * ({@code b} absent without intercept). Rows are processed in parallel chunks, each with its own
 * gradient buffer, then summed.
 */
final class LogisticObjective implements DifferentiableFunction {
    private static final int CHUNK = 512;

    private final FloatMatrix x;
    /** Label per row in 0..classes-1 (for binary: 0 or 1). */
    private final int[] y;
    private final double[] sampleWeight;
    private final double weightSum;
    private final int classes;
    private final boolean binary;
    private final boolean intercept;
    private final double inverseC;

    LogisticObjective(FloatMatrix x, int[] y, double[] sampleWeight, int classes, double c, boolean intercept) {
        this.x = x;
        this.y = y;
        this.sampleWeight = sampleWeight;
        double s = 0;
        for (double w : sampleWeight) {
            s += w;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("sample weights sum to " + s + "; need a positive total");
        }
        this.weightSum = s;
        this.classes = classes;
        this.binary = classes == 2;
        this.intercept = intercept;
        this.inverseC = 1.0 / c;
    }

    /** Number of weight vectors: 1 for binary, one per class otherwise. */
    int outputs() {
        return binary ? 1 : classes;
    }

    /** Parameters per output: D weights plus the intercept. */
    int stride() {
        return x.cols() + (intercept ? 1 : 0);
    }

    int dimension() {
        return outputs() * stride();
    }

    @Override
    public double valueAndGradient(double[] params, double[] gradient) {
        int n = x.rows();
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[][] partialGrad = new double[chunks][];
        double[] partialLoss = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] g = new double[params.length];
            partialLoss[c] = accumulate(params, c * CHUNK, Math.min(n, (c + 1) * CHUNK), g);
            partialGrad[c] = g;
        });
        java.util.Arrays.fill(gradient, 0);
        double loss = 0;
        for (int c = 0; c < chunks; c++) {
            loss += partialLoss[c];
            double[] g = partialGrad[c];
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] += g[j];
            }
        }
        // L2 on the weights only (not the intercepts), as scikit-learn.
        int d = x.cols();
        int stride = stride();
        double penalty = 0;
        for (int k = 0; k < outputs(); k++) {
            int o = k * stride;
            for (int j = 0; j < d; j++) {
                double w = params[o + j];
                penalty += w * w;
                gradient[o + j] += inverseC * w;
            }
        }
        double scale = 1.0 / weightSum;
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] *= scale;
        }
        return (loss + 0.5 * inverseC * penalty) * scale;
    }

    /** Weighted loss of rows [from, to); adds their (unscaled) gradient into {@code g}. */
    private double accumulate(double[] params, int from, int to, double[] g) {
        int d = x.cols();
        int stride = stride();
        int outputs = outputs();
        float[] a = x.data();
        double[] z = new double[outputs];
        double loss = 0;
        for (int i = from; i < to; i++) {
            double s = sampleWeight[i];
            if (s == 0) {
                continue;
            }
            int row = i * d;
            for (int k = 0; k < outputs; k++) {
                z[k] = dot(a, row, params, k * stride, d) + (intercept ? params[k * stride + d] : 0);
            }
            if (binary) {
                double t = y[i];
                // log(1 + e^z) - t·z, computed without overflow.
                double zz = z[0];
                loss += s * ((zz > 0 ? zz + Math.log1p(Math.exp(-zz)) : Math.log1p(Math.exp(zz))) - t * zz);
                double r = s * (sigmoid(zz) - t);
                addScaledRow(g, 0, r, a, row, d);
                if (intercept) {
                    g[d] += r;
                }
            } else {
                double zTrue = z[y[i]];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < outputs; k++) {
                    max = Math.max(max, z[k]);
                }
                double sum = 0;
                for (int k = 0; k < outputs; k++) {
                    z[k] = Math.exp(z[k] - max);
                    sum += z[k];
                }
                double lse = max + Math.log(sum);
                loss += s * (lse - zTrue);
                for (int k = 0; k < outputs; k++) {
                    double p = z[k] / sum;
                    double r = s * (p - (k == y[i] ? 1.0 : 0.0));
                    addScaledRow(g, k * stride, r, a, row, d);
                    if (intercept) {
                        g[k * stride + d] += r;
                    }
                }
            }
        }
        return loss;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** Dot product of a float row with a double weight vector, four accumulators for speed. */
    static double dot(float[] a, int ao, double[] w, int wo, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            s0 += a[ao + j] * w[wo + j];
            s1 += a[ao + j + 1] * w[wo + j + 1];
            s2 += a[ao + j + 2] * w[wo + j + 2];
            s3 += a[ao + j + 3] * w[wo + j + 3];
        }
        for (; j < d; j++) {
            s0 += a[ao + j] * w[wo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void addScaledRow(double[] g, int go, double r, float[] a, int ao, int d) {
        if (r == 0) {
            return;
        }
        for (int j = 0; j < d; j++) {
            g[go + j] += r * a[ao + j];
        }
    }
}

package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;

/**
 * A fitted {@link LogisticRegression}. {@link #coefficients()} and {@link #intercepts()} follow
 * scikit-learn's {@code coef_} / {@code intercept_}: one row for a two-class problem (the weight
 * of the higher label), one row per present class otherwise, in the order of {@link #classes()}.
 */
public final class LogisticRegressionModel implements Classifier {
    private final int numClasses;
    private final int[] classes;
    private final double[][] coefficients;
    private final double[] intercepts;
    private final boolean constant;

    LogisticRegressionModel(int numClasses, int[] classes, double[][] coefficients, double[] intercepts, boolean constant) {
        this.numClasses = numClasses;
        this.classes = classes;
        this.coefficients = coefficients;
        this.intercepts = intercepts;
        this.constant = constant;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int numFeatures() {
        return coefficients[0].length;
    }

    /** The labels seen in training, ascending (sklearn's {@code classes_}). */
    public int[] classes() {
        return classes.clone();
    }

    /** Weight matrix, {@code [1 or present classes][features]} (a copy). */
    public double[][] coefficients() {
        double[][] c = new double[coefficients.length][];
        for (int k = 0; k < c.length; k++) {
            c[k] = coefficients[k].clone();
        }
        return c;
    }

    /** Intercepts, one per row of {@link #coefficients()} (a copy). */
    public double[] intercepts() {
        return intercepts.clone();
    }

    @Override
    public double[][] predictProba(FloatMatrix x) {
        int d = numFeatures();
        if (x.cols() != d) {
            throw new IllegalArgumentException("model has " + d + " features, input has " + x.cols());
        }
        double[][] out = new double[x.rows()][numClasses];
        float[] a = x.data();
        int outputs = coefficients.length;
        double[] z = new double[outputs];
        for (int i = 0; i < x.rows(); i++) {
            double[] p = out[i];
            if (constant) {
                p[classes[0]] = 1.0;
                continue;
            }
            for (int k = 0; k < outputs; k++) {
                z[k] = LogisticObjective.dot(a, i * d, coefficients[k], 0, d) + intercepts[k];
            }
            if (classes.length == 2) {
                double p1 = LogisticObjective.sigmoid(z[0]);
                p[classes[0]] = 1 - p1;
                p[classes[1]] = p1;
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int k = 0; k < outputs; k++) {
                    z[k] = Math.exp(z[k] - max);
                    sum += z[k];
                }
                for (int k = 0; k < outputs; k++) {
                    p[classes[k]] = z[k] / sum;
                }
            }
        }
        return out;
    }
}

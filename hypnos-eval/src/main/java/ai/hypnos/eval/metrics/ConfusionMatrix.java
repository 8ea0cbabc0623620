package ai.hypnos.eval.metrics;

/**
 * Counts of (true label, predicted label) pairs: {@code count(t, p)} is the (weighted) number of
 * rows of class {@code t} predicted as {@code p} — rows are true classes, columns predictions,
 * as scikit-learn's {@code confusion_matrix}. Weights are sample weights (bootstrap
 * multiplicities); without them every row counts 1.
 */
public final class ConfusionMatrix {
    private final double[][] counts;

    private ConfusionMatrix(double[][] counts) {
        this.counts = counts;
    }

    /** Unweighted confusion matrix over labels {@code 0..numClasses-1}. */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, int numClasses) {
        return of(yTrue, yPred, numClasses, null);
    }

    /**
     * Weighted confusion matrix.
     *
     * @param weights weight per row, or {@code null} for 1
     * @throws IllegalArgumentException on length mismatch or a label outside the range
     */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, int numClasses, double[] weights) {
        if (yTrue.length != yPred.length || (weights != null && weights.length != yTrue.length)) {
            throw new IllegalArgumentException("lengths differ: " + yTrue.length + " true labels, " + yPred.length
                    + " predictions" + (weights == null ? "" : ", " + weights.length + " weights"));
        }
        double[][] c = new double[numClasses][numClasses];
        for (int i = 0; i < yTrue.length; i++) {
            int t = yTrue[i];
            int p = yPred[i];
            if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
                throw new IllegalArgumentException("label pair (" + t + ", " + p + ") at row " + i + " is outside 0.." + (numClasses - 1));
            }
            c[t][p] += weights == null ? 1.0 : weights[i];
        }
        return new ConfusionMatrix(c);
    }

    /** From explicit counts (copied); rows true, columns predicted. */
    public static ConfusionMatrix ofCounts(double[][] counts) {
        double[][] c = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != counts.length) {
                throw new IllegalArgumentException("confusion matrix must be square");
            }
            c[i] = counts[i].clone();
        }
        return new ConfusionMatrix(c);
    }

    public int numClasses() {
        return counts.length;
    }

    public double count(int trueLabel, int predictedLabel) {
        return counts[trueLabel][predictedLabel];
    }

    /** A copy of the counts, rows true labels, columns predictions. */
    public double[][] counts() {
        double[][] c = new double[counts.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }

    /** Total (weighted) number of rows. */
    public double total() {
        double s = 0;
        for (double[] row : counts) {
            for (double v : row) {
                s += v;
            }
        }
        return s;
    }

    /** Rows whose true label is {@code k}. */
    public double support(int k) {
        double s = 0;
        for (double v : counts[k]) {
            s += v;
        }
        return s;
    }

    /** Rows predicted as {@code k}. */
    public double predicted(int k) {
        double s = 0;
        for (double[] row : counts) {
            s += row[k];
        }
        return s;
    }

    /** Each row divided by its sum (recall per cell); rows without support stay 0. */
    public double[][] normalizedByTrue() {
        double[][] n = new double[counts.length][counts.length];
        for (int t = 0; t < counts.length; t++) {
            double s = support(t);
            for (int p = 0; p < counts.length; p++) {
                n[t][p] = s == 0 ? 0 : counts[t][p] / s;
            }
        }
        return n;
    }

    /** Sum of two matrices of the same size (pooling folds). */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        if (other.numClasses() != numClasses()) {
            throw new IllegalArgumentException("cannot add confusion matrices of " + numClasses() + " and " + other.numClasses() + " classes");
        }
        double[][] c = counts();
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                c[i][j] += other.counts[i][j];
            }
        }
        return new ConfusionMatrix(c);
    }
}

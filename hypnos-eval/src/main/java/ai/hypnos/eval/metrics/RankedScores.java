package ai.hypnos.eval.metrics;

import java.util.Arrays;

/**
 * Binary labels with real-valued scores, sorted once by decreasing score, from which AUROC,
 * average precision and the ROC / precision–recall curves follow in one sweep each. Sample
 * weights (e.g. bootstrap multiplicities) can be given per sweep, so a bootstrap does not sort
 * again for every resample.
 *
 * <p>Tied scores form one threshold, as in scikit-learn's {@code roc_curve} and
 * {@code precision_recall_curve}; the AUROC then equals the Mann–Whitney probability with ties
 * counted one half.
 */
public final class RankedScores {
    private final int[] order;
    private final boolean[] positive;
    private final double[] score;
    /** {@code true} at sorted position i when the score differs from position i+1 (end of a tie block). */
    private final boolean[] blockEnd;

    private RankedScores(int[] order, boolean[] positive, double[] score, boolean[] blockEnd) {
        this.order = order;
        this.positive = positive;
        this.score = score;
        this.blockEnd = blockEnd;
    }

    /**
     * @param y     labels, 1 = positive, 0 = negative
     * @param score higher = more likely positive; must be finite
     */
    public static RankedScores of(int[] y, double[] score) {
        if (y.length != score.length) {
            throw new IllegalArgumentException(y.length + " labels but " + score.length + " scores");
        }
        int n = y.length;
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("binary labels must be 0 or 1, got " + y[i] + " at row " + i);
            }
            if (!Double.isFinite(score[i])) {
                throw new IllegalArgumentException("score at row " + i + " is not finite: " + score[i]);
            }
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(score[b], score[a]));
        int[] order = new int[n];
        boolean[] pos = new boolean[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = boxed[i];
            pos[i] = y[boxed[i]] == 1;
            s[i] = score[boxed[i]];
        }
        boolean[] end = new boolean[n];
        for (int i = 0; i < n; i++) {
            end[i] = i == n - 1 || s[i] != s[i + 1];
        }
        return new RankedScores(order, pos, s, end);
    }

    public int size() {
        return order.length;
    }

    /** Area under the ROC curve; NaN when only one class is present. */
    public double auroc() {
        return auroc(null);
    }

    /** Weighted AUROC (weights indexed like the original rows). */
    public double auroc(double[] weights) {
        double tps = 0;
        double fps = 0;
        double prevTps = 0;
        double prevFps = 0;
        double area = 0;
        for (int i = 0; i < order.length; i++) {
            double w = weights == null ? 1.0 : weights[order[i]];
            if (positive[i]) {
                tps += w;
            } else {
                fps += w;
            }
            if (blockEnd[i]) {
                area += (fps - prevFps) * (tps + prevTps) / 2; // trapezoid
                prevTps = tps;
                prevFps = fps;
            }
        }
        if (tps == 0 || fps == 0) {
            return Double.NaN;
        }
        return area / (tps * fps);
    }

    /**
     * Average precision, scikit-learn's {@code average_precision_score}:
     * {@code Σₙ (Rₙ − Rₙ₋₁)·Pₙ} over decreasing thresholds, without interpolation.
     * NaN when there are no positives.
     */
    public double averagePrecision() {
        return averagePrecision(null);
    }

    /** Weighted average precision. */
    public double averagePrecision(double[] weights) {
        double totalPos = 0;
        for (int i = 0; i < order.length; i++) {
            if (positive[i]) {
                totalPos += weights == null ? 1.0 : weights[order[i]];
            }
        }
        if (totalPos == 0) {
            return Double.NaN;
        }
        double tps = 0;
        double fps = 0;
        double prevRecall = 0;
        double ap = 0;
        for (int i = 0; i < order.length; i++) {
            double w = weights == null ? 1.0 : weights[order[i]];
            if (positive[i]) {
                tps += w;
            } else {
                fps += w;
            }
            if (blockEnd[i] && tps + fps > 0) {
                double recall = tps / totalPos;
                ap += (recall - prevRecall) * (tps / (tps + fps));
                prevRecall = recall;
            }
        }
        return ap;
    }

    /**
     * The ROC curve at every distinct threshold, starting at (0, 0) with threshold +∞ (as
     * scikit-learn's {@code roc_curve(drop_intermediate=False)}).
     */
    public RocCurve rocCurve() {
        int blocks = 0;
        for (boolean e : blockEnd) {
            blocks += e ? 1 : 0;
        }
        double[] fpr = new double[blocks + 1];
        double[] tpr = new double[blocks + 1];
        double[] thr = new double[blocks + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        double tps = 0;
        double fps = 0;
        int b = 1;
        for (int i = 0; i < order.length; i++) {
            if (positive[i]) {
                tps++;
            } else {
                fps++;
            }
            if (blockEnd[i]) {
                tpr[b] = tps;
                fpr[b] = fps;
                thr[b] = score[i];
                b++;
            }
        }
        for (int i = 0; i <= blocks; i++) {
            tpr[i] = tps == 0 ? Double.NaN : tpr[i] / tps;
            fpr[i] = fps == 0 ? Double.NaN : fpr[i] / fps;
        }
        return new RocCurve(fpr, tpr, thr);
    }

    /** False- and true-positive rates per threshold (decreasing thresholds). */
    public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate, double[] thresholds) {
    }
}

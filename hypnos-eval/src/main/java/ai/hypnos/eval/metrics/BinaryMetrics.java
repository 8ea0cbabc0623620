package ai.hypnos.eval.metrics;

/**
 * Threshold-free metrics of a binary detector (AF per ECG window): AUROC and AUPRC as average
 * precision, each with a bootstrap confidence interval.
 *
 * @param auroc    area under the ROC curve (sklearn {@code roc_auc_score})
 * @param auprc    average precision (sklearn {@code average_precision_score})
 * @param aurocCi  bootstrap CI of the AUROC
 * @param auprcCi  bootstrap CI of the AUPRC
 * @param positives number of positive rows
 * @param negatives number of negative rows
 */
public record BinaryMetrics(double auroc, double auprc, ConfidenceInterval aurocCi, ConfidenceInterval auprcCi,
                            int positives, int negatives) {

    /**
     * Computes both metrics and their CIs.
     *
     * @param y         0/1 labels
     * @param score     scores (probability of class 1)
     * @param groups    subject per row for subject-level resampling, or {@code null} for row-level
     * @param bootstrap the resampling scheme
     */
    public static BinaryMetrics compute(int[] y, double[] score, int[] groups, Bootstrap bootstrap) {
        RankedScores ranked = RankedScores.of(y, score);
        int pos = 0;
        for (int v : y) {
            pos += v;
        }
        ConfidenceInterval rocCi = bootstrap.interval(y.length, groups, ranked::auroc);
        ConfidenceInterval prCi = bootstrap.interval(y.length, groups, ranked::averagePrecision);
        return new BinaryMetrics(rocCi.estimate(), prCi.estimate(), rocCi, prCi, pos, y.length - pos);
    }

    /** AUROC of scores against 0/1 labels (NaN with a single class). */
    public static double auroc(int[] y, double[] score) {
        return RankedScores.of(y, score).auroc();
    }

    /** Average precision of scores against 0/1 labels (NaN without positives). */
    public static double averagePrecision(int[] y, double[] score) {
        return RankedScores.of(y, score).averagePrecision();
    }
}

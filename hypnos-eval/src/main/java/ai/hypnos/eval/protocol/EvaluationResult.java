package ai.hypnos.eval.protocol;

import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.ClassificationMetrics;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * All folds of one protocol run, plus the metrics of the pooled predictions (every test row of
 * every fold once), which is how sleep-staging papers usually report cross-validated κ.
 *
 * @param probe        description of the probe
 * @param protocol     description of the protocol (e.g. {@code "5-fold subject CV, seed 0"})
 * @param folds        per-fold results
 * @param pooled       all test predictions
 * @param overall      metrics of {@code pooled}
 * @param kappaCi      bootstrap CI of the pooled κ (subject-level when so configured)
 * @param macroF1Ci    bootstrap CI of the pooled macro-F1
 * @param binary       pooled AUROC/AUPRC with CIs for two-class tasks, else {@code null}
 */
public record EvaluationResult(String probe, String protocol, List<FoldResult> folds, Predictions pooled,
                               ClassificationMetrics overall, ConfidenceInterval kappaCi, ConfidenceInterval macroF1Ci,
                               BinaryMetrics binary) {

    public EvaluationResult {
        folds = List.copyOf(folds);
    }

    /** Mean over folds of a fold metric. */
    public double foldMean(ToDoubleFunction<ClassificationMetrics> metric) {
        return folds.stream().mapToDouble(f -> metric.applyAsDouble(f.metrics())).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n−1) over folds of a fold metric; NaN for one fold. */
    public double foldStd(ToDoubleFunction<ClassificationMetrics> metric) {
        double[] v = folds.stream().mapToDouble(f -> metric.applyAsDouble(f.metrics())).filter(Double::isFinite).toArray();
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }
}

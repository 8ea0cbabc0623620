package ai.hypnos.eval.protocol;

import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.metrics.ClassificationMetrics;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import java.util.List;

/**
 * Turns predictions into results: metrics per split, and the pooled metrics over all splits with
 * bootstrap confidence intervals (κ, macro-F1, and AUROC/AUPRC for two classes). Shared by the
 * probes ({@link ProbeEvaluation}) and the supervised CNN baseline, so both report alike.
 */
public final class Scoring {
    private final Bootstrap bootstrap;
    private final boolean subjectBootstrap;

    /**
     * @param bootstrap        resampling for the CIs
     * @param subjectBootstrap resample subjects (true) or rows (false)
     */
    public Scoring(Bootstrap bootstrap, boolean subjectBootstrap) {
        this.bootstrap = bootstrap;
        this.subjectBootstrap = subjectBootstrap;
    }

    public Bootstrap bootstrap() {
        return bootstrap;
    }

    public boolean subjectBootstrap() {
        return subjectBootstrap;
    }

    /** Metrics of one split's predictions. */
    public FoldResult fold(Split split, int trainRows, Predictions p) {
        return new FoldResult(split, trainRows, p, p.metrics(), binary(p));
    }

    /** Pools the folds' predictions into one result. */
    public EvaluationResult summarize(String model, List<FoldResult> folds, String protocol) {
        Predictions pooled = Predictions.concat(folds.stream().map(FoldResult::predictions).toList());
        ClassificationMetrics overall = pooled.metrics();
        int[] groups = subjectBootstrap ? pooled.subjectGroups() : null;
        int k = pooled.numClasses();
        ConfidenceInterval kappa = bootstrap.interval(pooled.size(), groups,
                w -> ClassificationMetrics.compute(pooled.yTrue(), pooled.yPred(), k, w).cohenKappa());
        ConfidenceInterval f1 = bootstrap.interval(pooled.size(), groups,
                w -> ClassificationMetrics.compute(pooled.yTrue(), pooled.yPred(), k, w).macroF1());
        return new EvaluationResult(model, protocol, folds, pooled, overall, kappa, f1, binary(pooled));
    }

    private BinaryMetrics binary(Predictions p) {
        if (p.numClasses() != 2) {
            return null;
        }
        return BinaryMetrics.compute(p.yTrue(), p.scores(1), subjectBootstrap ? p.subjectGroups() : null, bootstrap);
    }
}

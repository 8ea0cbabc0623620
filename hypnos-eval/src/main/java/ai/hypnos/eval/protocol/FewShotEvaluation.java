package ai.hypnos.eval.protocol;

import ai.hypnos.eval.data.LabeledDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few-shot protocol: for every seed and label fraction, each split keeps only a
 * {@link FewShot} subset of its training subjects (nested across fractions, different per fold),
 * trains the probe on them and tests on the split's full test subjects. Test sets never shrink,
 * so points of the curve are comparable.
 */
public final class FewShotEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(FewShotEvaluation.class);

    private final ProbeEvaluation evaluation;
    private final FewShot fewShot;

    public FewShotEvaluation(ProbeEvaluation evaluation, FewShot fewShot) {
        this.evaluation = evaluation;
        this.fewShot = fewShot;
    }

    /** Runs every (fraction, seed) over the splits. */
    public FewShotResult run(LabeledDataset data, List<Split> splits) {
        List<FewShotResult.Point> points = new ArrayList<>();
        for (long seed : fewShot.seeds()) {
            for (double f : fewShot.fractions()) {
                List<FoldResult> folds = new ArrayList<>();
                int firstCount = -1;
                for (int i = 0; i < splits.size(); i++) {
                    Split s = splits.get(i);
                    List<String> subset = fewShot.subset(s.train(), f, seed, i);
                    if (firstCount < 0) {
                        firstCount = subset.size();
                    }
                    String name = String.format(Locale.ROOT, "%s/%.4g/seed-%d", s.name(), f, seed);
                    folds.add(evaluation.runSplit(data, data, s.withTrain(subset, name), seed * 1000 + i));
                }
                String protocol = String.format(Locale.ROOT, "few-shot %.4g of training subjects, seed %d", f, seed);
                EvaluationResult r = evaluation.summarize(folds, protocol);
                LOG.info("{}: kappa {}", protocol, String.format(Locale.ROOT, "%.4f", r.overall().cohenKappa()));
                points.add(new FewShotResult.Point(f, seed, firstCount, r));
            }
        }
        return new FewShotResult(points);
    }
}

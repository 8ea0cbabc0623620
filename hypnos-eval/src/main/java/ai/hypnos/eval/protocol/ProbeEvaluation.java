package ai.hypnos.eval.protocol;

import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.Classifier;
import ai.hypnos.eval.probe.ProbeSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains probes on the training subjects of splits and predicts their test subjects: the engine
 * under k-fold, fixed-split, few-shot and modality-subset protocols.
 *
 * <pre>{@code
 * ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(1.0), Bootstrap.defaults(), true);
 * EvaluationResult r = eval.crossValidate(data, new SubjectKFold(5, 0).splits(data.subjects()), 0, "5-fold");
 * System.out.println(r.overall().cohenKappa());
 * }</pre>
 */
public final class ProbeEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeEvaluation.class);

    private final ProbeSpec spec;
    private final Scoring scoring;

    /**
     * @param spec             the probe to train per split
     * @param bootstrap        resampling for confidence intervals
     * @param subjectBootstrap resample subjects (true) or rows (false) for the CIs
     */
    public ProbeEvaluation(ProbeSpec spec, Bootstrap bootstrap, boolean subjectBootstrap) {
        this.spec = spec;
        this.scoring = new Scoring(bootstrap, subjectBootstrap);
    }

    public Scoring scoring() {
        return scoring;
    }

    public ProbeSpec spec() {
        return spec;
    }

    /** Trains a fresh probe on the rows of {@code train}; {@code seed} seeds the MLP. */
    public Classifier fit(LabeledDataset train, long seed) {
        return spec.create(seed).fit(train.x(), train.y(), train.numClasses(), train.subjectIndex());
    }

    /** Predicts every row of {@code test}. */
    public static Predictions predict(Classifier model, LabeledDataset test) {
        double[][] proba = model.predictProba(test.x());
        int[] pred = Classifier.argmax(proba);
        int n = test.size();
        String[] s = new String[n];
        String[] r = new String[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = test.subjectOf(i);
            r[i] = test.recordingOf(i);
            idx[i] = test.indexOf(i);
        }
        return new Predictions(s, r, idx, test.y().clone(), pred, proba, test.classNames());
    }

    /** Trains on {@code split.train()} rows of {@code trainData}, tests on {@code split.test()} rows of {@code testData}. */
    public FoldResult runSplit(LabeledDataset trainData, LabeledDataset testData, Split split, long seed) {
        LabeledDataset train = trainData.selectSubjects(split.train());
        LabeledDataset test = testData.selectSubjects(split.test());
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("split '" + split.name() + "' has " + train.size() + " training and "
                    + test.size() + " test rows");
        }
        long t0 = System.nanoTime();
        Classifier model = fit(train, seed);
        Predictions p = predict(model, test);
        LOG.info("{}: trained on {} rows of {} subjects, tested on {} rows of {} subjects ({} ms)", split.name(),
                train.size(), train.subjects().size(), test.size(), test.subjects().size(), (System.nanoTime() - t0) / 1_000_000);
        return foldResult(split, train.size(), p);
    }

    /** Metrics of one split's predictions. */
    public FoldResult foldResult(Split split, int trainRows, Predictions p) {
        return scoring.fold(split, trainRows, p);
    }

    /** Runs every split on one dataset and pools the test predictions. */
    public EvaluationResult crossValidate(LabeledDataset data, List<Split> splits, long seed, String protocol) {
        return crossValidate(data, data, splits, seed, protocol);
    }

    /**
     * Runs every split, training on {@code trainData} and testing on {@code testData} (the same
     * dataset, or e.g. all-modality features for training and restricted ones for testing).
     * Split i trains with seed {@code seed + i}.
     */
    public EvaluationResult crossValidate(LabeledDataset trainData, LabeledDataset testData, List<Split> splits,
                                          long seed, String protocol) {
        List<FoldResult> folds = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            folds.add(runSplit(trainData, testData, splits.get(i), seed + i));
        }
        return summarize(folds, protocol);
    }

    /** Pools folds into an {@link EvaluationResult} with bootstrap CIs. */
    public EvaluationResult summarize(List<FoldResult> folds, String protocol) {
        return scoring.summarize(spec.describe(), folds, protocol);
    }
}

package ai.hypnos.eval.protocol;

import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.ModalitySelection;
import ai.hypnos.eval.probe.Classifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Restricted-modality evaluation: how a probe does when only some sensors are available at test
 * time. For each test subset S, two numbers over the same splits:
 * <ul>
 *   <li><b>trained on all</b>: the probe is trained on all-modality means and applied to the
 *       means over S (one model per split, shared by every S);</li>
 *   <li><b>trained on S</b>: the probe is trained and tested on means over S.</li>
 * </ul>
 * The all→all result comes first as the reference.
 */
public final class ModalitySubsetEvaluation {
    /** Builds the dataset of a modality selection (e.g. from embedding files). */
    @FunctionalInterface
    public interface DatasetProvider {
        LabeledDataset dataset(ModalitySelection selection) throws IOException;
    }

    /**
     * @param train  modalities the probe was trained on
     * @param test   modalities it was tested on
     * @param result the cross-validated result
     */
    public record Row(ModalitySelection train, ModalitySelection test, EvaluationResult result) {
    }

    private final ProbeEvaluation evaluation;

    public ModalitySubsetEvaluation(ProbeEvaluation evaluation) {
        this.evaluation = evaluation;
    }

    /** Runs all→all, then all→S and S→S for every subset. */
    public List<Row> run(DatasetProvider provider, List<ModalitySelection> subsets, List<Split> splits, long seed)
            throws IOException {
        ModalitySelection all = ModalitySelection.all();
        LabeledDataset full = provider.dataset(all);
        List<Classifier> models = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            models.add(evaluation.fit(full.selectSubjects(splits.get(i).train()), seed + i));
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(all, all, apply(models, full, splits, "trained on all, tested on all", full)));
        for (ModalitySelection s : subsets) {
            LabeledDataset restricted = provider.dataset(s);
            rows.add(new Row(all, s, apply(models, full, splits, "trained on all, tested on " + s, restricted)));
            rows.add(new Row(s, s, evaluation.crossValidate(restricted, splits, seed, "trained and tested on " + s)));
        }
        return rows;
    }

    private EvaluationResult apply(List<Classifier> models, LabeledDataset train, List<Split> splits, String protocol,
                                   LabeledDataset test) {
        List<FoldResult> folds = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            LabeledDataset t = test.selectSubjects(s.test());
            if (t.size() == 0) {
                throw new IllegalArgumentException("split '" + s.name() + "' has no test rows for " + protocol);
            }
            Predictions p = ProbeEvaluation.predict(models.get(i), t);
            folds.add(evaluation.foldResult(s, train.rowsOf(s.train()).length, p));
        }
        return evaluation.summarize(folds, protocol);
    }
}

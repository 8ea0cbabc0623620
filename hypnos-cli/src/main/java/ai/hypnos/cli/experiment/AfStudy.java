package ai.hypnos.cli.experiment;

import ai.djl.Device;
import ai.hypnos.core.synth.AfSpec;
import ai.hypnos.core.synth.AfWindows;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.EmbeddingMatrix;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.eval.data.EpochDatasetBuilder;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.Predictions;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.SubjectKFold;
import ai.hypnos.train.metrics.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atrial-fibrillation detection on the synthetic AF window set ({@link AfWindows}: AF, sinus
 * rhythm, and other arrhythmias that mimic AF). Each 30-s single-lead ECG window is embedded by
 * a pretrained model (file → channel resolution → preprocessing → ECG tokenizer → transformer),
 * its ECG embedding averaged over the window, and a linear probe scores AF against everything
 * else under window-wise k-fold cross-validation (every window is its own "subject"; AUROC and
 * AUPRC with bootstrap CIs over windows).
 */
final class AfStudy {
    private static final Logger LOG = LoggerFactory.getLogger(AfStudy.class);

    /** One window of {@code labels.csv}. */
    record Window(String id, Path file, boolean af, String label) {
    }

    /**
     * The evaluation of one model.
     *
     * @param result        pooled cross-validated result (AUROC/AUPRC with CIs in {@code binary()})
     * @param aurocVsSinus  AUROC of the pooled scores on AF and sinus windows only
     * @param aurocVsOther  AUROC on AF and other-arrhythmia windows only
     */
    record Outcome(EvaluationResult result, double aurocVsSinus, double aurocVsOther) {
    }

    private AfStudy() {
    }

    /** Generates the window set into {@code dir} unless its {@code labels.csv} exists; returns the windows. */
    static List<Window> windows(Path dir, int count, long seed) throws IOException {
        Path labels = dir.resolve("labels.csv");
        if (!Files.isRegularFile(labels)) {
            AfWindows.generate(AfSpec.of(count, 30, seed), dir);
        }
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        List<String> head = List.of(lines.get(0).split(","));
        int id = head.indexOf("window");
        int rec = head.indexOf("recording");
        int lab = head.indexOf("label");
        List<Window> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            out.add(new Window(f[id], dir.resolve(f[rec]), f[lab].equals(AfWindows.Label.AF.key()), f[lab]));
        }
        return out;
    }

    /** One row per window: the model's ECG embedding averaged over the window, label AF (1) or not (0). */
    static LabeledDataset embed(Path bundle, List<Window> windows, Device device) throws IOException {
        LabeledDataset.Builder b = LabeledDataset.builder(EpochDatasetBuilder.AF_NAMES);
        try (HypnosModel model = Hypnos.load(bundle, LoadOptions.defaults().withDevice(device));
                Progress progress = Progress.start("embed AF windows", 0, windows.size(), "windows", LOG)) {
            int n = 0;
            for (Window w : windows) {
                Embeddings e = model.embed(w.file(), EmbedOptions.defaults());
                EmbeddingMatrix ecg = e.find("ecg").orElseThrow(() -> new IllegalStateException(
                        w.file() + ": the ECG channel was not resolved: " + e.notes()));
                float[] mean = new float[ecg.cols()];
                for (int s = 0; s < ecg.rows(); s++) {
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] += ecg.get(s, j) / ecg.rows();
                    }
                }
                b.add(w.id(), w.id(), new FloatMatrix(1, mean.length, mean), new int[] {w.af() ? 1 : 0});
                progress.update(++n, w.id());
            }
        }
        return b.build();
    }

    /** Linear probe, window-wise k-fold; AUROC overall and against each kind of negative. */
    static Outcome evaluate(LabeledDataset data, List<Window> windows, ProbeEvaluation linear, int folds, long seed) {
        EvaluationResult r = linear.crossValidate(data, new SubjectKFold(folds, seed).splits(data.subjects()), seed,
                folds + "-fold cross-validation over windows");
        Map<String, String> labelOf = new LinkedHashMap<>();
        windows.forEach(w -> labelOf.put(w.id(), w.label()));
        Predictions p = r.pooled();
        double[] score = p.scores(1);
        return new Outcome(r, auroc(p, score, labelOf, "sinus"), auroc(p, score, labelOf, "other"));
    }

    /** AUROC of AF windows against the windows whose label is {@code negatives}. */
    private static double auroc(Predictions p, double[] score, Map<String, String> labelOf, String negatives) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            String l = labelOf.get(p.subject()[i]);
            if (p.yTrue()[i] == 1 || negatives.equals(l)) {
                keep.add(i);
            }
        }
        int[] y = keep.stream().mapToInt(i -> p.yTrue()[i]).toArray();
        double[] s = keep.stream().mapToDouble(i -> score[i]).toArray();
        return BinaryMetrics.auroc(y, s);
    }
}

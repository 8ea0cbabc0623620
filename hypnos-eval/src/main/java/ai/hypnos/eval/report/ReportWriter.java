package ai.hypnos.eval.report;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.protocol.Predictions;
import ai.hypnos.eval.stats.PairedComparison;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a report folder. Every file is written to a temporary name and renamed into place.
 * <ul>
 *   <li>{@link #write(EvaluationResult, ReportInfo)}: {@code metrics.json}, {@code predictions.csv},
 *       {@code report.md}, {@code confusion.png}, {@code hypnogram.png} (the test subject with the
 *       most rows), and {@code roc.png} for two-class tasks;</li>
 *   <li>{@link #writeFewShot}: {@code metrics.json} (every run and the curves), {@code report.md},
 *       {@code fewshot.png}, plus the predictions, confusion matrix and hypnogram of the
 *       full-label run of the first seed;</li>
 *   <li>{@link #writeModalitySubsets}: {@code modality-subsets.json} and {@code modality-subsets.md};</li>
 *   <li>{@link #writeComparison}: {@code comparison.json} and {@code comparison.md} (Wilcoxon + BH).</li>
 * </ul>
 */
public final class ReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private final Path dir;
    private final double windowSeconds;

    /**
     * @param dir           output folder (created)
     * @param windowSeconds epoch/window length, for the time axis of hypnogram plots
     */
    public ReportWriter(Path dir, double windowSeconds) {
        this.dir = dir;
        this.windowSeconds = windowSeconds;
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files of one evaluation; returns the paths written. */
    public List<Path> write(EvaluationResult r, ReportInfo info) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> figures = figures(r, "");
        writeJson("metrics.json", MetricsJson.of(r, info));
        PredictionsCsv.write(dir.resolve("predictions.csv"), r.pooled());
        writeText("report.md", MarkdownReport.of(r, info, figures));
        LOG.info("report written to {}", dir);
        return listed("metrics.json", "predictions.csv", "report.md", figures);
    }

    /** Writes a few-shot report; {@code curves} may hold several probes' curves for one figure. */
    public List<Path> writeFewShot(FewShotResult r, ReportInfo info) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        String probe = r.points().isEmpty() ? "probe" : r.points().get(0).result().probe();
        curves.put(probe, r.curve(x -> x.overall().cohenKappa()));
        Map<String, String> figures = new LinkedHashMap<>();
        writeBytes("fewshot.png", Plots.png(Plots.fewShotCurve(curves, "Cohen's κ", info.title())));
        figures.put("few-shot curve", "fewshot.png");
        FewShotResult.Point full = r.points().stream()
                .filter(p -> p.seed() == r.points().get(0).seed())
                .max(Comparator.comparingDouble(FewShotResult.Point::fraction)).orElseThrow();
        figures.putAll(figures(full.result(), ""));
        PredictionsCsv.write(dir.resolve("predictions.csv"), full.result().pooled());
        writeJson("metrics.json", MetricsJson.of(r, info));
        writeText("report.md", MarkdownReport.of(r, info, figures));
        LOG.info("few-shot report written to {}", dir);
        return listed("metrics.json", "predictions.csv", "report.md", figures);
    }

    /** Writes a modality-subset table. */
    public List<Path> writeModalitySubsets(List<ModalitySubsetEvaluation.Row> rows, ReportInfo info) throws IOException {
        Files.createDirectories(dir);
        writeJson("modality-subsets.json", MetricsJson.of(rows, info));
        writeText("modality-subsets.md", MarkdownReport.of(rows, info));
        return List.of(dir.resolve("modality-subsets.json"), dir.resolve("modality-subsets.md"));
    }

    /** Writes paired comparisons of model A against model B over subjects. */
    public List<Path> writeComparison(List<PairedComparison.Outcome> outcomes, String modelA, String modelB, ReportInfo info)
            throws IOException {
        Files.createDirectories(dir);
        com.fasterxml.jackson.databind.node.ObjectNode root = MetricsJson.MAPPER.createObjectNode();
        root.put("title", info.title());
        root.put("model_a", modelA);
        root.put("model_b", modelB);
        root.set("comparisons", MetricsJson.of(outcomes));
        writeJson("comparison.json", root);
        writeText("comparison.md", "# " + info.title() + "\n\nA = " + modelA + ", B = " + modelB
                + "; two-sided Wilcoxon signed-rank over subjects, Benjamini–Hochberg across the rows.\n\n"
                + MarkdownReport.of(outcomes, "A", "B"));
        return List.of(dir.resolve("comparison.json"), dir.resolve("comparison.md"));
    }

    /** Confusion matrix, hypnogram of the subject with most test rows, ROC for binary tasks. */
    private Map<String, String> figures(EvaluationResult r, String prefix) throws IOException {
        Map<String, String> figures = new LinkedHashMap<>();
        Predictions p = r.pooled();
        writeBytes(prefix + "confusion.png", Plots.png(Plots.confusionMatrix(r.overall().confusion(), p.classNames(),
                "Confusion matrix (row-normalised)")));
        figures.put("confusion matrix", prefix + "confusion.png");
        String subject = p.subjects().stream()
                .max(Comparator.comparingInt(s -> p.ofSubject(s).size())).orElseThrow();
        Predictions ps = p.ofSubject(subject);
        String recording = ps.recording()[0];
        int[] rows = java.util.stream.IntStream.range(0, ps.size()).filter(i -> ps.recording()[i].equals(recording)).toArray();
        writeBytes(prefix + "hypnogram.png", Plots.pngStacked(Plots.hypnogram(ps.select(rows), windowSeconds,
                "subject " + subject + (recording.equals(subject) ? "" : ", " + recording))));
        figures.put("true vs predicted, subject " + subject, prefix + "hypnogram.png");
        if (r.binary() != null && r.binary().positives() > 0 && r.binary().negatives() > 0) {
            writeBytes(prefix + "roc.png", Plots.png(Plots.rocCurve(p.yTrue(), p.scores(1), "ROC, pooled test windows")));
            figures.put("ROC curve", prefix + "roc.png");
        }
        return figures;
    }

    private List<Path> listed(String a, String b, String c, Map<String, String> figures) {
        List<Path> out = new java.util.ArrayList<>(List.of(dir.resolve(a), dir.resolve(b), dir.resolve(c)));
        figures.values().forEach(f -> out.add(dir.resolve(f)));
        return out;
    }

    private void writeJson(String name, JsonNode node) throws IOException {
        writeBytes(name, MetricsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    private void writeText(String name, String text) throws IOException {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeBytes(String name, byte[] bytes) throws IOException {
        try (AtomicFile f = AtomicFile.create(dir.resolve(name))) {
            f.stream().write(bytes);
            f.commit();
        }
    }
}

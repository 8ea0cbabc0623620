package ai.hypnos.cli.experiment;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.report.Plots;
import ai.hypnos.eval.stats.PairedComparison;
import ai.hypnos.train.pretrain.Pretrainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The experiment's headline files in {@code report/}: {@code summary.json} (every number of the
 * tables), {@code summary.md} (the tables of docs/results.md), {@code fewshot.png} (κ against
 * label fraction for every method, the CNN as one point at 100 %), {@code modalities.png} (κ per
 * test-time modality subset, with and without CRP masking), and copies of the Hypnos
 * confusion matrix and the AF ROC curve.
 */
final class ExperimentSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentPlan plan;
    private final Map<String, String> settings;
    private final ObjectNode timings;

    ExperimentSummary(ExperimentPlan plan, Map<String, String> settings, ObjectNode timings) {
        this.plan = plan;
        this.settings = settings;
        this.timings = timings;
    }

    void write(Path dir, Map<String, Pretrainer.Result> pretraining, StagingStudy.Results staging,
            Map<String, AfStudy.Outcome> af) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.set("settings", JSON.valueToTree(settings));
        root.set("timings_s", timings);
        StringBuilder md = new StringBuilder("# Experiment summary\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        md.append(String.format(Locale.ROOT, "- subjects with labels: %d (%d labelled epochs); held out from pretraining "
                + "(val/test split): %d%n", staging.subjects().size(), staging.epochs(), staging.heldOut().size()));

        pretraining(md, root, pretraining);
        staging(md, root, staging);
        modalities(md, root, staging);
        comparisons(md, root, staging.comparisons());
        af(md, root, af);

        md.append("\n## Stage wall times (s)\n\n| stage | s |\n|---|---|\n");
        timings.fields().forEachRemaining(e -> md.append("| ").append(e.getKey()).append(" | ")
                .append(e.getValue().asText()).append(" |\n"));

        writeBytes(dir.resolve("fewshot.png"), Plots.png(fewShotChart(staging)));
        writeBytes(dir.resolve("modalities.png"), Plots.png(modalityChart(staging)));
        Path out = dir.getParent();
        copy(out.resolve("staging/crp-linear/confusion.png"), dir.resolve("confusion-crp-linear.png"));
        copy(out.resolve("staging/crp-linear/hypnogram.png"), dir.resolve("hypnogram-crp-linear.png"));
        copy(out.resolve("af/crp/roc.png"), dir.resolve("af-roc-crp.png"));
        copy(out.resolve("run-crp/loss.png"), dir.resolve("loss-crp.png"));
        writeBytes(dir.resolve("summary.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        writeBytes(dir.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void pretraining(StringBuilder md, ObjectNode root, Map<String, Pretrainer.Result> runs) {
        md.append("\n## Pretraining\n\n| model | steps | validation loss (nats/token) | unigram entropy | tokens/s |\n"
                + "|---|---|---|---|---|\n");
        ObjectNode node = root.putObject("pretraining");
        runs.forEach((name, r) -> {
            ObjectNode n = node.putObject(name);
            n.put("steps", r.steps());
            num(n, "val_loss", r.validation() == null ? Double.NaN : r.validation().loss());
            num(n, "unigram_entropy", r.unigram() == null ? Double.NaN : r.unigram().loss());
            num(n, "tokens_per_s", r.tokensPerSecond() > 0 ? r.tokensPerSecond() : Double.NaN);
            if (r.validation() != null) {
                n.set("val_loss_per_modality", JSON.valueToTree(r.validation().perModality()));
            }
            md.append("| ").append(name).append(" | ").append(r.steps()).append(" | ")
                    .append(f(r.validation() == null ? Double.NaN : r.validation().loss())).append(" | ")
                    .append(f(r.unigram() == null ? Double.NaN : r.unigram().loss())).append(" | ")
                    // A run that was already complete when resumed reports no throughput of this process.
                    .append(r.tokensPerSecond() > 0 ? String.format(Locale.ROOT, "%.0f", r.tokensPerSecond()) : "n/a")
                    .append(" |\n");
        });
    }

    private void staging(StringBuilder md, ObjectNode root, StagingStudy.Results s) {
        md.append("\n## Sleep staging on held-out subjects\n\n")
                .append("κ and macro-F1: mean ± sd over the few-shot seeds of the pooled test predictions; CIs: 95 % subject "
                        + "bootstrap of the first seed's run. Training subjects per fold in brackets.\n\n")
                .append("| method | labels | κ | κ 95 % CI | macro-F1 | macro-F1 95 % CI | accuracy |\n"
                        + "|---|---|---|---|---|---|---|\n");
        ArrayNode rows = root.putArray("staging");
        for (Map.Entry<String, FewShotResult> e : s.fewShot().entrySet()) {
            FewShotResult r = e.getValue();
            List<double[]> kappa = r.curve(x -> x.overall().cohenKappa());
            List<double[]> f1 = r.curve(x -> x.overall().macroF1());
            List<double[]> acc = r.curve(x -> x.overall().accuracy());
            for (int i = 0; i < kappa.size(); i++) {
                double fraction = kappa.get(i)[0];
                FewShotResult.Point first = r.points().stream().filter(p -> p.fraction() == fraction).findFirst().orElseThrow();
                EvaluationResult er = first.result();
                String labels = StagingStudy.percent(fraction) + " (" + first.trainSubjects() + ")";
                md.append("| ").append(e.getKey()).append(" | ").append(labels).append(" | ").append(pm(kappa.get(i)))
                        .append(" | ").append(ci(er.kappaCi())).append(" | ").append(pm(f1.get(i))).append(" | ")
                        .append(ci(er.macroF1Ci())).append(" | ").append(pm(acc.get(i))).append(" |\n");
                ObjectNode n = rows.addObject();
                n.put("method", e.getKey());
                num(n, "fraction", fraction);
                n.put("train_subjects_first_fold", first.trainSubjects());
                num(n, "kappa_mean", kappa.get(i)[1]);
                num(n, "kappa_sd", kappa.get(i)[2]);
                num(n, "macro_f1_mean", f1.get(i)[1]);
                num(n, "macro_f1_sd", f1.get(i)[2]);
                num(n, "accuracy_mean", acc.get(i)[1]);
                n.set("kappa_ci_seed0", ciNode(er.kappaCi()));
                n.set("macro_f1_ci_seed0", ciNode(er.macroF1Ci()));
                n.put("seeds", (int) kappa.get(i)[3]);
            }
        }
        EvaluationResult c = s.cnn();
        md.append("| cnn | 100 % | ").append(f(c.overall().cohenKappa())).append(" | ").append(ci(c.kappaCi())).append(" | ")
                .append(f(c.overall().macroF1())).append(" | ").append(ci(c.macroF1Ci())).append(" | ")
                .append(f(c.overall().accuracy())).append(" |\n");
        ObjectNode n = rows.addObject();
        n.put("method", "cnn");
        num(n, "fraction", 1.0);
        num(n, "kappa_mean", c.overall().cohenKappa());
        num(n, "macro_f1_mean", c.overall().macroF1());
        num(n, "accuracy_mean", c.overall().accuracy());
        n.set("kappa_ci_seed0", ciNode(c.kappaCi()));
        n.set("macro_f1_ci_seed0", ciNode(c.macroF1Ci()));
        n.set("per_class_f1", JSON.valueToTree(c.overall().perClassF1()));

        md.append("\nκ on the ").append(s.heldOut().size())
                .append(" subjects whose nights were not in the pretraining split (full labels, first seed):\n\n"
                        + "| method | κ (pretraining-held-out subjects) |\n|---|---|\n");
        ObjectNode h = root.putObject("kappa_pretraining_held_out_subjects");
        s.heldOutKappa().forEach((k, v) -> {
            md.append("| ").append(k).append(" | ").append(f(v)).append(" |\n");
            num(h, k, v);
        });
    }

    private void modalities(StringBuilder md, ObjectNode root, StagingStudy.Results s) {
        md.append("\n## Restricted modalities at test time (linear probe, 100 % labels)\n\n| trained on | tested on |");
        s.subsets().keySet().forEach(m -> md.append(' ').append(m).append(" κ [95 % CI] | ").append(m).append(" macro-F1 |"));
        md.append("\n|---|---|").append("---|---|".repeat(s.subsets().size())).append('\n');
        List<String> models = new ArrayList<>(s.subsets().keySet());
        ObjectNode node = root.putObject("modalities");
        int rows = s.subsets().get(models.get(0)).size();
        for (int i = 0; i < rows; i++) {
            ModalitySubsetEvaluation.Row r0 = s.subsets().get(models.get(0)).get(i);
            md.append("| ").append(r0.train().name()).append(" | ").append(r0.test().name()).append(" |");
            for (String m : models) {
                EvaluationResult e = s.subsets().get(m).get(i).result();
                md.append(' ').append(f(e.overall().cohenKappa())).append(' ').append(ci(e.kappaCi())).append(" | ")
                        .append(f(e.overall().macroF1())).append(" |");
                ObjectNode n = node.putObject(m + ": " + r0.train().name() + " -> " + r0.test().name());
                num(n, "kappa", e.overall().cohenKappa());
                n.set("kappa_ci", ciNode(e.kappaCi()));
                num(n, "macro_f1", e.overall().macroF1());
            }
            md.append('\n');
        }
    }

    private void comparisons(StringBuilder md, ObjectNode root, List<PairedComparison.Outcome> outcomes) {
        md.append("\n## Paired comparisons of per-subject κ\n\nTwo-sided Wilcoxon signed-rank over subjects, "
                + "Benjamini–Hochberg over the rows; A is the first method named, B the second; few-shot κ per subject "
                + "is the mean over seeds.\n\n| comparison | subjects | mean A | mean B | median A − B | p | BH p |\n"
                + "|---|---|---|---|---|---|---|\n");
        ArrayNode arr = root.putArray("comparisons");
        for (PairedComparison.Outcome o : outcomes) {
            md.append("| ").append(o.name()).append(" | ").append(o.subjects().size()).append(" | ").append(f(o.meanA()))
                    .append(" | ").append(f(o.meanB())).append(" | ").append(f(o.medianDifference())).append(" | ")
                    .append(p(o.test().pValue())).append(" | ").append(p(o.adjustedP())).append(" |\n");
            ObjectNode n = arr.addObject();
            n.put("name", o.name());
            n.put("subjects", o.subjects().size());
            num(n, "mean_a", o.meanA());
            num(n, "mean_b", o.meanB());
            num(n, "median_difference", o.medianDifference());
            num(n, "p", o.test().pValue());
            num(n, "p_bh", o.adjustedP());
            n.put("method", o.test().method().name());
        }
    }

    private void af(StringBuilder md, ObjectNode root, Map<String, AfStudy.Outcome> af) {
        md.append("\n## AF detection (synthetic AF window set, ECG embeddings, linear probe)\n\n"
                + "| model | windows (AF) | AUROC [95 % CI] | AUPRC [95 % CI] | AUROC AF vs sinus | AUROC AF vs other arrhythmias |\n"
                + "|---|---|---|---|---|---|\n");
        ObjectNode node = root.putObject("af");
        af.forEach((m, o) -> {
            BinaryMetrics b = o.result().binary();
            md.append("| ").append(m).append(" | ").append(b.positives() + b.negatives()).append(" (").append(b.positives())
                    .append(") | ").append(f(b.auroc())).append(' ').append(ci(b.aurocCi())).append(" | ")
                    .append(f(b.auprc())).append(' ').append(ci(b.auprcCi())).append(" | ").append(f(o.aurocVsSinus()))
                    .append(" | ").append(f(o.aurocVsOther())).append(" |\n");
            ObjectNode n = node.putObject(m);
            num(n, "auroc", b.auroc());
            n.set("auroc_ci", ciNode(b.aurocCi()));
            num(n, "auprc", b.auprc());
            n.set("auprc_ci", ciNode(b.auprcCi()));
            num(n, "auroc_af_vs_sinus", o.aurocVsSinus());
            num(n, "auroc_af_vs_other", o.aurocVsOther());
            n.put("positives", b.positives());
            n.put("negatives", b.negatives());
        });
    }

    private org.knowm.xchart.XYChart fewShotChart(StagingStudy.Results s) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        s.fewShot().forEach((name, r) -> curves.put(name, r.curve(x -> x.overall().cohenKappa())));
        curves.put("cnn (100 %)", List.<double[]>of(new double[] {1.0, s.cnn().overall().cohenKappa(), 0, 1}));
        return Plots.fewShotCurve(curves, "Cohen's κ", String.format(Locale.ROOT,
                "Sleep staging, %d held-out-subject folds (mean ± sd over %d seeds)", plan.folds(), plan.fewShotSeeds()));
    }

    private CategoryChart modalityChart(StagingStudy.Results s) {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(440)
                .title("Restricted modalities at test time (linear probe, 100 % labels)")
                .xAxisTitle("trained on → tested on").yAxisTitle("Cohen's κ").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(15);
        for (Map.Entry<String, List<ModalitySubsetEvaluation.Row>> e : s.subsets().entrySet()) {
            List<String> names = e.getValue().stream().map(r -> r.train().name() + " → " + r.test().name()).toList();
            List<Double> kappa = e.getValue().stream().map(r -> r.result().overall().cohenKappa()).toList();
            chart.addSeries(e.getKey(), names, kappa);
        }
        return chart;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write(bytes);
            f.commit();
        }
    }

    private static ObjectNode ciNode(ConfidenceInterval c) {
        ObjectNode n = JSON.createObjectNode();
        if (c != null) {
            num(n, "lower", c.lower());
            num(n, "upper", c.upper());
            num(n, "level", c.level());
            n.put("resamples", c.resamples());
            // Which bootstrap it was (whole subjects, or windows): report.md says so, and so must the JSON.
            n.put("by_subject", c.bySubject());
        }
        return n;
    }

    /** A number, or JSON null when it is not finite (NaN is not JSON). */
    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static String pm(double[] row) {
        return f(row[1]) + (Double.isFinite(row[2]) && row[3] > 1 ? " ± " + f(row[2]) : "");
    }

    static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    static String p(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "n/a";
    }

    static String ci(ConfidenceInterval c) {
        return c == null || !Double.isFinite(c.lower()) ? "n/a" : "[" + f(c.lower()) + ", " + f(c.upper()) + "]";
    }
}

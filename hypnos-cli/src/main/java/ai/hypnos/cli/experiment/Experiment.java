package ai.hypnos.cli.experiment;

import ai.hypnos.cli.quickstart.ConsoleStage;
import ai.hypnos.cli.quickstart.PipelineSteps;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.report.ReportInfo;
import ai.hypnos.eval.report.ReportWriter;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.pretrain.Pretrainer;
import ai.hypnos.train.tokenizers.CohortTokenizerTraining;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation experiment of docs/results.md on a synthetic cohort, in stages that each write
 * one folder under the output folder and skip work already done (an interrupted run continues):
 * <ol>
 *   <li>{@code cohort/}, {@code tokenizers/}, {@code shards/}: as the quickstart
 *       ({@link PipelineSteps});</li>
 *   <li>{@code run-crp/}, {@code run-nomask/}: two RQ-Transformers pretrained on the same shards
 *       with the same seed and settings, with CRP modality masking (α = 1) and without masking;</li>
 *   <li>{@code embeddings-crp/}, {@code embeddings-nomask/}: every night embedded by each;</li>
 *   <li>{@code staging/}: {@link StagingStudy} (few-shot probes, band powers, CNN, restricted
 *       modalities, paired tests);</li>
 *   <li>{@code af/}: {@link AfStudy} on a synthetic AF window set, for both models;</li>
 *   <li>{@code report/}: {@code summary.json}, {@code summary.md} and the combined plots
 *       ({@link ExperimentSummary}).</li>
 * </ol>
 */
final class Experiment {
    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Model name → the masking setting of its pretraining. */
    static final Map<String, String> MODELS = models();

    private final Path out;
    private final ExperimentPlan plan;
    private final PrintWriter console;
    private final Map<String, String> settings;
    private final ObjectNode timings;

    /**
     * @param command the command line that started the run, recorded in every report
     */
    Experiment(Path out, ExperimentPlan plan, PrintWriter console, String command) throws IOException {
        this.out = out;
        this.plan = plan;
        this.console = console;
        this.settings = settings(plan, command);
        this.timings = readTimings(out.resolve("timings.json"));
    }

    /**
     * The stage times an earlier run recorded, or none. The file only informs the summary, so one
     * that cannot be read (empty or cut short by a crash of an older version, edited by hand) must
     * not stop the run: its times are dropped with a warning and recorded again.
     */
    static ObjectNode readTimings(Path file) {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n instanceof ObjectNode o) {
                return o;
            }
            LOG.warn("{}: not a JSON object ({}); earlier stage times dropped", file,
                    n == null || n.isMissingNode() ? "empty" : n.getNodeType());
        } catch (IOException e) {
            LOG.warn("{}: unreadable ({}); earlier stage times dropped", file, e.getMessage());
        }
        return JSON.createObjectNode();
    }

    /** Writes the stage times atomically: a crash mid-write must not leave a file the next run cannot read. */
    static void writeTimings(Path file, ObjectNode timings) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(timings));
            f.commit();
        }
    }

    private static Map<String, String> models() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("crp", "model.kwargs.modality_grouping_alpha=1.0");
        m.put("nomask", "model.kwargs.modality_grouping_alpha=null");
        return m;
    }

    /** Runs every stage; returns the report folder. */
    Path run() throws IOException {
        Files.createDirectories(out);
        Cohort cohort = stage("cohort", () -> PipelineSteps.cohort(out.resolve("cohort"),
                new CohortSpec(plan.subjects(), plan.hours(), plan.seed(), List.of(Site.values()), true), console));
        Path tokenizers = stage("tokenizers", () -> PipelineSteps.tokenizers(cohort, out.resolve("tokenizers"),
                new CohortTokenizerTraining.Options(TokenizerPreset.fromKey(plan.tokenizerPreset()), plan.tokenizerSteps(),
                        plan.tokenizerNights(), 0, plan.seed(), plan.djlDevice()), console));
        Path shards = stage("shards", () -> PipelineSteps.shards(cohort, tokenizers, out.resolve("shards"), console));
        Map<String, Pretrainer.Result> pretraining = new LinkedHashMap<>();
        Map<String, Path> embeddings = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : MODELS.entrySet()) {
            List<String> sets = new ArrayList<>(plan.pretrain());
            sets.add(m.getValue());
            Pretrainer.Result r = stage("pretrain-" + m.getKey(),
                    () -> PipelineSteps.pretrain(out.resolve("run-" + m.getKey()), shards, plan.seed(), sets));
            pretraining.put(m.getKey(), r);
            if (r.validation() != null && !Double.isFinite(r.validation().loss())) {
                // A diverged run has non-finite weights: its embeddings would be NaN. Report it, evaluate the rest.
                console.printf(Locale.ROOT, "   %s diverged (validation loss %s): left out of the evaluation%n", m.getKey(),
                        r.validation().loss());
                LOG.warn("pretraining run {} diverged (validation loss {}): not evaluated", m.getKey(), r.validation().loss());
                continue;
            }
            embeddings.put(m.getKey(), stage("embed-" + m.getKey(),
                    () -> PipelineSteps.embedShards(shards, r.bundle(), out.resolve("embeddings-" + m.getKey()), plan.djlDevice())));
        }
        if (embeddings.isEmpty()) {
            throw new IllegalStateException("every pretraining run diverged; nothing to evaluate (see the run folders' metrics)");
        }
        Path manifestFile = PipelineSteps.probeManifest(cohort, embeddings.values().iterator().next(),
                out.resolve("staging").resolve("probe-manifest.csv"));
        Manifest manifest = Manifest.read(manifestFile);
        StagingStudy.Results staging = stage("staging",
                () -> new StagingStudy(out.resolve("staging"), plan, settings).run(embeddings, manifest));

        List<AfStudy.Window> windows = stage("af-windows",
                () -> AfStudy.windows(out.resolve("af").resolve("windows"), plan.afWindows(), plan.seed()));
        Map<String, AfStudy.Outcome> af = new LinkedHashMap<>();
        ProbeEvaluation linear = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(plan.bootstrap(), 0.95, plan.seed()),
                true);
        for (Map.Entry<String, Pretrainer.Result> m : pretraining.entrySet()) {
            if (!embeddings.containsKey(m.getKey())) {
                continue;
            }
            AfStudy.Outcome o = stage("af-" + m.getKey(), () -> {
                LabeledDataset d = AfStudy.embed(m.getValue().bundle(), windows, plan.djlDevice());
                AfStudy.Outcome r = AfStudy.evaluate(d, windows, linear, plan.afFolds(), plan.seed());
                new ReportWriter(out.resolve("af").resolve(m.getKey()), 30).write(r.result(), new ReportInfo(
                        "AF detection from " + m.getKey() + " ECG embeddings, linear probe",
                        windows.size() + " synthetic 30-s ECG windows (AF vs sinus rhythm and other arrhythmias)", settings));
                return r;
            });
            af.put(m.getKey(), o);
        }
        Path report = out.resolve("report");
        new ExperimentSummary(plan, settings, timings).write(report, pretraining, staging, af);
        return report;
    }

    /** Runs a stage, prints and records its wall time ({@code timings.json}; a skipped stage keeps its earlier time). */
    private <T> T stage(String name, ConsoleStage.Body<T> body) throws IOException {
        ConsoleStage.Timed<T> t = ConsoleStage.run(console, name, body);
        double s = t.wallSeconds();
        if (s > 5 || !timings.has(name)) {
            timings.put(name, Math.round(s * 10) / 10.0);
            writeTimings(out.resolve("timings.json"), timings);
        }
        return t.result();
    }

    private static Map<String, String> settings(ExperimentPlan plan, String command) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("command", command);
        s.put("cohort", String.format(Locale.ROOT, "%d synthetic subjects x %.2f h, 4 sites, faults on, seed %d",
                plan.subjects(), plan.hours(), plan.seed()));
        s.put("tokenizers", String.format(Locale.ROOT, "%s, %d steps per signal type on %d training nights, seed %d",
                plan.tokenizerPreset(), plan.tokenizerSteps(), plan.tokenizerNights(), plan.seed()));
        s.put("pretraining", String.join(" ", plan.pretrain()) + ", seed " + plan.seed()
                + "; crp: modality_grouping_alpha=1.0, nomask: modality_grouping_alpha=null");
        s.put("folds", plan.folds() + " subject-wise folds, seed " + plan.seed());
        s.put("few-shot", "fractions " + java.util.Arrays.toString(plan.fractions()) + ", subset seeds 0.."
                + (plan.fewShotSeeds() - 1));
        s.put("cnn", "max " + plan.cnnPasses() + " passes, seed " + plan.seed() + " + fold");
        s.put("af", plan.afWindows() + " windows, seed " + plan.seed() + ", " + plan.afFolds() + " window-wise folds");
        s.put("device", plan.device());
        s.put("bootstrap", plan.bootstrap() + " resamples of subjects, 95 %, seed " + plan.seed());
        return s;
    }
}

package ai.hypnos.cli.quickstart;

import ai.djl.Device;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.eval.data.EmbeddingCohort;
import ai.hypnos.eval.data.LabelFiles;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.SubjectKFold;
import ai.hypnos.eval.report.ReportInfo;
import ai.hypnos.eval.report.ReportWriter;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.pretrain.Pretrainer;
import ai.hypnos.train.tokenizers.CohortTokenizerTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline on a synthetic cohort, in six stages, each writing one folder under the
 * output folder and each skipped when its output is already complete (so an interrupted
 * quickstart continues where it stopped):
 * <ol>
 *   <li>{@code cohort/}: synthetic PSG nights (EDF + NSRR XML) and {@code manifest.csv};</li>
 *   <li>{@code tokenizers/}: one tokenizer per signal type, trained on training nights;</li>
 *   <li>{@code shards/}: token shards of every night;</li>
 *   <li>{@code run/}: RQ-Transformer pretraining (checkpoints, metrics, {@code loss.png},
 *       {@code model.safetensors});</li>
 *   <li>{@code embeddings/}: per-night embeddings ({@code <id>.npz}), computed from the shards'
 *       tokens with the trained bundle;</li>
 *   <li>{@code report/}: a linear sleep-staging probe under subject-wise cross-validation
 *       ({@code report.md}, {@code metrics.json}, plots).</li>
 * </ol>
 */
final class Quickstart {

    private final Path out;
    private final QuickstartPlan plan;
    private final PrintWriter console;
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();

    Quickstart(Path out, QuickstartPlan plan, PrintWriter console) {
        this.out = out;
        this.plan = plan;
        this.console = console;
    }

    /** The outcome shown to the user. */
    record Outcome(EvaluationResult probe, Pretrainer.Result pretraining, Path report, Map<String, Double> stageSeconds) {
    }

    Outcome run() throws IOException {
        Files.createDirectories(out);
        Cohort cohort = stage("1/6 synthetic cohort", this::cohort);
        Path tokenizers = stage("2/6 tokenizers", () -> tokenizers(cohort));
        Path shards = stage("3/6 token shards", () -> shards(cohort, tokenizers));
        Pretrainer.Result pre = stage("4/6 pretraining", () -> pretrain(shards));
        Path embeddings = stage("5/6 embeddings", () -> embed(shards, pre.bundle()));
        EvaluationResult probe = stage("6/6 sleep-staging probe", () -> probe(cohort, embeddings));
        return new Outcome(probe, pre, out.resolve("report"), stageSeconds);
    }

    private <T> T stage(String name, ConsoleStage.Body<T> body) throws IOException {
        ConsoleStage.Timed<T> t = ConsoleStage.run(console, name, body);
        stageSeconds.put(name.substring(4), t.wallSeconds());
        return t.result();
    }

    private Cohort cohort() throws IOException {
        return PipelineSteps.cohort(out.resolve("cohort"),
                new CohortSpec(plan.subjects(), plan.hours(), plan.seed(), List.of(Site.values()), true), console);
    }

    private Path tokenizers(Cohort cohort) throws IOException {
        return PipelineSteps.tokenizers(cohort, out.resolve("tokenizers"), new CohortTokenizerTraining.Options(
                TokenizerPreset.fromKey(plan.tokenizerPreset()), plan.tokenizerSteps(), plan.tokenizerNights(),
                plan.tokenizerBatch(), plan.seed(), Device.cpu()), console);
    }

    private Path shards(Cohort cohort, Path tokenizers) throws IOException {
        return PipelineSteps.shards(cohort, tokenizers, out.resolve("shards"), console);
    }

    private Pretrainer.Result pretrain(Path shards) throws IOException {
        return PipelineSteps.pretrain(out.resolve("run"), shards, plan.seed(), plan.pretrain());
    }

    /** Embeds every shard with the trained bundle (tokens from the shard: no second tokenization). */
    private Path embed(Path shards, Path bundle) throws IOException {
        return PipelineSteps.embedShards(shards, bundle, out.resolve("embeddings"));
    }

    /** A linear probe of sleep stages on the embeddings, subject-wise k-fold. */
    private EvaluationResult probe(Cohort cohort, Path embeddings) throws IOException {
        // The probe's manifest: the nights that were embedded (a faulty night may have been skipped).
        Path manifestFile = PipelineSteps.probeManifest(cohort, embeddings, out.resolve("report").resolve("probe-manifest.csv"));
        EmbeddingCohort data = new EmbeddingCohort(embeddings, Manifest.read(manifestFile), LabelFiles.Task.STAGING);
        LabeledDataset dataset = data.dataset(data.defaultSelection());
        int folds = Math.min(plan.folds(), dataset.subjects().size());
        ProbeEvaluation evaluation = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(500, 0.95, plan.seed()), true);
        EvaluationResult r = evaluation.crossValidate(dataset, new SubjectKFold(folds, plan.seed()).splits(dataset.subjects()),
                plan.seed(), folds + " subject folds");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("command", "hypnos quickstart --out " + out);
        settings.put("probe", "linear (multinomial logistic regression, C = 1), standardised features");
        settings.put("protocol", folds + " subject-wise folds over all embedded nights");
        settings.put("embeddings", "mean over present modalities, averaged per 30-s epoch");
        String line = embeddings + ": " + dataset.subjects().size() + " subjects, " + dataset.size()
                + " labelled epochs, " + dataset.numFeatures() + " features";
        new ReportWriter(out.resolve("report"), 30).write(r,
                new ReportInfo("Quickstart — sleep staging from pretrained embeddings", line, settings));
        return r;
    }
}

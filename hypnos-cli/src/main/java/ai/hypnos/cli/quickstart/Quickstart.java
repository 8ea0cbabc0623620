package ai.hypnos.cli.quickstart;

import ai.djl.Device;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.TokenizedRecording;
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
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.metrics.Progress;
import ai.hypnos.train.pretrain.ConfigLoader;
import ai.hypnos.train.pretrain.PretrainConfig;
import ai.hypnos.train.pretrain.Pretrainer;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.train.shard.ShardMetadata;
import ai.hypnos.train.shard.ShardModality;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.train.tokenizers.CohortTokenizerTraining;
import com.fasterxml.jackson.databind.JsonNode;
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
    private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);

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

    @FunctionalInterface
    private interface Stage<T> {
        T run() throws IOException;
    }

    private <T> T stage(String name, Stage<T> body) throws IOException {
        console.println("== " + name);
        console.flush();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        T result = body.run();
        double s = (System.nanoTime() - t0) / 1e9;
        stageSeconds.put(name.substring(4), s);
        LOG.info("stage {}: wall {} s, process CPU {} s", name, String.format(Locale.ROOT, "%.1f", s),
                String.format(Locale.ROOT, "%.1f", (processCpuNanos() - cpu0) / 1e9));
        console.printf(Locale.ROOT, "   done in %s%n", Progress.formatDuration(s));
        console.flush();
        return result;
    }

    /** CPU time of the whole process (all threads, libtorch's included): what the stage costs on an idle machine. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private Cohort cohort() throws IOException {
        Path dir = out.resolve("cohort");
        Path manifest = dir.resolve("manifest.csv");
        if (!Files.isRegularFile(manifest)) {
            console.printf(Locale.ROOT, "   generating %d nights of %.1f h (4 sites, realistic faults) in %s%n",
                    plan.subjects(), plan.hours(), dir);
            SyntheticCohort.generate(new CohortSpec(plan.subjects(), plan.hours(), plan.seed(), List.of(Site.values()), true),
                    dir);
        } else {
            console.println("   reusing " + manifest);
        }
        return Cohort.fromManifest(manifest, SubjectSplitter.defaults());
    }

    private Path tokenizers(Cohort cohort) throws IOException {
        Path dir = out.resolve("tokenizers");
        boolean done = Files.isDirectory(dir) && Files.list(dir).anyMatch(p -> p.toString().endsWith(".safetensors"))
                && !Files.exists(dir.resolve("signals"));
        if (done) {
            console.println("   reusing " + dir);
            return dir;
        }
        console.printf(Locale.ROOT, "   %s tokenizers, %d steps per signal type, on %d training nights%n",
                plan.tokenizerPreset(), plan.tokenizerSteps(), plan.tokenizerNights());
        CohortTokenizerTraining.train(cohort, dir, new CohortTokenizerTraining.Options(
                TokenizerPreset.fromKey(plan.tokenizerPreset()), plan.tokenizerSteps(), plan.tokenizerNights(),
                plan.tokenizerBatch(), plan.seed(), Device.cpu()));
        return dir;
    }

    private Path shards(Cohort cohort, Path tokenizers) throws IOException {
        Path dir = out.resolve("shards");
        try (TokenizerSet set = TokenizerSet.open(tokenizers, Device.cpu())) {
            BuildSummary s = new ShardBuilder(set).buildAll(cohort, dir,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            console.printf(Locale.ROOT, "   %s%n", s.headline());
            for (BuildSummary.Outcome f : s.failures()) {
                console.printf(Locale.ROOT, "   skipped %s: %s%n", f.id(), f.reason());
            }
        }
        return dir;
    }

    private Pretrainer.Result pretrain(Path shards) throws IOException {
        List<String> sets = new ArrayList<>(List.of("run_dir=" + out.resolve("run"), "shards=" + shards,
                "seed=" + plan.seed()));
        sets.addAll(plan.pretrain());
        PretrainConfig config = ConfigLoader.load(null, sets);
        try (Pretrainer p = Pretrainer.open(config, true)) {
            return p.run();
        }
    }

    /** Embeds every shard with the trained bundle (tokens from the shard: no second tokenization). */
    private Path embed(Path shards, Path bundle) throws IOException {
        Path dir = out.resolve("embeddings");
        Files.createDirectories(dir);
        List<String> ids = ShardFiles.ids(shards);
        try (HypnosModel model = Hypnos.load(bundle);
                Progress progress = Progress.start("embed", 0, ids.size(), "recordings", LOG)) {
            int n = 0;
            for (String id : ids) {
                Path target = dir.resolve(id + ".npz");
                JsonNode meta = ShardFiles.readMetadata(shards, id);
                if (!Files.isRegularFile(target)) {
                    ShardLayout layout = ShardMetadata.layout(meta);
                    int seconds = meta.get("seconds").asInt();
                    short[] raw = Npy.read(ShardFiles.tokensFile(shards, id)).toShortArray();
                    int[] tokens = new int[raw.length];
                    for (int i = 0; i < raw.length; i++) {
                        tokens[i] = raw[i];
                    }
                    boolean[] presence = Npy.read(ShardFiles.presenceFile(shards, id)).toBooleanArray();
                    List<String> names = layout.modalities().stream().map(ShardModality::name).toList();
                    int[] ks = layout.modalities().stream().mapToInt(ShardModality::numQuantizers).toArray();
                    int[] channels = new int[names.size()];
                    for (int i = 0; i < channels.length; i++) {
                        channels[i] = presence[i] ? layout.modality(i).modality().id() : 0;
                    }
                    Embeddings e = model.embedTokens(new TokenizedRecording(names, ks, tokens, seconds, presence, channels,
                            null, List.of()), EmbedOptions.defaults());
                    e.writeNpz(target);
                }
                progress.update(++n, id);
            }
        }
        return dir;
    }

    /** A linear probe of sleep stages on the embeddings, subject-wise k-fold. */
    private EvaluationResult probe(Cohort cohort, Path embeddings) throws IOException {
        // The probe's manifest: the nights that were embedded (a faulty night may have been skipped).
        List<CohortManifest.Entry> rows = new ArrayList<>();
        for (CohortEntry e : cohort.entries()) {
            if (Files.isRegularFile(embeddings.resolve(e.id() + ".npz")) && e.annotations() != null) {
                rows.add(new CohortManifest.Entry(e.subject(), e.path().toAbsolutePath().toString(),
                        e.annotations().toAbsolutePath().toString(), e.site(), e.notch(), e.split().key()));
            }
        }
        Path manifestFile = out.resolve("report").resolve("probe-manifest.csv");
        Files.createDirectories(manifestFile.getParent());
        new CohortManifest(manifestFile, rows).write();
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

package ai.hypnos.cli.quickstart;

import ai.djl.Device;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.TokenizedRecording;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of the synthetic-cohort pipeline, shared by {@code hypnos quickstart} and
 * {@code hypnos experiment}: generate a cohort, train tokenizers, build token shards, pretrain,
 * embed every shard, and write a probe manifest. Each step skips work whose output is already
 * complete, so an interrupted run continues where it stopped.
 */
public final class PipelineSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineSteps.class);

    private PipelineSteps() {
    }

    /** Generates the cohort into {@code dir} unless its manifest exists; reads it with the default subject splitter. */
    public static Cohort cohort(Path dir, CohortSpec spec, PrintWriter console) throws IOException {
        Path manifest = dir.resolve("manifest.csv");
        if (!Files.isRegularFile(manifest)) {
            console.printf(Locale.ROOT, "   generating %d nights of %.2f h (%d sites, faults %s) in %s%n",
                    spec.subjects(), spec.hours(), spec.sites().size(), spec.faults() ? "on" : "off", dir);
            console.flush();
            SyntheticCohort.generate(spec, dir);
        } else {
            console.println("   reusing " + manifest);
        }
        return Cohort.fromManifest(manifest, SubjectSplitter.defaults());
    }

    /** Trains one tokenizer per signal type on the cohort's training nights, unless {@code dir} already holds them. */
    public static Path tokenizers(Cohort cohort, Path dir, CohortTokenizerTraining.Options options, PrintWriter console)
            throws IOException {
        boolean done = false;
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve("signals"))) {
            try (Stream<Path> files = Files.list(dir)) {
                done = files.anyMatch(p -> p.toString().endsWith(".safetensors"));
            }
        }
        if (done) {
            console.println("   reusing " + dir);
            return dir;
        }
        console.printf(Locale.ROOT, "   %s tokenizers, %d steps per signal type, on %d training nights%n",
                options.preset().key(), options.steps(), options.maxRecordings());
        console.flush();
        CohortTokenizerTraining.train(cohort, dir, options);
        return dir;
    }

    /** Builds (or completes) the token shards of every night; failures are printed and skipped. */
    public static Path shards(Cohort cohort, Path tokenizers, Path dir, PrintWriter console) throws IOException {
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

    /**
     * Pretrains (or resumes) a run in {@code runDir} on {@code shards}; a run that already
     * finished there with the same settings is reused ({@link Pretrainer#finishedRun}).
     *
     * @param overrides {@code key=value} settings on top of the defaults (docs/training.md)
     */
    public static Pretrainer.Result pretrain(Path runDir, Path shards, long seed, List<String> overrides) throws IOException {
        List<String> sets = new ArrayList<>(List.of("run_dir=" + runDir, "shards=" + shards, "seed=" + seed));
        sets.addAll(overrides);
        PretrainConfig config = ConfigLoader.load(null, sets);
        Optional<Pretrainer.Result> finished = Pretrainer.finishedRun(config);
        if (finished.isPresent()) {
            LOG.info("reusing the finished run in {}", runDir);
            return finished.get();
        }
        try (Pretrainer p = Pretrainer.open(config, true)) {
            return p.run();
        }
    }

    /**
     * Embeds every shard with a trained bundle (tokens from the shard: no second tokenization)
     * into {@code dir/<id>.npz}; existing files are kept.
     */
    public static Path embedShards(Path shards, Path bundle, Path dir) throws IOException {
        return embedShards(shards, bundle, dir, Device.cpu());
    }

    /** As {@link #embedShards(Path, Path, Path)}, with the model on {@code device}. */
    public static Path embedShards(Path shards, Path bundle, Path dir, Device device) throws IOException {
        Files.createDirectories(dir);
        List<String> ids = ShardFiles.ids(shards);
        try (HypnosModel model = Hypnos.load(bundle, LoadOptions.defaults().withDevice(device));
                Progress progress = Progress.start("embed", 0, ids.size(), "recordings", LOG)) {
            int n = 0;
            for (String id : ids) {
                Path target = dir.resolve(id + ".npz");
                if (!Files.isRegularFile(target)) {
                    embedShard(model, shards, id).writeNpz(target);
                }
                progress.update(++n, id);
            }
        }
        return dir;
    }

    private static Embeddings embedShard(HypnosModel model, Path shards, String id) throws IOException {
        JsonNode meta = ShardFiles.readMetadata(shards, id);
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
        return model.embedTokens(new TokenizedRecording(names, ks, tokens, seconds, presence, channels, null, List.of()),
                EmbedOptions.defaults());
    }

    /**
     * Writes a probe manifest (absolute paths) of the labelled nights that have an embedding
     * file in {@code embeddings} (a night whose shard failed is left out).
     */
    public static Path probeManifest(Cohort cohort, Path embeddings, Path file) throws IOException {
        List<CohortManifest.Entry> rows = new ArrayList<>();
        for (CohortEntry e : cohort.entries()) {
            if (Files.isRegularFile(embeddings.resolve(e.id() + ".npz")) && e.annotations() != null) {
                rows.add(new CohortManifest.Entry(e.subject(), e.path().toAbsolutePath().toString(),
                        e.annotations().toAbsolutePath().toString(), e.site(), e.notch(), e.split().key()));
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        new CohortManifest(file, rows).write();
        return file;
    }
}

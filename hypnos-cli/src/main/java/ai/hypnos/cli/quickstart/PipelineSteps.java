package ai.hypnos.cli.quickstart;

import ai.djl.Device;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
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
import ai.hypnos.train.cohort.Split;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Written into the tokenizer folder once every tokenizer is trained: the types trained. */
    public static final String TOKENIZERS_DONE_FILE = "tokenizers-done.json";

    private PipelineSteps() {
    }

    /**
     * Generates the cohort into {@code dir} unless its manifest exists; reads it with the default
     * subject splitter. A cohort is only reused when the spec it was generated with (stored as
     * {@value CohortSpecFile#NAME} beside the manifest) equals {@code spec}: otherwise the run would
     * train on one cohort while its reports state the asked-for size and seed.
     *
     * @throws IllegalArgumentException if {@code dir} holds a cohort generated with another spec
     */
    public static Cohort cohort(Path dir, CohortSpec spec, PrintWriter console) throws IOException {
        Path manifest = dir.resolve("manifest.csv");
        Path specFile = dir.resolve(CohortSpecFile.NAME);
        if (!Files.isRegularFile(manifest)) {
            console.printf(Locale.ROOT, "   generating %d nights of %.2f h (%d sites, faults %s) in %s%n",
                    spec.subjects(), spec.hours(), spec.sites().size(), spec.faults() ? "on" : "off", dir);
            console.flush();
            // Written before the nights: generation writes the manifest last, so a crash in between
            // never leaves a manifest without its spec (a spec without a manifest is regenerated).
            CohortSpecFile.write(specFile, spec);
            SyntheticCohort.generate(spec, dir);
        } else if (!Files.isRegularFile(specFile)) {
            // Cohorts generated before the spec was stored: refusing them would throw away hours of
            // generation for no known fault, so they are reused, with a warning that nobody checked.
            LOG.warn("{} has no {}: cannot check that it was generated with {}; reusing it as it is", dir, CohortSpecFile.NAME,
                    CohortSpecFile.json(spec));
            console.println("   reusing " + manifest + " (generated without a stored spec: not checked against this run's)");
        } else {
            CohortSpec stored = CohortSpecFile.read(specFile);
            if (!stored.equals(spec)) {
                throw new IllegalArgumentException("the cohort in " + dir + " was generated with " + CohortSpecFile.json(stored)
                        + " but this run asks for " + CohortSpecFile.json(spec)
                        + ": use another output folder, or delete " + dir + " to generate the cohort again");
            }
            console.println("   reusing " + manifest);
        }
        return Cohort.fromManifest(manifest, SubjectSplitter.defaults());
    }

    /**
     * Trains one tokenizer per signal type on the cohort's training nights, unless {@code dir}
     * already holds all of them. {@link CohortTokenizerTraining} writes one file per type as it
     * goes, so a run that failed part-way leaves some types only; reusing such a folder would
     * build shards, and pretrain a model, without the missing modalities. The folder counts as
     * done when the {@value #TOKENIZERS_DONE_FILE} marker written after a finished training
     * names types whose files all exist, or (folders from before the marker) when every signal
     * type the training nights provide has its file; otherwise every tokenizer is trained again.
     */
    public static Path tokenizers(Cohort cohort, Path dir, CohortTokenizerTraining.Options options, PrintWriter console)
            throws IOException {
        Set<SignalType> missing = missingTokenizers(cohort, dir, options);
        if (missing.isEmpty()) {
            console.println("   reusing " + dir);
            return dir;
        }
        if (Files.isDirectory(dir)) {
            LOG.info("{}: no finished tokenizer set (missing {}): training them all again", dir, keys(missing));
        }
        // The marker would vouch for a set this training is about to replace, and a type this run
        // no longer trains must not keep a tokenizer from the failed run (the shard builder takes
        // every .safetensors in the folder).
        Files.deleteIfExists(dir.resolve(TOKENIZERS_DONE_FILE));
        for (SignalType t : SignalType.values()) {
            Files.deleteIfExists(dir.resolve(tokenizerFileName(t)));
        }
        console.printf(Locale.ROOT, "   %s tokenizers, %d steps per signal type, on %d training nights%n",
                options.preset().key(), options.steps(), options.maxRecordings());
        console.flush();
        CohortTokenizerTraining.Result r = CohortTokenizerTraining.train(cohort, dir, options);
        ObjectNode done = JSON.createObjectNode();
        ArrayNode types = done.putArray("signal_types");
        r.files().keySet().forEach(t -> types.add(t.key()));
        try (AtomicFile f = AtomicFile.create(dir.resolve(TOKENIZERS_DONE_FILE))) {
            f.stream().write((done.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
        return dir;
    }

    /**
     * The signal types whose tokenizer {@code dir} lacks; empty when the folder holds a finished
     * set. Every type counts as missing while a {@code signals/} scratch folder is left (training
     * was interrupted before its clean-up).
     */
    static Set<SignalType> missingTokenizers(Cohort cohort, Path dir, CohortTokenizerTraining.Options options)
            throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve("signals"))) {
            return EnumSet.allOf(SignalType.class);
        }
        Set<SignalType> expected = trainedTypes(dir.resolve(TOKENIZERS_DONE_FILE));
        if (expected == null) {
            expected = providedTypes(cohort, options.maxRecordings());
        }
        Set<SignalType> missing = EnumSet.noneOf(SignalType.class);
        for (SignalType t : expected) {
            if (!Files.isRegularFile(dir.resolve(tokenizerFileName(t)))) {
                missing.add(t);
            }
        }
        return missing;
    }

    /** The file {@link CohortTokenizerTraining} saves a type's tokenizer in. */
    static String tokenizerFileName(SignalType type) {
        return type.key() + ".safetensors";
    }

    /** The types the done marker lists, or null if there is no usable marker. */
    private static Set<SignalType> trainedTypes(Path marker) {
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            JsonNode types = JSON.readTree(marker.toFile()).get("signal_types");
            if (types == null || !types.isArray() || types.isEmpty()) {
                throw new IOException("no signal_types list");
            }
            Set<SignalType> s = EnumSet.noneOf(SignalType.class);
            for (JsonNode t : types) {
                s.add(SignalType.fromKey(t.asText()));
            }
            return s;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: unreadable ({}); checking the tokenizers against the cohort instead", marker, e.getMessage());
            return null;
        }
    }

    /**
     * The signal types the nights {@link CohortTokenizerTraining} trains on provide: the first
     * {@code max} training nights by id, as it picks them. Only the channel headers are read. A
     * night that cannot be opened is skipped, as the training leaves it out.
     */
    private static Set<SignalType> providedTypes(Cohort cohort, int max) {
        List<CohortEntry> train = new ArrayList<>(cohort.entries(Split.TRAIN));
        train.sort(Comparator.comparing(CohortEntry::id));
        Set<SignalType> types = EnumSet.noneOf(SignalType.class);
        ChannelResolver resolver = ChannelResolver.defaults();
        for (CohortEntry e : train.subList(0, Math.min(max, train.size()))) {
            try (Recording rec = Recordings.open(e.path())) {
                resolver.resolve(rec).present().forEach(m -> types.add(m.signalType()));
            } catch (IOException | RuntimeException ex) {
                LOG.warn("{}: cannot read its channels ({}); not counted among the tokenizers needed", e.id(), ex.getMessage());
            }
        }
        return types;
    }

    private static String keys(Set<SignalType> types) {
        return types.stream().map(SignalType::key).toList().toString();
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

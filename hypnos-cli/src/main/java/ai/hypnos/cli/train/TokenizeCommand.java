package ai.hypnos.cli.train;

import ai.hypnos.cli.spark.SparkHandOff;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.pretrain.PretrainConfig;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnos tokenize}: token shards of every recording of a cohort (manifest or folder), for
 * pretraining. See docs/training.md.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tokenize a cohort into token shards for pretraining: per recording <id>.tokens.npy "
                + "(int16 [S, ΣK]), <id>.presence.npy and <id>.json (channel resolution, tokenizers, split).",
            "Finished shards are skipped, so an interrupted run continues where it stopped; a recording that "
                + "cannot be read is listed with its reason in shards-summary.csv."})
public final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Exactly one cohort source. */
    static final class Source {
        @Option(names = "--manifest", paramLabel = "CSV",
                description = "Cohort manifest: subject,recording,annotations,site,notch,split.")
        Path manifest;

        @Option(names = "--cohort", paramLabel = "DIR",
                description = "Folder of EDF files with NSRR scorings (<name>.edf + <name>-nsrr.xml), searched recursively.")
        Path cohort;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--tokenizers", required = true, paramLabel = "DIR|BUNDLE",
            description = "Folder of trained tokenizers (one .safetensors per signal type) or a model bundle.")
    Path tokenizers;

    @Option(names = "--out", required = true, paramLabel = "SHARDS", description = "Shard folder (created).")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
            description = "Recordings tokenized in parallel (default: one per core).")
    Integer threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N",
            description = "Where the tokenizers run (default cpu).")
    String device;

    @Option(names = "--notch", defaultValue = "50", paramLabel = "HZ",
            description = "--cohort: mains frequency of the recordings (50, or 60 for American cohorts such as NSRR's).")
    int notch;

    @Option(names = "--alias", paramLabel = "LABEL=MODALITY",
            description = "Extra channel alias (repeatable), e.g. --alias 'EEG Left=eeg_c3'.")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of subjects for validation where the manifest names no split (default 0.1).")
    double valFraction;

    @Option(names = "--test-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of subjects for testing where the manifest names no split (default 0.1).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the subject-hash splits (default 0).")
    long splitSeed;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run on Apache Spark instead (e.g. local[2], yarn); needs --manifest. See docs/spark.md.")
    String spark;

    @Option(names = "--strict", description = "Exit with code 3 when a recording failed (default: 0; failures are listed).")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        Map<String, String> aliasMap = parseAliases(aliases);
        if (spark != null) {
            return SparkHandOff.run("tokenize", spark, sparkArgs());
        }
        SubjectSplitter splitter = new SubjectSplitter(valFraction, testFraction, splitSeed);
        Cohort cohort = source.manifest != null ? Cohort.fromManifest(source.manifest, splitter)
                : Cohort.scan(source.cohort, notch, splitter);
        int workers = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        BuildSummary summary;
        try (TokenizerSet set = TokenizerSet.open(tokenizers, PretrainConfig.parseDevice(device))) {
            summary = new ShardBuilder(set, aliasMap, 1).buildAll(cohort, out, workers);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %s (%.1f hours tokenized in this run)%n", out, summary.headline(), summary.builtHours());
        for (BuildSummary.Outcome f : summary.failures()) {
            o.printf(Locale.ROOT, "failed: %s (%s): %s%n", f.id(), f.source(), f.reason());
        }
        o.println("summary: " + out.resolve(ShardFiles.SUMMARY_CSV));
        o.flush();
        return strict && !summary.failures().isEmpty() ? 3 : 0;
    }

    /**
     * The Spark job's arguments: every option that changes the shards goes along, so a run on
     * Spark builds what the local run would. {@code --threads} does not apply there (Spark's
     * master decides the parallelism) and is refused rather than dropped.
     */
    List<String> sparkArgs() {
        if (source.manifest == null) {
            throw new IllegalArgumentException("--spark needs --manifest (the Spark job reads manifests)");
        }
        if (threads != null) {
            throw new IllegalArgumentException("--threads does not apply with --spark: the master sets the parallelism "
                    + "(e.g. local[4])");
        }
        List<String> args = new ArrayList<>(List.of("--manifest", source.manifest.toString(), "--tokenizers",
                tokenizers.toString(), "--out", out.toString(), "--device", device,
                "--val-fraction", Double.toString(valFraction), "--test-fraction", Double.toString(testFraction),
                "--split-seed", Long.toString(splitSeed)));
        aliases.forEach(a -> args.addAll(List.of("--alias", a)));
        if (strict) {
            args.add("--strict");
        }
        return args;
    }

    /** {@code LABEL=MODALITY} pairs. */
    static Map<String, String> parseAliases(List<String> aliases) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : aliases) {
            int eq = a.lastIndexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new IllegalArgumentException("--alias expects LABEL=MODALITY, got '" + a + "'");
            }
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }
}

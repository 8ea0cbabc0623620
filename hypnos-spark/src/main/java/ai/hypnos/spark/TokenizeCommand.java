package ai.hypnos.spark;

import ai.hypnos.train.cohort.SubjectSplitter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenize}: token shards of every recording of a manifest, on Spark. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Build token shards (<id>.tokens.npy, <id>.presence.npy, <id>.json) of every recording of a "
                + "manifest on Spark, byte-identical to the single-machine shard builder's. Finished shards are "
                + "skipped; a Parquet status table lists every recording.")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin
    JobCommandOptions job;

    @Option(names = "--tokenizers", required = true, paramLabel = "URI",
            description = "Tokenizer bundle (.safetensors, e.g. a model bundle) or folder of tokenizer files.")
    String tokenizers;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of subjects for validation where the manifest names no split (default 0.1).")
    double valFraction;

    @Option(names = "--test-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of subjects for testing where the manifest names no split (default 0.1).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the subject-hash splits (default 0).")
    long splitSeed;

    @Override
    public Integer call() throws Exception {
        JobReport r = SparkJobs.tokenize(new TokenizeJob(job.manifest, tokenizers, job.out, job.device, job.aliases,
                new SubjectSplitter(valFraction, testFraction, splitSeed)), job.runOptions());
        return HypnosSparkJob.print(r, job.strict);
    }
}

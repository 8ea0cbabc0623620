package ai.hypnos.spark;

import java.io.IOException;

/**
 * Java entry points of the Spark jobs (the command line and {@code spark-submit} go through
 * {@link HypnosSparkJob}). Safe to reference without Spark on the classpath: each call checks for
 * Spark first and fails with instructions ({@link SparkRuntime#require()}).
 *
 * <pre>{@code
 * JobReport r = SparkJobs.tokenize(TokenizeJob.of("hdfs:///cohorts/shhs/manifest.csv",
 *         "hdfs:///models/tokenizers", "hdfs:///shards/shhs"), SparkRunOptions.defaults());
 * System.out.println(r.headline());   // tokenize: 5804 recordings: 5790 ok, 0 skipped, 14 failed ...
 * }</pre>
 *
 * <p>A run is idempotent and resumable: outputs already finished are skipped (status
 * {@code skipped}), outputs appear only complete (temporary name, then rename), and each run
 * writes its own status table. Do not run two jobs into the same output folder at once.
 */
public final class SparkJobs {
    private SparkJobs() {
    }

    /** Tokenizes every recording of the manifest into token shards. */
    public static JobReport tokenize(TokenizeJob job, SparkRunOptions run) throws IOException {
        SparkRuntime.require();
        return CohortJob.tokenize(job, run);
    }

    /** Embeds every recording of the manifest into one NPZ each. */
    public static JobReport embed(EmbedJob job, SparkRunOptions run) throws IOException {
        SparkRuntime.require();
        return CohortJob.embed(job, run);
    }
}

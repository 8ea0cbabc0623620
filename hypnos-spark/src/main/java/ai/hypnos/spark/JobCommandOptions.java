package ai.hypnos.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options {@code tokenize} and {@code embed} share: cohort, output, device and how to run on Spark. */
final class JobCommandOptions {
    @Option(names = "--manifest", required = true, paramLabel = "URI",
            description = "Cohort manifest, CSV or Parquet: subject,recording,annotations,site,notch,split "
                    + "(paths relative to the manifest's folder). Any Hadoop URI: local path, hdfs://, s3a://…")
    String manifest;

    @Option(names = "--out", required = true, paramLabel = "URI",
            description = "Output folder (any Hadoop URI). Temporary files and unfinished status tables that "
                    + "interrupted runs left there are removed once untouched for 1 hour (younger ones may belong to "
                    + "another run into the same folder).")
    String out;

    @Option(names = "--master", paramLabel = "MASTER",
            description = "Spark master: local[N], local[*], yarn, k8s://…, spark://… (default: spark-submit's, "
                    + "else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Spark setting (repeatable), e.g. --conf spark.executor.memory=4g.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--status", paramLabel = "URI",
            description = "Where to write this run's Parquet status table (default <out>/_status/<run id>).")
    String status;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Tasks to spread the recordings over (default 0: one recording per task).")
    int partitions;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N",
            description = "Device on the executors (default cpu).")
    String device;

    @Option(names = "--alias", paramLabel = "LABEL=MODALITY",
            description = "Extra channel label for a modality (repeatable), e.g. --alias 'EEG A1-A2=eeg_c3'.")
    Map<String, String> aliases = new LinkedHashMap<>();

    @Option(names = "--strict", description = "Exit with code 3 when any recording failed (default: 0, failures are "
            + "in the status table).")
    boolean strict;

    SparkRunOptions runOptions() {
        return new SparkRunOptions(master, conf, status, partitions, strict);
    }
}

package ai.hypnos.spark;

import java.util.Map;

/**
 * How a job runs on Spark (whatever it computes).
 *
 * @param master     Spark master ({@code local[2]}, {@code yarn}, {@code k8s://…}, {@code spark://…});
 *                   {@code null}: the one {@code spark-submit} set, else {@code local[*]}
 * @param conf       extra Spark settings ({@code spark.executor.memory} → {@code 4g}…)
 * @param statusUri  where to write this run's status table; {@code null}:
 *                   {@code <out>/_status/<run id>}
 * @param partitions tasks to spread the recordings over; 0: one recording per task
 * @param strict     report failure (exit code 3) when any recording failed
 */
public record SparkRunOptions(String master, Map<String, String> conf, String statusUri, int partitions, boolean strict) {

    public SparkRunOptions {
        conf = Map.copyOf(conf);
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0 (0: one recording per task), got " + partitions);
        }
    }

    /** The embedded default: {@code local[*]} unless spark-submit chose a master, one recording per task. */
    public static SparkRunOptions defaults() {
        return new SparkRunOptions(null, Map.of(), null, 0, false);
    }

    public SparkRunOptions withMaster(String m) {
        return new SparkRunOptions(m, conf, statusUri, partitions, strict);
    }

    public SparkRunOptions withConf(Map<String, String> c) {
        return new SparkRunOptions(master, c, statusUri, partitions, strict);
    }

    public SparkRunOptions withStatusUri(String uri) {
        return new SparkRunOptions(master, conf, uri, partitions, strict);
    }

    public SparkRunOptions withPartitions(int n) {
        return new SparkRunOptions(master, conf, statusUri, n, strict);
    }
}

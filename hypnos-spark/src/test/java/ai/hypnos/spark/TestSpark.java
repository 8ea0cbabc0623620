package ai.hypnos.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} Spark session for all tests of the module (its start costs ~15 s): jobs
 * find it as the active session and leave it running.
 */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("hypnos-spark tests")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
        }
        return session;
    }
}

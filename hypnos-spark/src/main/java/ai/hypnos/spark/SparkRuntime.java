package ai.hypnos.spark;

/**
 * Whether Spark is on the classpath. {@code hypnos-spark} declares Spark {@code provided}: on a
 * cluster {@code spark-submit} brings it; the {@code ./hypnos} launcher adds it when a command
 * runs on Spark; everywhere else a clear message says how to get it instead of a
 * {@link NoClassDefFoundError} from deep inside a job.
 */
public final class SparkRuntime {
    /** A class every Spark SQL distribution has. */
    static final String PROBE = "org.apache.spark.sql.SparkSession";

    private SparkRuntime() {
    }

    /** Whether Spark SQL can be loaded here. */
    public static boolean available() {
        try {
            Class.forName(PROBE, false, SparkRuntime.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Fails with instructions when Spark is missing.
     *
     * @throws IllegalStateException if Spark SQL is not on the classpath
     */
    public static void require() {
        if (!available()) {
            throw new IllegalStateException("Apache Spark 4 (spark-sql_2.13) is not on the classpath. Run through "
                    + "./hypnos (it adds Spark's jars when a command runs on Spark), add the jars of a Spark 4 "
                    + "installation (java -cp \"hypnos-cli.jar:hypnos-spark.jar:$SPARK_HOME/jars/*\" ...), or submit "
                    + "the job with spark-submit --class ai.hypnos.spark.HypnosSparkJob (docs/spark.md)");
        }
    }
}

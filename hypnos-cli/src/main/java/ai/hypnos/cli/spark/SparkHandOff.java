package ai.hypnos.cli.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a command over to the Spark job of {@code hypnos-spark}, found by name at run time: the
 * command line has no build dependency on {@code hypnos-spark} or Spark, so its users never
 * download Spark's ~270 MB unless they run something on Spark. The {@code ./hypnos} launcher puts
 * {@code hypnos-spark} and Spark's jars on the classpath when the command line asks for Spark
 * ({@code hypnos spark …} or {@code --spark MASTER}); without them the user gets instructions.
 *
 * <p>Commands with a {@code --spark MASTER} option call {@link #run(String, String, List)}:
 * <pre>{@code
 * if (spark != null) {
 *     return SparkHandOff.run("tokenize", spark, List.of("--manifest", manifest.toString(),
 *             "--tokenizers", tokenizers.toString(), "--out", out.toString()));
 * }
 * }</pre>
 */
public final class SparkHandOff {
    /** The job's main class in {@code hypnos-spark}. */
    public static final String JOB_CLASS = "ai.hypnos.spark.HypnosSparkJob";

    private SparkHandOff() {
    }

    /** Whether {@code hypnos-spark} is on the classpath. */
    public static boolean available() {
        return jobClass() != null;
    }

    /**
     * Runs {@code mode} ({@code tokenize} or {@code embed}) on the given Spark master.
     *
     * @param jobArgs the job's other options ({@code --manifest URI --out URI …}, see {@code hypnos spark tokenize --help})
     * @return the job's exit code
     */
    public static int run(String mode, String master, List<String> jobArgs) {
        List<String> args = new ArrayList<>();
        args.add(mode);
        args.add("--master");
        args.add(master);
        args.addAll(jobArgs);
        return run(args);
    }

    /**
     * Runs the job's command line ({@code tokenize …}, {@code embed …}, {@code --help}).
     *
     * @throws IllegalStateException when {@code hypnos-spark} is not on the classpath
     */
    public static int run(List<String> args) {
        Class<?> job = jobClass();
        if (job == null) {
            throw new IllegalStateException("running on Spark needs the hypnos-spark module and Apache Spark 4 on the "
                    + "classpath: start it with ./hypnos (which adds both when a command runs on Spark), or "
                    + "java -cp \"hypnos-cli.jar:hypnos-spark.jar:$SPARK_HOME/jars/*\" ai.hypnos.cli.HypnosCommand …, "
                    + "or submit " + JOB_CLASS + " with spark-submit (docs/spark.md)");
        }
        quietSpark();
        try {
            Method execute = job.getMethod("execute", String[].class);
            return (Integer) execute.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(JOB_CLASS + " on the classpath has no execute(String...): "
                    + "hypnos-spark and hypnos-cli are of different versions", e);
        }
    }

    /**
     * Spark logs a great deal at INFO; the command line's backend (slf4j-simple) reads per-logger
     * levels from system properties when a logger is created, so these keep Spark's, Hadoop's and
     * their libraries' lines at warn unless the user set a level for them.
     */
    private static void quietSpark() {
        for (String name : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "org.apache.parquet",
                "io.netty", "org.apache.orc")) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    private static Class<?> jobClass() {
        try {
            return Class.forName(JOB_CLASS, true, SparkHandOff.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}

package ai.hypnos.spark;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Spark job's main class: {@code tokenize} or {@code embed} every recording of a cohort
 * manifest, one recording per task. The same class runs embedded ({@code local[*]}, from
 * {@code hypnos spark …} or {@code --spark MASTER}) and on a cluster:
 *
 * <pre>
 * spark-submit --master yarn --class ai.hypnos.spark.HypnosSparkJob --jars … hypnos-spark.jar \
 *     tokenize --manifest hdfs:///cohort/manifest.csv --tokenizers hdfs:///tok --out hdfs:///shards
 * </pre>
 *
 * <p>Exit codes: 0 the job ran (failed recordings are listed in its status table), 3 with
 * {@code --strict} when some recording failed, 1 when the job itself failed, 2 for bad arguments.
 * See {@code docs/spark.md}.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {TokenizeCommand.class, EmbedCommand.class, BenchCommand.class},
        description = "Tokenize or embed a whole cohort on Apache Spark (local[*], YARN, Kubernetes, standalone).")
public final class HypnosSparkJob implements Runnable {
    /** Exit code of a strict run in which some recording failed. */
    public static final int SOME_FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs {@code tokenize …} or {@code embed …} and returns the exit code (the CLI calls this). */
    public static int execute(String... args) {
        return new CommandLine(new HypnosSparkJob()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    org.slf4j.LoggerFactory.getLogger(HypnosSparkJob.class).debug("job failed", ex);
                    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                    cmd.getErr().println("hypnos spark " + cmd.getCommandName() + ": " + msg);
                    return ex instanceof IllegalArgumentException ? 2 : 1;
                })
                .execute(args);
    }

    /**
     * spark-submit's entry point. Exits the JVM only on failure: on YARN an explicit exit of a
     * successful driver can be reported as a failed application.
     */
    public static void main(String[] args) {
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Prints the report; the exit code for it. */
    static int print(JobReport r, boolean strict) {
        PrintStream out = System.out;
        out.println(r.headline());
        for (JobReport.Failure f : r.failures()) {
            out.println("failed: " + f.recording() + ": " + f.error());
        }
        if (r.failed() > r.failures().size()) {
            out.println("… and " + (r.failed() - r.failures().size()) + " more failures in the status table");
        }
        return strict && r.failed() > 0 ? SOME_FAILED : 0;
    }
}

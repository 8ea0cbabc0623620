package ai.hypnos.cli.quickstart;

import ai.hypnos.train.metrics.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage of a multi-stage command (quickstart, experiment): announced on the console, timed
 * in wall and process-CPU seconds, logged, and reported as done.
 */
public final class ConsoleStage {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStage.class);

    /** The work of a stage. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws IOException;
    }

    /** What a stage returned and how long it took. */
    public record Timed<T>(T result, double wallSeconds) {
    }

    private ConsoleStage() {
    }

    /** Runs {@code body} as the stage {@code name}, printing "== name" before and the wall time after. */
    public static <T> Timed<T> run(PrintWriter console, String name, Body<T> body) throws IOException {
        console.println("== " + name);
        console.flush();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        T result = body.run();
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info("stage {}: wall {} s, process CPU {} s", name, String.format(Locale.ROOT, "%.1f", s),
                String.format(Locale.ROOT, "%.1f", (processCpuNanos() - cpu0) / 1e9));
        console.printf(Locale.ROOT, "   done in %s%n", Progress.formatDuration(s));
        console.flush();
        return new Timed<>(result, s);
    }

    /** CPU time of the whole process (all threads, libtorch's included): what the stage costs on an idle machine. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}

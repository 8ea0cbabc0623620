package ai.hypnos.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of the recording stage on the driver: recordings done, rate and ETA, at most
 * every 10 s (and at the end), so a run of thousands of nights shows it is alive without a line
 * per task.
 */
final class ProgressListener extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    private static final long EVERY_NANOS = 10_000_000_000L;

    private final String mode;
    private final int tasks;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int stage = -1;
    private volatile long start;
    private volatile long lastLog;

    ProgressListener(String mode, int tasks) {
        this.mode = mode;
        this.tasks = tasks;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        // The first stage with one task per slice is the one that processes the recordings.
        if (stage < 0 && e.stageInfo().numTasks() == tasks) {
            stage = e.stageInfo().stageId();
            start = System.nanoTime();
            lastLog = start;
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.stageId() != stage || !e.taskInfo().successful()) {
            return;
        }
        int n = done.incrementAndGet();
        long now = System.nanoTime();
        if (n == tasks || now - lastLog >= EVERY_NANOS) {
            lastLog = now;
            double elapsed = (now - start) / 1e9;
            double eta = n == 0 ? Double.NaN : elapsed / n * (tasks - n);
            LOG.info(String.format(Locale.ROOT, "%s: %d/%d tasks done, %.1f s elapsed, ETA %.0f s", mode, n, tasks,
                    elapsed, eta));
        }
    }
}

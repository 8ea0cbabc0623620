package ai.hypnos.train.metrics;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;

/**
 * Progress of long work: a progress bar (with rate and ETA) when the JVM runs on a terminal,
 * periodic log lines otherwise (CI logs, files, notebooks). Force one or the other with
 * {@code -Dhypnos.progress=bar|log}; {@code off} leaves only the caller's own logging.
 *
 * <p>Not thread-safe: one thread reports (workers can report through a synchronised caller).
 */
public final class Progress implements AutoCloseable {
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(15).toNanos();

    private final String task;
    private final long total;
    private final String unit;
    private final Logger log;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private final long startCount;
    private long lastLog = System.nanoTime();
    private long done;

    private Progress(String task, long start, long total, String unit, Logger log, ProgressBar bar) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.log = log;
        this.bar = bar;
        this.startCount = start;
        this.done = start;
    }

    /**
     * Starts reporting.
     *
     * @param start units already done (a resumed run)
     * @param total units in all
     * @param unit  what is counted ("steps", "recordings")
     * @param log   where log lines go when there is no terminal
     */
    public static Progress start(String task, long start, long total, String unit, Logger log) {
        String mode = System.getProperty("hypnos.progress", System.console() != null ? "bar" : "log");
        ProgressBar bar = null;
        if (mode.equals("bar")) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).showSpeed().setUpdateIntervalMillis(500)
                    .startsFrom(start, Duration.ZERO).build();
        }
        Progress p = new Progress(task, start, total, unit, mode.equals("off") ? null : log, bar);
        if (bar == null && p.log != null) {
            log.info("{}: {} {} to do{}", task, total - start, unit, start > 0 ? " (from " + start + ")" : "");
        }
        return p;
    }

    /** Sets the units done and a short status ("loss 3.21, 12,400 tok/s"). */
    public void update(long doneNow, String message) {
        this.done = doneNow;
        if (bar != null) {
            bar.stepTo(doneNow);
            bar.setExtraMessage(message);
            return;
        }
        long now = System.nanoTime();
        if (log != null && (now - lastLog >= LOG_EVERY_NANOS || doneNow >= total)) {
            lastLog = now;
            log.info(line(message, now));
        }
    }

    private String line(String message, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = (done - startCount) / Math.max(seconds, 1e-9);
        String eta = rate > 0 ? formatDuration((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.0f%%), %.3g %s/s, elapsed %s, ETA %s%s", task, done, total,
                unit, 100.0 * done / Math.max(1, total), rate, unit, formatDuration(seconds), eta,
                message == null || message.isEmpty() ? "" : " | " + message);
    }

    /** h:mm:ss. */
    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}

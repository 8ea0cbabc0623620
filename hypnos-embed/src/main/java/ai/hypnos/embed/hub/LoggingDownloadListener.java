package ai.hypnos.embed.hub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports a download through SLF4J, a line per tenth of the file (the default when no terminal is attached). */
public final class LoggingDownloadListener implements DownloadListener {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingDownloadListener.class);

    private String name;
    private long total;
    private int lastTenth;

    @Override
    public void started(String name, long resumeAt, long total) {
        this.name = name;
        this.total = total;
        this.lastTenth = total > 0 ? (int) (10 * resumeAt / total) : 0;
        LOG.info("downloading {} ({} bytes{})", name, total < 0 ? "?" : total,
                resumeAt > 0 ? ", resuming at " + resumeAt : "");
    }

    @Override
    public void progress(long bytes) {
        if (total > 0) {
            int tenth = (int) (10 * bytes / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                LOG.info("{}: {}% ({} of {} bytes)", name, tenth * 10, bytes, total);
            }
        }
    }

    @Override
    public void finished() {
        LOG.info("{}: transfer ended", name);
    }
}

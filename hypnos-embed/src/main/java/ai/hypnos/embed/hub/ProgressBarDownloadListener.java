package ai.hypnos.embed.hub;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows a download as a terminal progress bar (on standard error), in MiB. */
public final class ProgressBarDownloadListener implements DownloadListener {
    private ProgressBar bar;

    @Override
    public void started(String name, long resumeAt, long total) {
        finished();
        bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MiB", 1 << 20)
                .showSpeed()
                .startsFrom(resumeAt, java.time.Duration.ZERO)
                .build();
    }

    @Override
    public void progress(long bytes) {
        if (bar != null) {
            bar.stepTo(bytes);
        }
    }

    @Override
    public void finished() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}

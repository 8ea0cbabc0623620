package ai.hypnos.embed.hub;

/**
 * Progress of a weights download. Called from the downloading thread.
 */
public interface DownloadListener {
    /**
     * A transfer (re)starts.
     *
     * @param name     what is downloaded (for display)
     * @param resumeAt bytes already on disk from an earlier attempt
     * @param total    expected size in bytes, or -1 when the server does not say
     */
    void started(String name, long resumeAt, long total);

    /** Bytes on disk so far (monotone within one transfer). */
    void progress(long bytes);

    /** The transfer ended (successfully or not). */
    void finished();

    /** A listener that reports nothing. */
    static DownloadListener silent() {
        return new DownloadListener() {
            @Override
            public void started(String name, long resumeAt, long total) {
            }

            @Override
            public void progress(long bytes) {
            }

            @Override
            public void finished() {
            }
        };
    }
}

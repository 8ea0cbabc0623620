package ai.hypnos.spark;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * What an executor does with one recording ({@link TokenizeWork}, {@link EmbedWork}). Shipped to
 * the executors inside the task closure, so it holds only settings (URIs, options), never data
 * or loaded models: those come from the executor's {@link ExecutorCache}.
 */
interface RecordingWork extends Serializable {

    /** {@code tokenize} or {@code embed}. */
    String mode();

    /**
     * Processes one recording and says what happened. Never throws for a bad recording: an
     * unreadable file is a {@code failed} row with the error, so one broken night cannot fail
     * the job.
     */
    StatusRow process(RecordingTask task, Configuration hadoop);
}

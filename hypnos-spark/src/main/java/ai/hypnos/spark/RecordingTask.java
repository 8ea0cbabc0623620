package ai.hypnos.spark;

import java.io.Serializable;

/**
 * One night of a cohort as a Spark task sees it: the manifest row, resolved on the driver (split
 * filled in, paths made absolute URIs). Only metadata: the executor reads the signals itself.
 *
 * @param id          recording id, the file name without its extension (names the outputs)
 * @param subject     subject id
 * @param source      the recording as the manifest names it (kept in the outputs' metadata)
 * @param recording   the recording's fully qualified Hadoop URI ({@code file:/…}, {@code hdfs://…},
 *                    {@code s3a://…})
 * @param annotations the scoring file's URI, or empty
 * @param site        acquisition site, or empty
 * @param notch       mains frequency for the notch filter, Hz
 * @param split       {@code train}, {@code val} or {@code test}
 */
public record RecordingTask(String id, String subject, String source, String recording, String annotations,
        String site, int notch, String split) implements Serializable {
    private static final long serialVersionUID = 1L;
}

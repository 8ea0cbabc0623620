package ai.hypnos.spark;

import java.util.List;
import java.util.Locale;

/**
 * What a run did, read back from its status table.
 *
 * @param mode       {@code tokenize} or {@code embed}
 * @param runId      the run id (a column of the status table)
 * @param statusUri  where the status table is
 * @param recordings recordings in the manifest
 * @param ok         built in this run
 * @param skipped    finished before (or otherwise skipped), with their reason in the table
 * @param failed     failed, with their error in the table
 * @param seconds    wall time of the run (Spark start-up included)
 * @param failures   the first failures: recording and error
 */
public record JobReport(String mode, String runId, String statusUri, long recordings, long ok, long skipped, long failed,
        double seconds, List<Failure> failures) {

    /** A failed recording. */
    public record Failure(String recording, String error) {
    }

    public JobReport {
        failures = List.copyOf(failures);
    }

    /** One line for people. */
    public String headline() {
        return String.format(Locale.ROOT, "%s: %d recordings: %d ok, %d skipped, %d failed in %.1f s; status table %s",
                mode, recordings, ok, skipped, failed, seconds, statusUri);
    }
}

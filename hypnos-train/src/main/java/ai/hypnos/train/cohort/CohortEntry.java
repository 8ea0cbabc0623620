package ai.hypnos.train.cohort;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One night of a cohort.
 *
 * @param id          recording id: the recording's file name without extension, unique in the
 *                    cohort; token shards and embeddings are named after it
 * @param subject     subject id (several nights may share it; splits are per subject)
 * @param source      the recording as the manifest names it (relative path or URI): stored in
 *                    shard metadata instead of {@code path}, so the metadata does not depend on
 *                    where a machine keeps its copy of the file
 * @param path        where to read the recording on this machine
 * @param annotations the scoring file (NSRR XML, EDF+ hypnogram), or {@code null}
 * @param site        acquisition site, or empty
 * @param notch       mains frequency for the notch filter, Hz (50 or 60)
 * @param split       the subject's split
 */
public record CohortEntry(String id, String subject, String source, Path path, Path annotations, String site, int notch,
        Split split) {

    public CohortEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(split, "split");
        if (id.isBlank() || subject.isBlank()) {
            throw new IllegalArgumentException("recording and subject ids must not be blank: '" + id + "', '" + subject + "'");
        }
        if (notch <= 0) {
            throw new IllegalArgumentException(id + ": notch frequency must be positive, got " + notch);
        }
    }

    /** The id a recording file gets: its file name without the extension. */
    public static String idOf(Path recording) {
        String n = recording.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The same night with another local path (e.g. a copy fetched to an executor's disk). */
    public CohortEntry withPath(Path local) {
        return new CohortEntry(id, subject, source, local, annotations, site, notch, split);
    }
}

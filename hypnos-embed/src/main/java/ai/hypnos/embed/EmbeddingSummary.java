package ai.hypnos.embed;

import ai.hypnos.core.modality.ResolutionReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link HypnosModel#embedToNpz} wrote: the NPZ file (the keys of {@link Embeddings}) and
 * the facts a caller reports about it, without the arrays themselves.
 *
 * @param file       the NPZ written
 * @param seconds    S, rows of each {@code [S, D]} array
 * @param dim        D
 * @param present    names of the present modalities, in order
 * @param outputType number type of the embedding arrays
 * @param report     channel resolution, {@code null} when not embedded from a recording
 * @param notes      other decisions (modalities dropped by preprocessing, length trims)
 */
public record EmbeddingSummary(Path file, int seconds, int dim, List<String> present, OutputType outputType,
        ResolutionReport report, List<String> notes) {
    public EmbeddingSummary {
        present = List.copyOf(present);
        notes = List.copyOf(notes);
    }

    /** How the recording's channels were resolved, if embedded from a recording. */
    public Optional<ResolutionReport> resolution() {
        return Optional.ofNullable(report);
    }
}

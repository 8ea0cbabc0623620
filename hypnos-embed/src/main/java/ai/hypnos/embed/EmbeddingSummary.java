package ai.hypnos.embed;

import ai.hypnos.core.modality.ResolutionReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link HypnosModel#embedToNpz} wrote: the NPZ file (the keys of {@link Embeddings}) and
 * the facts a caller reports about it, named as on {@link Embeddings}, without the arrays.
 * Immutable.
 */
public final class EmbeddingSummary {
    private final Path file;
    private final int seconds;
    private final int dim;
    private final List<String> present;
    private final OutputType outputType;
    private final ResolutionReport report;
    private final List<String> notes;

    /**
     * @param report channel resolution, {@code null} when not embedded from a recording
     */
    public EmbeddingSummary(Path file, int seconds, int dim, List<String> present, OutputType outputType,
            ResolutionReport report, List<String> notes) {
        this.file = file;
        this.seconds = seconds;
        this.dim = dim;
        this.present = List.copyOf(present);
        this.outputType = outputType;
        this.report = report;
        this.notes = List.copyOf(notes);
    }

    /** The NPZ written. */
    public Path file() {
        return file;
    }

    /** S, the rows of each {@code [S, D]} array. */
    public int seconds() {
        return seconds;
    }

    /** Embedding width D. */
    public int dim() {
        return dim;
    }

    /** Names of the present modalities, in order. */
    public List<String> present() {
        return present;
    }

    /** Number type of the embedding arrays. */
    public OutputType outputType() {
        return outputType;
    }

    /** How the recording's channels were resolved, if embedded from a recording. */
    public Optional<ResolutionReport> report() {
        return Optional.ofNullable(report);
    }

    /** Other decisions (modalities dropped by preprocessing, length trims). */
    public List<String> notes() {
        return notes;
    }

    @Override
    public String toString() {
        return "EmbeddingSummary[" + file + ": " + seconds + " s × " + dim + ", present " + present + ", "
                + outputType.numpyName() + "]";
    }
}

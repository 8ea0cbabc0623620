package ai.hypnos.embed;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The embeddings of one recording: one vector per second per present modality ({@code z^i_t},
 * {@code [S, D]}), their mean over the present modalities ({@code [S, D]}), the mean pooled over
 * 30-s epochs ({@code [floor(S/30), D]}), the tokens they came from ({@code [S, ΣK]}), which
 * modalities were present, and how the file's channels were resolved.
 *
 * <p>Row t of a modality summarises the seconds before t (the transformer is causal and its
 * input is shifted by one second). The mean and the epochs are computed from the float32
 * outputs and then rounded to the {@link #outputType()}.
 *
 * <p>Saved by {@link #writeNpz(Path)} under these keys (numpy: {@code np.load(path)}):
 * <table>
 *   <caption>NPZ keys</caption>
 *   <tr><th>key</th><th>shape</th><th>dtype</th></tr>
 *   <tr><td>{@code <modality name>} (present ones)</td><td>[S, D]</td><td>float16 / float32</td></tr>
 *   <tr><td>{@code mean}</td><td>[S, D]</td><td>float16 / float32</td></tr>
 *   <tr><td>{@code epochs}</td><td>[floor(S/30), D]</td><td>float16 / float32</td></tr>
 *   <tr><td>{@code tokens}</td><td>[S, ΣK]</td><td>int64</td></tr>
 *   <tr><td>{@code presence}</td><td>[M]</td><td>bool</td></tr>
 *   <tr><td>{@code modalities}</td><td>[M]</td><td>str (token column order)</td></tr>
 *   <tr><td>{@code channel_ids}</td><td>[M]</td><td>int64</td></tr>
 *   <tr><td>{@code report}</td><td>[]</td><td>str (the channel-resolution report as JSON)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Embeddings {
    /** Seconds per scoring epoch. */
    public static final int EPOCH_SECONDS = 30;

    private final List<String> modalities;
    private final int[] numQuantizers;
    private final boolean[] presence;
    private final int[] channelIds;
    private final EmbeddingMatrix[] perModality;
    private final EmbeddingMatrix mean;
    private final EmbeddingMatrix epochs;
    private final int[] tokens;
    private final int seconds;
    private final int dim;
    private final OutputType outputType;
    private final ResolutionReport report;
    private final List<String> notes;

    /**
     * @param perModality   {@code [S, D]} per modality, {@code null} where absent
     * @param tokens        {@code [S·ΣK]} row-major
     * @param numQuantizers K per modality (column widths of {@code tokens})
     * @param report        channel resolution, {@code null} when embedding signals or tokens directly
     * @param notes         other decisions worth reporting (e.g. a modality dropped by preprocessing)
     */
    public Embeddings(List<String> modalities, int[] numQuantizers, boolean[] presence, int[] channelIds,
            EmbeddingMatrix[] perModality, EmbeddingMatrix mean, EmbeddingMatrix epochs, int[] tokens, int seconds,
            int dim, OutputType outputType, ResolutionReport report, List<String> notes) {
        int m = modalities.size();
        if (presence.length != m || channelIds.length != m || perModality.length != m || numQuantizers.length != m) {
            throw new IllegalArgumentException("per-modality arrays must have " + m + " entries");
        }
        int totalK = Arrays.stream(numQuantizers).sum();
        if (tokens.length != (long) seconds * totalK) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + seconds + " s × ΣK " + totalK);
        }
        this.modalities = List.copyOf(modalities);
        this.numQuantizers = numQuantizers.clone();
        this.presence = presence.clone();
        this.channelIds = channelIds.clone();
        this.perModality = perModality.clone();
        this.mean = mean;
        this.epochs = epochs;
        this.tokens = tokens;
        this.seconds = seconds;
        this.dim = dim;
        this.outputType = outputType;
        this.report = report;
        this.notes = List.copyOf(notes);
    }

    /** Number of seconds S (the shortest present modality's token count). */
    public int seconds() {
        return seconds;
    }

    /** Embedding width D. */
    public int dim() {
        return dim;
    }

    /** All modality names of the model, in token-column order. */
    public List<String> modalities() {
        return modalities;
    }

    /** Names of the present modalities, in order. */
    public List<String> present() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < presence.length; i++) {
            if (presence[i]) {
                out.add(modalities.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Presence flags per modality (a copy). */
    public boolean[] presence() {
        return presence.clone();
    }

    /** Whether a modality was present. */
    public boolean isPresent(String name) {
        return presence[indexOf(name)];
    }

    /** Channel id per modality (its row of the channel-embedding table; 0 for absent ones). */
    public int[] channelIds() {
        return channelIds.clone();
    }

    public OutputType outputType() {
        return outputType;
    }

    /** The embeddings of a present modality, {@code [S, D]}. */
    public EmbeddingMatrix matrix(String name) {
        EmbeddingMatrix m = perModality[indexOf(name)];
        if (m == null) {
            throw new IllegalArgumentException("modality " + name + " is absent from this recording (present: "
                    + present() + ")");
        }
        return m;
    }

    /** The embeddings of a present modality as floats, {@code [S·D]} row-major (a copy). */
    public float[] modality(String name) {
        return matrix(name).toFloatArray();
    }

    /** The embeddings of a modality, if present. */
    public Optional<EmbeddingMatrix> find(String name) {
        return Optional.ofNullable(perModality[indexOf(name)]);
    }

    /** Mean over present modalities, {@code [S, D]}. */
    public EmbeddingMatrix mean() {
        return mean;
    }

    /** The mean averaged over each whole 30-s epoch, {@code [floor(S/30), D]} (a trailing partial epoch is dropped). */
    public EmbeddingMatrix epochs() {
        return epochs;
    }

    /** Tokens {@code [S·ΣK]} row-major, modality blocks in column order (a copy; absent blocks are zero). */
    public int[] tokens() {
        return tokens.clone();
    }

    /** ΣK, the token columns. */
    public int totalK() {
        return Arrays.stream(numQuantizers).sum();
    }

    /** K per modality. */
    public int[] numQuantizers() {
        return numQuantizers.clone();
    }

    /** How the recording's channels were resolved, if embedded from a recording. */
    public Optional<ResolutionReport> report() {
        return Optional.ofNullable(report);
    }

    /** Other decisions (modalities dropped by preprocessing, length trims). */
    public List<String> notes() {
        return notes;
    }

    private int indexOf(String name) {
        int i = modalities.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no modality '" + name + "' in " + modalities);
        }
        return i;
    }

    /**
     * Writes the documented NPZ keys (see the class comment) to {@code target}, atomically
     * (a temporary file renamed over the target; nothing is left behind on failure).
     */
    public void writeNpz(Path target) throws IOException {
        try (NpzWriter w = NpzWriter.begin(target, false)) {
            for (int i = 0; i < perModality.length; i++) {
                if (perModality[i] != null) {
                    w.put(modalities.get(i), perModality[i].toNpy());
                }
            }
            w.put("mean", mean.toNpy());
            writeNpzTail(w, epochs, tokens, seconds, totalK(), presence, modalities, channelIds, report);
            w.commit();
        }
    }

    /**
     * The NPZ entries after {@code mean}, in the documented order: {@code epochs}, {@code tokens},
     * {@code presence}, {@code modalities}, {@code channel_ids}, {@code report}. Shared with the
     * writer that streams a night's rows to disk ({@code HypnosModel.embedToNpz}), so both
     * write the same bytes.
     */
    public static void writeNpzTail(NpzWriter w, EmbeddingMatrix epochs, int[] tokens, int seconds, int totalK,
            boolean[] presence, List<String> modalities, int[] channelIds, ResolutionReport report) throws IOException {
        long[] tok = new long[tokens.length];
        for (int i = 0; i < tok.length; i++) {
            tok[i] = tokens[i];
        }
        long[] ids = new long[channelIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = channelIds[i];
        }
        w.put("epochs", epochs.toNpy());
        w.put("tokens", NpyArray.of(tok, seconds, totalK));
        w.put("presence", NpyArray.of(presence, presence.length));
        w.put("modalities", NpyArray.ofStrings(modalities.toArray(new String[0]), modalities.size()));
        w.put("channel_ids", NpyArray.of(ids, ids.length));
        w.put("report", NpyArray.ofStrings(new String[] {report == null ? "{}" : report.toJson()}).reshape());
    }

    @Override
    public String toString() {
        return "Embeddings[" + seconds + " s × " + dim + ", present " + present() + ", " + outputType.numpyName() + "]";
    }
}

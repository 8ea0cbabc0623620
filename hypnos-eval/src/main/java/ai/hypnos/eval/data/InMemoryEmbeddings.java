package ai.hypnos.eval.data;

import ai.hypnos.core.modality.Modality;
import java.util.EnumMap;
import java.util.Map;

/**
 * Per-second embeddings held in memory, e.g. straight from the embedding pipeline or built by a
 * test: per-modality {@code [S, D]} arrays, an optional model mean, an optional presence mask.
 */
public final class InMemoryEmbeddings implements EmbeddingSource {
    private final int seconds;
    private final int dim;
    private final Map<Modality, float[]> perModality;
    private final float[] mean;
    private final boolean[][] presence;

    /**
     * @param perModality {@code [S, D]} row-major per available modality
     * @param mean        the model's mean over present modalities {@code [S, D]}, or {@code null}
     *                    to average {@code perModality}
     * @param presence    {@code [S][8]} presence per second and modality (modality order), or
     *                    {@code null} when every given modality is present throughout
     */
    public InMemoryEmbeddings(int seconds, int dim, Map<Modality, float[]> perModality, float[] mean, boolean[][] presence) {
        if (perModality.isEmpty() && mean == null) {
            throw new IllegalArgumentException("need per-modality embeddings or a mean");
        }
        long n = (long) seconds * dim;
        for (Map.Entry<Modality, float[]> e : perModality.entrySet()) {
            if (e.getValue().length != n) {
                throw new IllegalArgumentException(e.getKey().key() + " has " + e.getValue().length + " values, expected " + n);
            }
        }
        if (mean != null && mean.length != n) {
            throw new IllegalArgumentException("mean has " + mean.length + " values, expected " + n);
        }
        if (presence != null && (presence.length != seconds || (seconds > 0 && presence[0].length != Modality.COUNT))) {
            throw new IllegalArgumentException("presence must be [" + seconds + "][" + Modality.COUNT + "]");
        }
        this.seconds = seconds;
        this.dim = dim;
        this.perModality = perModality.isEmpty() ? Map.of() : new EnumMap<>(perModality);
        this.mean = mean;
        this.presence = presence;
    }

    @Override
    public int seconds() {
        return seconds;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public PerSecondEmbeddings select(ModalitySelection selection) throws java.io.IOException {
        boolean[] available = new boolean[Modality.COUNT];
        for (Modality m : perModality.keySet()) {
            available[m.id()] = true;
        }
        if (selection.full() && mean != null) {
            boolean[] defined = presence == null ? filled(seconds) : ModalityAverager.anyPresent(seconds, allTrue(), presence);
            return new PerSecondEmbeddings(mean.clone(), defined, seconds, dim);
        }
        return ModalityAverager.average(seconds, dim, available, presence, selection, perModality::get);
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    private static boolean[] allTrue() {
        return filled(Modality.COUNT);
    }
}

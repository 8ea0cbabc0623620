package ai.hypnos.transformer.embed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-second embeddings of one recording: z^i_t for every present modality i, {@code [S, D]}
 * row-major, plus the mean over present modalities and its 30-s epoch pooling (DESIGN §8).
 */
public final class Embeddings {
    /** Seconds per scoring epoch. */
    public static final int EPOCH_SECONDS = 30;

    private final List<String> modalities;
    private final float[][] perModality;
    private final int seconds;
    private final int dim;

    /**
     * @param modalities  modality names in model order
     * @param perModality {@code [S·D]} per modality, {@code null} where the modality is absent
     */
    public Embeddings(List<String> modalities, float[][] perModality, int seconds, int dim) {
        if (modalities.size() != perModality.length) {
            throw new IllegalArgumentException(modalities.size() + " names for " + perModality.length + " modalities");
        }
        this.modalities = List.copyOf(modalities);
        this.perModality = perModality;
        this.seconds = seconds;
        this.dim = dim;
    }

    /** Number of seconds S. */
    public int seconds() {
        return seconds;
    }

    /** Embedding width D. */
    public int dim() {
        return dim;
    }

    /** All modality names, in model order. */
    public List<String> modalities() {
        return modalities;
    }

    /** Names of the present modalities, in model order. */
    public List<String> present() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < perModality.length; i++) {
            if (perModality[i] != null) {
                out.add(modalities.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Whether modality {@code i} was present. */
    public boolean isPresent(int i) {
        return perModality[i] != null;
    }

    /** {@code [S·D]} of modality {@code i} (the array itself; do not modify), or {@code null} if absent. */
    public float[] modality(int i) {
        return perModality[i];
    }

    /** {@code [S·D]} of the named modality, or {@code null} if absent. */
    public float[] modality(String name) {
        int i = modalities.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no modality '" + name + "' in " + modalities);
        }
        return perModality[i];
    }

    /** Mean over present modalities, {@code [S·D]} (zeros when none is present). */
    public float[] mean() {
        float[] out = new float[seconds * dim];
        int n = 0;
        for (float[] m : perModality) {
            if (m == null) {
                continue;
            }
            n++;
            for (int j = 0; j < out.length; j++) {
                out[j] += m[j];
            }
        }
        if (n > 0) {
            for (int j = 0; j < out.length; j++) {
                out[j] /= n;
            }
        }
        return out;
    }

    /**
     * The mean over present modalities, averaged over each whole epoch of {@code epochSeconds}:
     * {@code [floor(S/epoch)·D]} (a trailing partial epoch is dropped, as the reference's recipe).
     */
    public float[] epochs(int epochSeconds) {
        if (epochSeconds < 1) {
            throw new IllegalArgumentException("epoch length must be >= 1 s, got " + epochSeconds);
        }
        float[] mean = mean();
        int n = seconds / epochSeconds;
        float[] out = new float[n * dim];
        for (int e = 0; e < n; e++) {
            for (int s = e * epochSeconds; s < (e + 1) * epochSeconds; s++) {
                for (int d = 0; d < dim; d++) {
                    out[e * dim + d] += mean[s * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                out[e * dim + d] /= epochSeconds;
            }
        }
        return out;
    }

    /** {@link #epochs(int)} with 30-s epochs. */
    public float[] epochs() {
        return epochs(EPOCH_SECONDS);
    }
}

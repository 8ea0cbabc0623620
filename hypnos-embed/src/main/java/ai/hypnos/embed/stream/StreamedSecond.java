package ai.hypnos.embed.stream;

import java.util.List;

/**
 * The embeddings of one second of a stream: row {@code second} of what batch embedding of the
 * same signals gives.
 *
 * @param second      index of the second since the stream opened (0-based)
 * @param modalities  the model's modality names, in order
 * @param perModality one D-vector per modality, {@code null} for absent ones (rounded to the output type)
 * @param mean        the mean over present modalities (from float32, then rounded)
 * @param tokens      the ΣK tokens of this second (absent modalities' columns zero)
 */
public record StreamedSecond(long second, List<String> modalities, float[][] perModality, float[] mean, int[] tokens) {

    /** The vector of a modality, or {@code null} if absent. */
    public float[] modality(String name) {
        int i = modalities.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no modality '" + name + "' in " + modalities);
        }
        return perModality[i];
    }
}

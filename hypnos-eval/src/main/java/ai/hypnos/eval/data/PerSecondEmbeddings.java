package ai.hypnos.eval.data;

/**
 * A {@code [S, D]} row-major embedding with a flag per second saying whether it is defined
 * (some chosen modality was present). Undefined rows hold zeros.
 */
public record PerSecondEmbeddings(float[] values, boolean[] defined, int seconds, int dim) {

    public PerSecondEmbeddings {
        if ((long) seconds * dim != values.length || defined.length != seconds) {
            throw new IllegalArgumentException("embeddings of " + seconds + " x " + dim + " need " + ((long) seconds * dim)
                    + " values and " + seconds + " flags, got " + values.length + " and " + defined.length);
        }
    }

    /** All seconds defined. */
    public static PerSecondEmbeddings of(float[] values, int seconds, int dim) {
        boolean[] d = new boolean[seconds];
        java.util.Arrays.fill(d, true);
        return new PerSecondEmbeddings(values, d, seconds, dim);
    }
}

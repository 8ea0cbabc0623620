package ai.hypnos.eval.data;

import ai.hypnos.eval.linalg.FloatMatrix;

/**
 * Averages per-second embeddings over fixed windows (30-s epochs): window {@code i} covers
 * seconds {@code [i·w, (i+1)·w)} from the recording start, and its feature is the mean over the
 * defined seconds in it. A window with no defined second, or reaching past the end of the
 * embeddings, is undefined.
 */
public final class EpochPooling {

    /**
     * @param pooled  {@code [windows, D]} window means (zeros where undefined)
     * @param defined whether each window has a feature
     */
    public record Pooled(FloatMatrix pooled, boolean[] defined) {
    }

    private EpochPooling() {
    }

    /**
     * Pools {@code windows} windows of {@code windowSeconds} seconds.
     *
     * @throws IllegalArgumentException if the window length is not positive
     */
    public static Pooled pool(PerSecondEmbeddings e, int windowSeconds, int windows) {
        if (windowSeconds < 1 || windows < 0) {
            throw new IllegalArgumentException("window length must be >= 1 s and the count >= 0; got "
                    + windowSeconds + " s x " + windows);
        }
        int d = e.dim();
        float[] out = new float[Math.multiplyExact(windows, d)];
        boolean[] defined = new boolean[windows];
        double[] acc = new double[d];
        float[] v = e.values();
        for (int w = 0; w < windows; w++) {
            int start = w * windowSeconds;
            int end = start + windowSeconds;
            if (end > e.seconds()) {
                continue; // incomplete window at the end of the recording
            }
            java.util.Arrays.fill(acc, 0);
            int count = 0;
            for (int s = start; s < end; s++) {
                if (!e.defined()[s]) {
                    continue;
                }
                int o = s * d;
                for (int j = 0; j < d; j++) {
                    acc[j] += v[o + j];
                }
                count++;
            }
            if (count == 0) {
                continue;
            }
            defined[w] = true;
            int o = w * d;
            for (int j = 0; j < d; j++) {
                out[o + j] = (float) (acc[j] / count);
            }
        }
        return new Pooled(new FloatMatrix(windows, d, out), defined);
    }
}

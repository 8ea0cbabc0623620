package ai.hypnos.eval.data;

import ai.hypnos.core.modality.Modality;
import java.io.IOException;

/** The per-second mean over chosen, present modalities, shared by the embedding sources. */
final class ModalityAverager {
    /** Loads one modality's {@code [S, D]} array. */
    @FunctionalInterface
    interface Loader {
        float[] load(Modality m) throws IOException;
    }

    private ModalityAverager() {
    }

    /**
     * @param available which modalities have an array
     * @param presence  {@code presence[s][m]}, or {@code null} when every available modality is
     *                  present at every second
     */
    static PerSecondEmbeddings average(int seconds, int dim, boolean[] available, boolean[][] presence,
                                       ModalitySelection selection, Loader loader) throws IOException {
        float[] sum = new float[Math.multiplyExact(seconds, dim)];
        int[] count = new int[seconds];
        for (Modality m : Modality.values()) {
            if (!selection.contains(m) || !available[m.id()]) {
                continue;
            }
            float[] e = loader.load(m);
            for (int s = 0; s < seconds; s++) {
                if (presence != null && !presence[s][m.id()]) {
                    continue;
                }
                int o = s * dim;
                for (int j = 0; j < dim; j++) {
                    sum[o + j] += e[o + j];
                }
                count[s]++;
            }
        }
        boolean[] defined = new boolean[seconds];
        for (int s = 0; s < seconds; s++) {
            if (count[s] == 0) {
                continue;
            }
            defined[s] = true;
            if (count[s] > 1) {
                float inv = 1f / count[s];
                int o = s * dim;
                for (int j = 0; j < dim; j++) {
                    sum[o + j] *= inv;
                }
            }
        }
        return new PerSecondEmbeddings(sum, defined, seconds, dim);
    }

    /** Seconds at which any available modality is present. */
    static boolean[] anyPresent(int seconds, boolean[] available, boolean[][] presence) {
        boolean[] d = new boolean[seconds];
        for (int s = 0; s < seconds; s++) {
            for (int m = 0; m < available.length; m++) {
                if (available[m] && (presence == null || presence[s][m])) {
                    d[s] = true;
                    break;
                }
            }
        }
        return d;
    }
}

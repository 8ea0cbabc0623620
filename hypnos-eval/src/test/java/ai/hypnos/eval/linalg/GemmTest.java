package ai.hypnos.eval.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Blocked, parallel products against the textbook triple loop. */
class GemmTest {

    private static float[] random(int n, SplittableRandom rng, boolean sparse) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = sparse && rng.nextDouble() < 0.4 ? 0f : (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void abAndAtbMatchNaiveLoops() {
        SplittableRandom rng = new SplittableRandom(1);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {37, 300, 129}, {70, 513, 64}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = random(m * k, rng, true);
            float[] b = random(k * n, rng, false);
            float[] c = new float[m * n];
            Gemm.ab(a, b, c, m, k, n, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double want = 0;
                    for (int p = 0; p < k; p++) {
                        want += (double) a[i * k + p] * b[p * n + j];
                    }
                    assertEquals(want, c[i * n + j], 1e-4 * Math.sqrt(k), "ab " + i + "," + j);
                }
            }
            float[] bt = random(m * n, rng, false);
            float[] ct = new float[k * n];
            java.util.Arrays.fill(ct, 1f);
            Gemm.atb(a, bt, ct, m, k, n, true);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    double want = 1;
                    for (int i = 0; i < m; i++) {
                        want += (double) a[i * k + p] * bt[i * n + j];
                    }
                    assertEquals(want, ct[p * n + j], 1e-4 * Math.sqrt(m), "atb " + p + "," + j);
                }
            }
        }
    }
}

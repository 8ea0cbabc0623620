package ai.hypnos.eval.linalg;

import java.util.stream.IntStream;

/**
 * Single-precision matrix products for the MLP probe: {@code A·B}, {@code Aᵀ·B}, all row-major.
 *
 * <p>Written so that the JIT vectorises the innermost loop (a contiguous {@code axpy} over the
 * output row) and so that work splits across cores by disjoint output rows (no locking, no
 * reduction). Blocking over the shared dimension keeps a panel of {@code B} in cache while many
 * output rows use it. At probe sizes (batch 256 × 768 × 256) this reaches a few GFLOP/s per core,
 * which is all a probe needs; the pretraining models use DJL.
 */
public final class Gemm {
    /** Rows of the shared dimension processed per cache block. */
    private static final int K_BLOCK = 256;
    /** Output rows per parallel task. */
    private static final int ROW_BLOCK = 16;
    /** Below this many multiply-adds the product runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    private Gemm() {
    }

    /**
     * {@code C = A·B} (or {@code C += A·B} when {@code accumulate}), with {@code A} m×k,
     * {@code B} k×n and {@code C} m×n, all row-major flat arrays.
     */
    public static void ab(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check(a.length, (long) m * k, "A");
        check(b.length, (long) k * n, "B");
        check(c.length, (long) m * n, "C");
        int tasks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        IntStream range = IntStream.range(0, tasks);
        if ((long) m * k * n >= PARALLEL_THRESHOLD && tasks > 1) {
            range = range.parallel();
        }
        range.forEach(t -> {
            int i0 = t * ROW_BLOCK;
            int i1 = Math.min(m, i0 + ROW_BLOCK);
            if (!accumulate) {
                java.util.Arrays.fill(c, i0 * n, i1 * n, 0f);
            }
            for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                int p1 = Math.min(k, p0 + K_BLOCK);
                for (int i = i0; i < i1; i++) {
                    int ci = i * n;
                    int ai = i * k;
                    for (int p = p0; p < p1; p++) {
                        float av = a[ai + p];
                        if (av == 0f) {
                            continue; // ReLU activations are half zeros
                        }
                        int bp = p * n;
                        for (int j = 0; j < n; j++) {
                            c[ci + j] += av * b[bp + j];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code C = Aᵀ·B} (or {@code C += Aᵀ·B}), with {@code A} m×k, {@code B} m×n and {@code C}
     * k×n: the weight gradient of a dense layer (inputs transposed times output gradients).
     */
    public static void atb(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check(a.length, (long) m * k, "A");
        check(b.length, (long) m * n, "B");
        check(c.length, (long) k * n, "C");
        int tasks = (k + ROW_BLOCK - 1) / ROW_BLOCK;
        IntStream range = IntStream.range(0, tasks);
        if ((long) m * k * n >= PARALLEL_THRESHOLD && tasks > 1) {
            range = range.parallel();
        }
        range.forEach(t -> {
            int p0 = t * ROW_BLOCK;
            int p1 = Math.min(k, p0 + ROW_BLOCK);
            if (!accumulate) {
                java.util.Arrays.fill(c, p0 * n, p1 * n, 0f);
            }
            for (int i = 0; i < m; i++) {
                int ai = i * k;
                int bi = i * n;
                for (int p = p0; p < p1; p++) {
                    float av = a[ai + p];
                    if (av == 0f) {
                        continue;
                    }
                    int cp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[cp + j] += av * b[bi + j];
                    }
                }
            }
        });
    }

    private static void check(int actual, long expected, String name) {
        if (actual < expected) {
            throw new IllegalArgumentException("matrix " + name + " has " + actual + " values, needs " + expected);
        }
    }
}

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
                int i = i0;
                // Four output rows at a time: each row of B is loaded once for four updates.
                for (; i + 3 < i1; i += 4) {
                    int c0 = i * n;
                    int a0 = i * k;
                    for (int p = p0; p < p1; p++) {
                        axpy4(a[a0 + p], a[a0 + k + p], a[a0 + 2 * k + p], a[a0 + 3 * k + p], b, p * n, c, c0, n);
                    }
                }
                for (; i < i1; i++) {
                    int ci = i * n;
                    int ai = i * k;
                    for (int p = p0; p < p1; p++) {
                        axpy(a[ai + p], b, p * n, c, ci, n);
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
                int p = p0;
                for (; p + 3 < p1; p += 4) {
                    axpy4(a[ai + p], a[ai + p + 1], a[ai + p + 2], a[ai + p + 3], b, bi, c, p * n, n);
                }
                for (; p < p1; p++) {
                    axpy(a[ai + p], b, bi, c, p * n, n);
                }
            }
        });
    }

    /** {@code c[co + j] += s·b[bo + j]} for j < n (vectorised by the JIT). */
    private static void axpy(float s, float[] b, int bo, float[] c, int co, int n) {
        if (s == 0f) {
            return; // ReLU activations are about half zeros
        }
        for (int j = 0; j < n; j++) {
            c[co + j] += s * b[bo + j];
        }
    }

    /** Four rows {@code c[co + r·n + j] += s_r·b[bo + j]}: one load of b per four multiply-adds. */
    private static void axpy4(float s0, float s1, float s2, float s3, float[] b, int bo, float[] c, int co, int n) {
        int c1 = co + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        for (int j = 0; j < n; j++) {
            float v = b[bo + j];
            c[co + j] += s0 * v;
            c[c1 + j] += s1 * v;
            c[c2 + j] += s2 * v;
            c[c3 + j] += s3 * v;
        }
    }

    private static void check(int actual, long expected, String name) {
        if (actual < expected) {
            throw new IllegalArgumentException("matrix " + name + " has " + actual + " values, needs " + expected);
        }
    }
}

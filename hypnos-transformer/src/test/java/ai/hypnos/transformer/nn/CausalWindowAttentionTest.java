package ai.hypnos.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Blockwise windowed attention against a naive per-position loop over the definition. */
class CausalWindowAttentionTest {

    @ParameterizedTest(name = "S={0}, W={1}")
    @CsvSource({"1,4", "4,4", "5,4", "16,4", "17,4", "37,8", "64,8", "23,0", "9,64"})
    void equalsNaiveReference(int s, int w) {
        int n = 3;
        int h = 2;
        int hd = 4;
        SplittableRandom r = new SplittableRandom(s * 31L + w);
        float[] q = random(r, n * h * s * hd);
        float[] k = random(r, n * h * s * hd);
        float[] v = random(r, n * h * s * hd);
        float[] got;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Shape shape = new Shape(n, h, s, hd);
            ForwardContext ctx = new ForwardContext(m, false, DataType.FLOAT32);
            NDArray out = CausalWindowAttention.apply(m.create(q, shape), m.create(k, shape), m.create(v, shape), w,
                    ctx, m);
            got = out.toFloatArray();
        }
        float[] expected = naive(q, k, v, n * h, s, hd, w);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        }
        assertTrue(worst < 1e-5, "max |Δ| " + worst);
    }

    /** softmax over keys j with 0 <= i - j < W (or j <= i without a window), per sequence and head. */
    static float[] naive(float[] q, float[] k, float[] v, int seqs, int s, int hd, int w) {
        float[] out = new float[q.length];
        for (int b = 0; b < seqs; b++) {
            int base = b * s * hd;
            for (int i = 0; i < s; i++) {
                double[] score = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    if (w > 0 && i - j >= w) {
                        score[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int d = 0; d < hd; d++) {
                        dot += q[base + i * hd + d] * k[base + j * hd + d];
                    }
                    score[j] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                double[] p = new double[s];
                for (int j = 0; j <= i; j++) {
                    p[j] = Double.isInfinite(score[j]) ? 0 : Math.exp(score[j] - max);
                    sum += p[j];
                }
                for (int d = 0; d < hd; d++) {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) {
                        acc += p[j] / sum * v[base + j * hd + d];
                    }
                    out[base + i * hd + d] = (float) acc;
                }
            }
        }
        return out;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}

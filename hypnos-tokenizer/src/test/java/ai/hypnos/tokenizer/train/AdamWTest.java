package ai.hypnos.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two clipped AdamW steps against the update rule written out in double precision, and the
 * gradients left at zero after each step (DJL's {@code adamUpdate} zeroes them), so the second
 * step sees only its own gradient.
 */
class AdamWTest {
    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.95;
    private static final double EPS = 1e-8;
    private static final double WD = 0.1;
    private static final double CLIP = 1.0;

    /** The expected state of one tensor: weights, moments. */
    private static final class Expected {
        final double[] w;
        final double[] m;
        final double[] v;

        Expected(float[] w0) {
            w = new double[w0.length];
            for (int i = 0; i < w0.length; i++) {
                w[i] = w0[i];
            }
            m = new double[w0.length];
            v = new double[w0.length];
        }

        /** DJL's adamUpdate: decay w -= lr·wd·w, then m, v, then w -= lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε). */
        void step(double[] g, double factor, double wd, int t) {
            double corrected = LR * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] * factor;
                w[i] -= w[i] * LR * wd;
                m[i] = B1 * m[i] + (1 - B1) * gi;
                v[i] = B2 * v[i] + (1 - B2) * gi * gi;
                w[i] -= corrected * m[i] / (Math.sqrt(v[i]) + EPS);
            }
        }
    }

    private static double norm(double[] a, double[] b) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        for (double x : b) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Gradients of Σ c1·w1 + Σ c2·w2 are c1 and c2. */
    private static void backward(NDArray w1, NDArray w2, float[] c1, float[] c2, NDManager m) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w1.mul(m.create(c1)).sum().add(w2.mul(m.create(c2)).sum()));
        }
    }

    @Test
    void twoClippedStepsFollowTheUpdateRuleAndGradientsStartFromZeroEachStep() {
        float[] w1 = {0.5f, -1.0f, 2.0f};
        float[] w2 = {0.25f, 0.75f};
        double[][] c1 = {{3, -4, 0}, {-1, 2, 0.5}};
        double[][] c2 = {{0, 12}, {0.25, -0.5}};
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a1 = m.create(w1);
            NDArray a2 = m.create(w2);
            a1.setRequiresGradient(true);
            a2.setRequiresGradient(true);
            Parameter p1 = Parameter.builder().setName("w1").setType(Parameter.Type.WEIGHT).optArray(a1).build();
            Parameter p2 = Parameter.builder().setName("w2").setType(Parameter.Type.BIAS).optArray(a2).build();
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("w1", p1);
            params.put("w2", p2);
            Expected e1 = new Expected(w1);
            Expected e2 = new Expected(w2);
            try (AdamW adamw = new AdamW(params, Set.of(p2), B1, B2, EPS, WD, CLIP, m)) {
                for (int t = 1; t <= 2; t++) {
                    float[] g1 = toFloats(c1[t - 1]);
                    float[] g2 = toFloats(c2[t - 1]);
                    backward(a1, a2, g1, g2, m);
                    double n = norm(c1[t - 1], c2[t - 1]);
                    float got;
                    try (NDManager scope = m.newSubManager()) {
                        got = adamw.step(LR, scope).getFloat();
                    }
                    assertEquals(n, got, 1e-5 * n, "global norm before clipping, step " + t);
                    double factor = Math.min(1.0, CLIP / (n + 1e-6));
                    e1.step(c1[t - 1], factor, WD, t);
                    e2.step(c2[t - 1], factor, 0, t);
                    assertClose(e1.w, a1.toFloatArray(), "w1 (decayed), step " + t);
                    assertClose(e2.w, a2.toFloatArray(), "w2 (not decayed), step " + t);
                    assertClose(e1.m, adamw.firstMoments().get("w1").toFloatArray(), "m1, step " + t);
                    assertClose(e2.v, adamw.secondMoments().get("w2").toFloatArray(), "v2, step " + t);
                    assertArrayEquals(new float[3], a1.getGradient().toFloatArray(), "w1's gradient zeroed");
                    assertArrayEquals(new float[2], a2.getGradient().toFloatArray(), "w2's gradient zeroed");
                }
                assertEquals(2, adamw.steps());
            }
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }
}

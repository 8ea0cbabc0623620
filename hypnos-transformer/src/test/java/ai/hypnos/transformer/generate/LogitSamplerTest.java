package ai.hypnos.transformer.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogitSamplerTest {
    private static final float[] LOGITS = {0f, 1f, 2f, 3f, -1f};

    private static double[] frequencies(SamplingOptions o, int n) {
        LogitSampler s = new LogitSampler(o);
        double[] f = new double[LOGITS.length];
        for (int i = 0; i < n; i++) {
            f[s.sample(LOGITS)] += 1.0 / n;
        }
        return f;
    }

    @Test
    void temperatureSamplesTheSoftmax() {
        double t = 2.0;
        double[] f = frequencies(new SamplingOptions(t, 0, 1.0, 1), 100_000);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l / t);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            assertEquals(Math.exp(LOGITS[i] / t) / z, f[i], 0.006, "code " + i);
        }
    }

    @Test
    void topKAndTopPRestrictTheSupport() {
        double[] k2 = frequencies(new SamplingOptions(1.0, 2, 1.0, 2), 20_000);
        assertEquals(0.0, k2[0] + k2[1] + k2[4], 0.0);
        assertEquals(Math.exp(3) / (Math.exp(3) + Math.exp(2)), k2[3], 0.01);
        // p(3) = 0.6364, p(2) = 0.2341: top-p 0.7 keeps {3, 2} (3 alone does not exceed 0.7).
        double[] p = frequencies(new SamplingOptions(1.0, 0, 0.7, 3), 20_000);
        assertEquals(0.0, p[0] + p[1] + p[4], 0.0);
        assertTrue(p[2] > 0.2);
        // top-p 0.5: the top code alone already exceeds it.
        assertEquals(1.0, frequencies(new SamplingOptions(1.0, 0, 0.5, 4), 1000)[3], 1e-9);
        assertEquals(3, new LogitSampler(SamplingOptions.greedy()).sample(LOGITS));
    }
}

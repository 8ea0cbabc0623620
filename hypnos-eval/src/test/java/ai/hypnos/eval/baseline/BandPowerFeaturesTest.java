package ai.hypnos.eval.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.SubjectKFold;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Band-power features: the right band dominates, and the baseline stages synthetic "sleep". */
class BandPowerFeaturesTest {
    static final double FS = 128;

    /** 30-s epochs whose dominant rhythm depends on the label (delta, theta, alpha, sigma, beta) plus noise. */
    static float[] night(int[] labels, SplittableRandom rng) {
        double[] freq = {2, 6, 10, 14, 22};
        int per = (int) (30 * FS);
        float[] x = new float[labels.length * per];
        for (int e = 0; e < labels.length; e++) {
            double f = freq[labels[e]] * (1 + 0.05 * rng.nextGaussian());
            double phase = rng.nextDouble() * 2 * Math.PI;
            for (int i = 0; i < per; i++) {
                x[e * per + i] = (float) (20 * Math.sin(2 * Math.PI * f * i / FS + phase) + 8 * rng.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void dominantBandHasTheLargestRelativePower() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] labels = {0, 1, 2, 3, 4};
        BandPowerFeatures f = BandPowerFeatures.defaults(FS);
        FloatMatrix x = f.compute(new float[][] {night(labels, rng), night(labels, rng)});
        assertEquals(5, x.rows());
        assertEquals(2 * 10, x.cols());
        assertEquals("c1/log_rel_alpha", f.featureNames(List.of("c0", "c1")).get(10 + 7));
        for (int e = 0; e < 5; e++) {
            int best = 0;
            for (int b = 1; b < 5; b++) {
                if (x.get(e, 5 + b) > x.get(e, 5 + best)) {
                    best = b;
                }
            }
            assertEquals(labels[e], best, "epoch " + e);
            double relSum = 0;
            for (int b = 0; b < 5; b++) {
                relSum += Math.pow(10, x.get(e, 5 + b));
            }
            assertEquals(1.0, relSum, 0.1, "relative powers sum to about 1");
        }
        assertThrows(IllegalArgumentException.class, () -> BandPowerFeatures.defaults(32));
    }

    @Test
    void bandPowerBaselineStagesSyntheticNights() {
        SplittableRandom rng = new SplittableRandom(2);
        BandPowerFeatures f = BandPowerFeatures.defaults(FS);
        LabeledDataset.Builder b = LabeledDataset.builder(List.of("W", "N1", "N2", "N3", "REM"));
        for (int s = 0; s < 6; s++) {
            int[] labels = new int[20];
            for (int e = 0; e < labels.length; e++) {
                labels[e] = rng.nextInt(5);
            }
            FloatMatrix x = f.compute(new float[][] {night(labels, rng)});
            b.add("s" + s, "r" + s, x, labels);
        }
        LabeledDataset ds = b.build();
        EvaluationResult r = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(50, 0.95, 0), true)
                .crossValidate(ds, new SubjectKFold(3, 0).splits(ds.subjects()), 0, "3-fold");
        assertTrue(r.overall().cohenKappa() > 0.9, "kappa " + r.overall().cohenKappa());
    }
}

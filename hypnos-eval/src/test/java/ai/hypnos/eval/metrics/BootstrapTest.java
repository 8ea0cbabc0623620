package ai.hypnos.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of the percentile bootstrap. */
class BootstrapTest {

    /** 40 subjects × 50 windows, with a per-subject shift so that windows of a subject correlate. */
    private static Object[] clusteredData() {
        SplittableRandom rng = new SplittableRandom(7);
        int subjects = 40;
        int per = 50;
        int[] y = new int[subjects * per];
        double[] s = new double[y.length];
        int[] g = new int[y.length];
        for (int j = 0; j < subjects; j++) {
            double shift = rng.nextGaussian();
            for (int i = 0; i < per; i++) {
                int r = j * per + i;
                g[r] = j;
                y[r] = rng.nextDouble() < 0.3 ? 1 : 0;
                s[r] = y[r] * 1.0 + shift + rng.nextGaussian();
            }
        }
        return new Object[] {y, s, g};
    }

    @Test
    void intervalContainsEstimateAndIsRepeatable() {
        Object[] d = clusteredData();
        int[] y = (int[]) d[0];
        double[] s = (double[]) d[1];
        int[] g = (int[]) d[2];
        Bootstrap b = new Bootstrap(400, 0.95, 11);
        BinaryMetrics m = BinaryMetrics.compute(y, s, g, b);
        assertTrue(m.aurocCi().contains(m.auroc()), m.aurocCi().toString());
        assertTrue(m.auprcCi().contains(m.auprc()), m.auprcCi().toString());
        assertEquals(400, m.aurocCi().valid());
        BinaryMetrics again = BinaryMetrics.compute(y, s, g, b);
        assertEquals(m.aurocCi(), again.aurocCi());
        BinaryMetrics rows = BinaryMetrics.compute(y, s, null, b);
        assertTrue(rows.aurocCi().contains(rows.auroc()));
        // Correlated windows: resampling subjects gives a wider (honest) interval than resampling rows.
        double wSubj = m.aurocCi().upper() - m.aurocCi().lower();
        double wRows = rows.aurocCi().upper() - rows.aurocCi().lower();
        assertTrue(wSubj > wRows, "subject-level " + wSubj + " vs row-level " + wRows);
    }

    @Test
    void percentileMatchesNumpyLinear() {
        double[] sorted = {1, 2, 3, 4, 10};
        assertEquals(1.1, Bootstrap.percentile(sorted, 0.025), 1e-12); // numpy.percentile([1,2,3,4,10], 2.5)
        assertEquals(9.4, Bootstrap.percentile(sorted, 0.975), 1e-12);
        assertEquals(3.0, Bootstrap.percentile(sorted, 0.5), 1e-12);
    }

    @Test
    void undefinedReplicatesAreSkipped() {
        int[] y = {1, 0, 0, 0, 0, 0};
        double[] s = {0.9, 0.1, 0.2, 0.3, 0.4, 0.5};
        ConfidenceInterval ci = new Bootstrap(200, 0.9, 3).interval(y.length, null, RankedScores.of(y, s)::auroc);
        assertTrue(ci.valid() < 200 && ci.valid() > 0, "valid " + ci.valid());
        assertEquals(1.0, ci.estimate(), 0);
    }
}

package ai.hypnos.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** AUROC, average precision and ROC curves against scikit-learn 1.2 (golden file). */
class BinaryMetricsTest {

    @Test
    void matchScikitLearn() {
        JsonNode cases = Golden.root().get("binary");
        for (JsonNode c : cases) {
            int[] y = Golden.ints(c.get("y"));
            double[] s = Golden.doubles(c.get("score"));
            double[] w = Golden.doubles(c.get("weights"));
            RankedScores r = RankedScores.of(y, s);
            assertEquals(c.get("auroc").asDouble(), r.auroc(w), 1e-12, "AUROC");
            assertEquals(c.get("average_precision").asDouble(), r.averagePrecision(w), 1e-12, "average precision");
            if (w == null) {
                RankedScores.RocCurve roc = r.rocCurve();
                assertArrayEquals(Golden.doubles(c.get("roc_fpr")), roc.falsePositiveRate(), 1e-12, "fpr");
                assertArrayEquals(Golden.doubles(c.get("roc_tpr")), roc.truePositiveRate(), 1e-12, "tpr");
            }
        }
    }

    @Test
    void weightsActLikeDuplicatedRows() {
        int[] y = {0, 1, 1, 0, 1};
        double[] s = {0.1, 0.4, 0.35, 0.8, 0.9};
        double[] w = {2, 1, 0, 1, 3};
        int[] yd = {0, 0, 1, 0, 1, 1, 1};
        double[] sd = {0.1, 0.1, 0.4, 0.8, 0.9, 0.9, 0.9};
        assertEquals(RankedScores.of(yd, sd).auroc(), RankedScores.of(y, s).auroc(w), 1e-15);
        assertEquals(RankedScores.of(yd, sd).averagePrecision(), RankedScores.of(y, s).averagePrecision(w), 1e-15);
    }

    @Test
    void singleClassIsUndefined() {
        assertTrue(Double.isNaN(BinaryMetrics.auroc(new int[] {1, 1}, new double[] {0.2, 0.3})));
        assertTrue(Double.isNaN(BinaryMetrics.averagePrecision(new int[] {0, 0}, new double[] {0.2, 0.3})));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.auroc(new int[] {0, 2}, new double[] {0.2, 0.3}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.auroc(new int[] {0, 1}, new double[] {0.2, Double.NaN}));
    }
}

package ai.hypnos.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Staging metrics against scikit-learn 1.2 on fixed inputs (golden file). */
class ClassificationMetricsTest {
    private static final double TOL = 1e-12;

    @Test
    void matchScikitLearn() {
        JsonNode cases = Golden.root().get("classification");
        assertTrue(cases.size() >= 4);
        for (JsonNode c : cases) {
            int k = c.get("num_classes").asInt();
            double[] w = Golden.doubles(c.get("weights"));
            ClassificationMetrics m = ClassificationMetrics.compute(Golden.ints(c.get("y_true")), Golden.ints(c.get("y_pred")), k, w);
            assertEquals(c.get("accuracy").asDouble(), m.accuracy(), TOL, "accuracy");
            assertEquals(c.get("balanced_accuracy").asDouble(), m.balancedAccuracy(), TOL, "balanced accuracy");
            assertEquals(c.get("cohen_kappa").asDouble(), m.cohenKappa(), TOL, "kappa");
            assertEquals(c.get("macro_f1").asDouble(), m.macroF1(), TOL, "macro F1");
            assertArrayEquals(Golden.doubles(c.get("per_class_f1")), m.perClassF1(), TOL, "per-class F1");
            assertArrayEquals(Golden.doubles(c.get("per_class_precision")), m.perClassPrecision(), TOL, "precision");
            assertArrayEquals(Golden.doubles(c.get("per_class_recall")), m.perClassRecall(), TOL, "recall");
            double[][] cm = Golden.matrix(c.get("confusion_matrix"));
            for (int t = 0; t < k; t++) {
                assertArrayEquals(cm[t], m.confusion().counts()[t], TOL, "confusion row " + t);
            }
        }
    }

    @Test
    void perfectAndChanceAgreement() {
        int[] y = {0, 1, 2, 3, 4, 0, 1, 2};
        ClassificationMetrics perfect = ClassificationMetrics.compute(y, y, 5);
        assertEquals(1.0, perfect.cohenKappa(), 0);
        assertEquals(1.0, perfect.macroF1(), 0);
        // Every prediction the same single class as every truth: chance agreement is 1, κ undefined.
        int[] same = {2, 2, 2};
        assertTrue(Double.isNaN(ClassificationMetrics.compute(same, same, 5).cohenKappa()));
    }

    @Test
    void rejectsLabelsOutsideRange() {
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.compute(new int[] {0, 5}, new int[] {0, 1}, 5));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.compute(new int[] {0}, new int[] {0, 1}, 5));
    }

    @Test
    void confusionMatricesAdd() {
        ConfusionMatrix a = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        ConfusionMatrix b = ConfusionMatrix.of(new int[] {1}, new int[] {1}, 2);
        ConfusionMatrix s = a.plus(b);
        assertEquals(1, s.count(0, 0));
        assertEquals(1, s.count(1, 0));
        assertEquals(1, s.count(1, 1));
        assertEquals(3, s.total());
    }
}

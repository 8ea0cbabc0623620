package ai.hypnos.eval.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.Golden;
import ai.hypnos.eval.linalg.FloatMatrix;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The linear probe against scikit-learn's {@code LogisticRegression} solved to its optimum
 * (golden file): coefficients and intercepts within 1e-4 relative (relative to the largest
 * coefficient of the model, so that near-zero weights are not compared at noise level), test
 * probabilities within 1e-6.
 */
class LogisticRegressionTest {

    @Test
    void matchesScikitLearnAtConvergence() {
        JsonNode g = Golden.root().get("logistic");
        FloatMatrix x = FloatMatrix.of(Golden.matrix(g.get("X")));
        FloatMatrix xt = FloatMatrix.of(Golden.matrix(g.get("X_test")));
        int checked = 0;
        for (JsonNode c : g.get("cases")) {
            String name = c.get("name").asText();
            int[] y = Golden.ints(g.get("y_" + c.get("target").asText()));
            int k = c.get("num_classes").asInt();
            LogisticRegression.Options o = LogisticRegression.Options.defaults().withC(c.get("C").asDouble())
                    .withWeighting(c.get("balanced").asBoolean() ? ClassWeighting.balanced() : ClassWeighting.none());
            Probe probe = new LogisticRegression(o);
            Classifier fitted = c.get("standardize").asBoolean() ? new StandardizedProbe(probe).fit(x, y, k) : probe.fit(x, y, k);
            LogisticRegressionModel model = fitted instanceof StandardizedProbe.Fitted f
                    ? (LogisticRegressionModel) f.model() : (LogisticRegressionModel) fitted;
            double[][] coef = Golden.matrix(c.get("coef"));
            double[] icpt = Golden.doubles(c.get("intercept"));
            double scale = 0;
            for (double[] row : coef) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            double[][] got = model.coefficients();
            assertEquals(coef.length, got.length, name);
            for (int r = 0; r < coef.length; r++) {
                for (int j = 0; j < coef[r].length; j++) {
                    assertEquals(coef[r][j], got[r][j], 1e-4 * scale, name + " coef[" + r + "][" + j + "]");
                }
                assertEquals(icpt[r], model.intercepts()[r], 1e-4 * Math.max(1, Math.abs(icpt[r])), name + " intercept " + r);
            }
            double[][] p = fitted.predictProba(xt);
            double[][] want = Golden.matrix(c.get("proba_test"));
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], p[i], 1e-6, name + " proba row " + i);
            }
            checked++;
        }
        assertEquals(24, checked);
    }

    @Test
    void absentClassGetsZeroProbabilityAndSingleClassIsConstant() {
        float[][] xs = {{0f, 0f}, {1f, 0f}, {0f, 1f}, {1f, 1f}, {2f, 2f}, {-1f, 0f}};
        int[] y = {0, 0, 2, 2, 2, 0};
        LogisticRegressionModel m = new LogisticRegression(1.0).fit(FloatMatrix.of(xs), y, 5);
        assertArrayEquals(new int[] {0, 2}, m.classes());
        assertEquals(1, m.coefficients().length, "two present classes fit as binary, like sklearn");
        for (double[] p : m.predictProba(FloatMatrix.of(xs))) {
            assertEquals(0, p[1] + p[3] + p[4], 0);
            assertEquals(1, p[0] + p[2], 1e-12);
        }
        LogisticRegressionModel c = new LogisticRegression(1.0).fit(FloatMatrix.of(xs), new int[] {3, 3, 3, 3, 3, 3}, 5);
        assertArrayEquals(new double[] {0, 0, 0, 1, 0}, c.predictProba(FloatMatrix.of(xs))[0], 0);
    }

    @Test
    void separableDataStaysFiniteAndPenalised() {
        float[][] xs = {{-2f}, {-1f}, {1f}, {2f}};
        int[] y = {0, 0, 1, 1};
        LogisticRegressionModel m = new LogisticRegression(1.0).fit(FloatMatrix.of(xs), y, 2);
        double w = m.coefficients()[0][0];
        assertTrue(Double.isFinite(w) && w > 0 && w < 10, "w = " + w);
        assertEquals(0, m.intercepts()[0], 1e-8, "symmetric data, zero intercept");
    }

    @Test
    void rejectsBadInput() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{1f}, {2f}});
        assertThrows(IllegalArgumentException.class, () -> new LogisticRegression(1.0).fit(x, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> new LogisticRegression(1.0).fit(x, new int[] {0, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> new LogisticRegression(-1.0));
        LogisticRegressionModel m = new LogisticRegression(1.0).fit(x, new int[] {0, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> m.predictProba(FloatMatrix.zeros(1, 3)));
    }
}

package ai.hypnos.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.hypnos.eval.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The signed-rank test against scipy.stats.wilcoxon (golden file). */
class WilcoxonSignedRankTest {

    @Test
    void matchesScipy() {
        for (JsonNode c : Golden.root().get("wilcoxon")) {
            String name = c.get("name").asText();
            WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(Golden.doubles(c.get("x")), Golden.doubles(c.get("y")));
            assertEquals(c.get("method").asText(), r.method().name(), name);
            assertEquals(c.get("statistic").asDouble(), r.statistic(), 1e-9, name + " statistic");
            assertEquals(c.get("p_value").asDouble(), r.pValue(), 1e-10 + 1e-9 * c.get("p_value").asDouble(), name + " p");
        }
    }

    @Test
    void degenerateInputs() {
        WilcoxonSignedRank.Result none = WilcoxonSignedRank.test(new double[] {1, 2}, new double[] {1, 2});
        assertEquals(1.0, none.pValue(), 0);
        assertEquals(WilcoxonSignedRank.Method.NO_DIFFERENCES, none.method());
        // All five differences positive, distinct: exact two-sided p = 2 / 2^5.
        WilcoxonSignedRank.Result five = WilcoxonSignedRank.testDifferences(new double[] {1, 2, 3, 4, 5});
        assertEquals(2.0 / 32, five.pValue(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> WilcoxonSignedRank.test(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> WilcoxonSignedRank.test(new double[] {Double.NaN}, new double[] {1}));
    }

    /**
     * Documents why we do not use commons-math3's test directly: with zero differences it ranks
     * the zeros and its normal approximation has a continuity correction, so its p-value is not
     * scipy's.
     */
    @Test
    void commonsMathDiffersFromScipyWithZeros() {
        JsonNode zeros = null;
        for (JsonNode c : Golden.root().get("wilcoxon")) {
            if (c.get("name").asText().startsWith("zeros")) {
                zeros = c;
            }
        }
        double[] x = Golden.doubles(zeros.get("x"));
        double[] y = Golden.doubles(zeros.get("y"));
        double commons = new org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, false);
        double scipy = zeros.get("p_value").asDouble();
        assertEquals(scipy, WilcoxonSignedRank.test(x, y).pValue(), 1e-12);
        assertNotEquals(scipy, commons, 1e-3);
    }
}

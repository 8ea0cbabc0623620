package ai.hypnos.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BH adjustment against the numpy reference in the golden script; paired comparisons end to end. */
class BenjaminiHochbergTest {

    @Test
    void matchesReference() {
        for (JsonNode c : Golden.root().get("benjamini_hochberg")) {
            assertArrayEquals(Golden.doubles(c.get("adjusted")), BenjaminiHochberg.adjust(Golden.doubles(c.get("p"))), 1e-15);
        }
    }

    @Test
    void nanPassesThroughAndIsNotCounted() {
        double[] adj = BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.04});
        assertEquals(0.02, adj[0], 1e-15);
        assertTrue(Double.isNaN(adj[1]));
        assertEquals(0.04, adj[2], 1e-15);
        boolean[] rej = BenjaminiHochberg.reject(new double[] {0.01, 0.5}, 0.05);
        assertTrue(rej[0] && !rej[1]);
    }

    @Test
    void pairedComparisonMatchesSubjectsAndAdjusts() {
        Map<String, Double> a = Map.of("s1", 0.8, "s2", 0.7, "s3", 0.75, "s4", 0.9, "s5", 0.85, "s6", 0.6);
        Map<String, Double> b = Map.of("s1", 0.7, "s2", 0.65, "s3", 0.6, "s4", 0.82, "s5", 0.8, "s6", 0.58, "extra", 0.1);
        List<PairedComparison.Outcome> out = new PairedComparison().add("kappa", a, b).add("same", a, a).run();
        PairedComparison.Outcome k = out.get(0);
        assertEquals(6, k.subjects().size());
        // Six positive distinct differences: exact p = 2/64.
        assertEquals(2.0 / 64, k.test().pValue(), 1e-15);
        assertEquals(1.0, out.get(1).test().pValue(), 0);
        assertArrayEquals(BenjaminiHochberg.adjust(new double[] {2.0 / 64, 1.0}), new double[] {k.adjustedP(), out.get(1).adjustedP()}, 1e-15);
    }
}

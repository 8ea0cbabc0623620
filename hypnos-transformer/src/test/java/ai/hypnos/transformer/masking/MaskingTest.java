package ai.hypnos.transformer.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void crpMeanNumberOfGroupsMatchesTheory() {
        // E[#groups] = Σ_{i<M} α/(α+i); for M = 8, α = 1 the 8th harmonic number 2.7179.
        assertEquals(2.717857, CrpSampler.expectedGroups(8, 1.0), 1e-6);
        SplittableRandom r = new SplittableRandom(1);
        int n = 40_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            int[] g = CrpSampler.sample(8, 1.0, r);
            int groups = java.util.Arrays.stream(g).max().getAsInt() + 1;
            sum += groups;
            sumSq += groups * (double) groups;
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        assertEquals(2.717857, mean, 4 * se, "mean " + mean + " ± " + se);
        // A second concentration: α = 3 for M = 8.
        double mean3 = 0;
        for (int i = 0; i < n; i++) {
            mean3 += java.util.Arrays.stream(CrpSampler.sample(8, 3.0, r)).max().getAsInt() + 1;
        }
        assertEquals(CrpSampler.expectedGroups(8, 3.0), mean3 / n, 0.03);
    }

    @Test
    void crpPartitionsAreCanonical() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 1000; i++) {
            int[] g = CrpSampler.sample(8, 1.0, r);
            assertEquals(0, g[0]);
            int next = 1;
            for (int s = 1; s < 8; s++) {
                assertTrue(g[s] <= next - 1 || g[s] == next, "first-appearance order");
                if (g[s] == next) {
                    next++;
                }
            }
        }
    }

    @Test
    void modesDoWhatTheySay() {
        SplittableRandom r = new SplittableRandom(3);
        boolean[] presence = {true, true, false, true, true, true, true, false};
        ModalityMasks crp = new ModalityMasker(MaskingMode.CRP, 1.0, 0).sample(1, 8, presence, r);
        assertArrayEquals(presence, crp.presence());
        assertEquals(8, crp.groupIds().length);
        ModalityMasks none = new ModalityMasker(MaskingMode.NO_CROSS_MODAL, 0, 0).sample(1, 8, presence, r);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, none.groupIds());
        for (int i = 0; i < 500; i++) {
            ModalityMasks sub = new ModalityMasker(MaskingMode.RANDOM_SUBSET, 1.0, 0).sample(1, 8, presence, r);
            assertNull(sub.groupIds());
            int kept = 0;
            for (int m = 0; m < 8; m++) {
                assertTrue(!sub.presence()[m] || presence[m], "never adds a modality");
                kept += sub.presence()[m] ? 1 : 0;
            }
            assertTrue(kept >= 1, "one group of present modalities survives");
            ModalityMasks drop = new ModalityMasker(MaskingMode.MODALITY_DROPOUT, 0, 0.9).sample(1, 8, presence, r);
            int survivors = 0;
            for (int m = 0; m < 8; m++) {
                assertTrue(!drop.presence()[m] || presence[m]);
                survivors += drop.presence()[m] ? 1 : 0;
            }
            assertTrue(survivors >= 1, "a survivor is rescued");
        }
        // Dropout keeps each present modality with probability 1 - p.
        int kept = 0;
        int trials = 20_000;
        boolean[] all = new boolean[8];
        java.util.Arrays.fill(all, true);
        for (int i = 0; i < trials; i++) {
            kept += new ModalityMasker(MaskingMode.MODALITY_DROPOUT, 0, 0.3).sample(1, 8, all, r).presence()[0] ? 1 : 0;
        }
        assertEquals(0.7, kept / (double) trials, 0.02);
    }

    @Test
    void attentionMaskGatesRowsWithNothingToSee() {
        ModalityAttentionMask mask = ModalityAttentionMask.of(1, 3, new boolean[] {true, false, true}, new int[] {0, 0, 1});
        assertTrue(mask.allowed(0, 0, 0));
        assertTrue(!mask.allowed(0, 0, 2), "different groups");
        assertTrue(!mask.allowed(0, 1, 1), "absent");
        assertNull(ModalityAttentionMask.of(1, 3, new boolean[] {true, true, true}, null), "all pairs: no mask");
    }
}

package ai.hypnos.core.preprocess;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NonFiniteRepairTest {
    private static final double NAN = Double.NaN;

    @Test
    void interpolatesInteriorRunsAndHoldsEdges() {
        double[] x = {NAN, NAN, 2, 4, NAN, NAN, NAN, 12, Double.POSITIVE_INFINITY, 20, NAN};
        NonFiniteRepair.Result r = NonFiniteRepair.repair(x);
        assertArrayEquals(new double[] {2, 2, 2, 4, 6, 8, 10, 12, 16, 20, 20}, r.samples(), 1e-12);
        assertEquals(List.of(new SampleGap(0, 2), new SampleGap(4, 3), new SampleGap(8, 1), new SampleGap(10, 1)), r.gaps());
        assertEquals(NAN, x[0], "input untouched");
    }

    @Test
    void cleanSignalIsReturnedAsIs() {
        double[] x = {1, 2, 3};
        NonFiniteRepair.Result r = NonFiniteRepair.repair(x);
        assertSame(x, r.samples());
        assertEquals(List.of(), r.gaps());
    }

    @Test
    void allMissingIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NonFiniteRepair.repair(new double[] {NAN, NAN}));
        assertEquals("signal of 2 samples has no finite sample", e.getMessage());
    }

    @Test
    void streamingEqualsBatch() {
        Random rng = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            double[] x = new double[rng.nextInt(2000) + 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            int runs = rng.nextInt(6);
            for (int k = 0; k < runs; k++) {
                int start = rng.nextInt(x.length);
                int len = 1 + rng.nextInt(200);
                for (int i = start; i < Math.min(x.length, start + len); i++) {
                    x[i] = NAN;
                }
            }
            x[rng.nextInt(x.length)] = 1.0; // at least one finite sample
            NonFiniteRepair.Result batch = NonFiniteRepair.repair(x);
            NonFiniteRepair.Stream s = NonFiniteRepair.stream();
            assertArrayEquals(batch.samples(), StreamTesting.pushInRandomBlocks(s, x, rng));
            assertEquals(batch.gaps(), s.gaps());
        }
    }
}

package ai.hypnos.tokenizer.rvq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.nn.HostData;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The residual quantizer against brute force and hand-computed cases: nearest codes, ties, EMA
 * arithmetic, k-means, dead-code replacement, the straight-through gradient, quantizer dropout.
 */
class ResidualVectorQuantizerTest {

    private static void setCodes(VectorQuantizer q, NDManager m, float[] codes) {
        q.setCodes(HostData.floats(m, codes, q.embedding().getShape()));
    }

    @Test
    void encodeIsTheBruteForceNearestNeighbourAtEveryLevel() {
        try (NDManager m = NDManager.newBaseManager();
                ResidualVectorQuantizer rvq = new ResidualVectorQuantizer(m, 6, 40, 3, 0.25, 0.99, 0, new Rng(1))) {
            Random r = new Random(2);
            float[][] codes = new float[3][40 * 6];
            for (int lvl = 0; lvl < 3; lvl++) {
                for (int i = 0; i < codes[lvl].length; i++) {
                    codes[lvl][i] = (float) (r.nextGaussian() / (lvl + 1));
                }
                setCodes(rvq.levels().get(lvl), m, codes[lvl]);
            }
            int n = 500;
            float[] x = new float[n * 6];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            long[] got = rvq.encode(HostData.floats(m, x, new Shape(n, 6)), 3).toLongArray();
            int checked = 0;
            for (int row = 0; row < n; row++) {
                double[] res = new double[6];
                for (int j = 0; j < 6; j++) {
                    res[j] = x[row * 6 + j];
                }
                for (int lvl = 0; lvl < 3; lvl++) {
                    double best = Double.MAX_VALUE;
                    double second = Double.MAX_VALUE;
                    int arg = -1;
                    for (int c = 0; c < 40; c++) {
                        double d = 0;
                        for (int j = 0; j < 6; j++) {
                            double e = res[j] - codes[lvl][c * 6 + j];
                            d += e * e;
                        }
                        if (d < best) {
                            second = best;
                            best = d;
                            arg = c;
                        } else if (d < second) {
                            second = d;
                        }
                    }
                    int ours = (int) got[row * 3 + lvl];
                    if (second - best > 1e-4) { // float32 may break near-ties either way
                        assertEquals(arg, ours, "row " + row + " level " + lvl);
                        checked++;
                    }
                    // Continue the residual with our choice, as the quantizer does.
                    for (int j = 0; j < 6; j++) {
                        res[j] -= codes[lvl][ours * 6 + j];
                    }
                }
            }
            assertTrue(checked > 1400, "checked " + checked);
            // Decoding sums the chosen codes.
            float[] dec = rvq.decode(HostData.longs(m, new long[] {3, 7, 11}, new Shape(1, 3))).toFloatArray();
            for (int j = 0; j < 6; j++) {
                assertEquals(codes[0][3 * 6 + j] + codes[1][7 * 6 + j] + codes[2][11 * 6 + j], dec[j], 1e-6f);
            }
        }
    }

    @Test
    void encodeGivesTheIndicesOfTheReferenceExpansionBitForBitAndFollowsChangedCodes() {
        // encode() searches with tables of the codes made once (‖c‖², −2c); nearest() evaluates
        // the reference's (‖x‖² − 2x·c) + ‖c‖² afresh. Rows built to be near-equidistant from two
        // codes make any difference in rounding show up as a different index.
        try (NDManager m = NDManager.newBaseManager();
                VectorQuantizer q = new VectorQuantizer(m, 16, 256, 0.99, 1e-5, 0.25, new Rng(3))) {
            Random r = new Random(4);
            float[] codes = new float[256 * 16];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (float) r.nextGaussian();
            }
            setCodes(q, m, codes);
            int n = 2000;
            float[] x = new float[n * 16];
            for (int row = 0; row < n; row++) {
                int a = r.nextInt(256);
                int b = r.nextInt(256);
                for (int j = 0; j < 16; j++) {
                    float mid = 0.5f * (codes[a * 16 + j] + codes[b * 16 + j]);
                    x[row * 16 + j] = row % 2 == 0 ? mid : mid + (float) (1e-3 * r.nextGaussian());
                }
            }
            NDArray xs = HostData.floats(m, x, new Shape(n, 16));
            assertArrayEquals(VectorQuantizer.nearest(xs, q.embedding()).toLongArray(), q.encode(xs).toLongArray());

            // New codes after a first search: the tables are remade.
            float[] moved = codes.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] = -moved[i];
            }
            setCodes(q, m, moved);
            long[] afterSet = q.encode(xs).toLongArray();
            assertArrayEquals(VectorQuantizer.nearest(xs, HostData.floats(m, moved, new Shape(256, 16))).toLongArray(), afterSet);

            // A training step moves the codes (EMA): encode() follows them too.
            q.setInitialized(true);
            q.trainStep(xs, false, new Rng(5));
            assertArrayEquals(VectorQuantizer.nearest(xs, q.embedding()).toLongArray(), q.encode(xs).toLongArray());
            assertFalse(java.util.Arrays.equals(afterSet, q.encode(xs).toLongArray()), "the training step moved no code");
        }
    }

    @Test
    void exactTiesGoToTheLowestIndex() {
        try (NDManager m = NDManager.newBaseManager();
                VectorQuantizer q = new VectorQuantizer(m, 2, 4, 0.99, 1e-5, 0.25, new Rng(1))) {
            setCodes(q, m, new float[] {5, 5, 1, 0, -1, 0, 1, 0});
            // (0,0) is at distance 1 from codes 1, 2 and 3 (code 3 duplicates code 1).
            long[] idx = q.encode(HostData.floats(m, new float[] {0, 0, 1, 0}, new Shape(2, 2))).toLongArray();
            assertArrayEquals(new long[] {1, 1}, idx);
        }
    }

    @Test
    void emaUpdateMatchesHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager();
                VectorQuantizer q = new VectorQuantizer(m, 2, 3, 0.9, 1e-5, 0.25, new Rng(1))) {
            setCodes(q, m, new float[] {0, 0, 10, 0, 0, 10});
            q.setInitialized(true); // skip k-means: test the EMA step alone
            // Two points near code 0, one near code 1, none near code 2.
            NDArray x = HostData.floats(m, new float[] {1, 1, -1, 3, 9, 1}, new Shape(3, 2));
            VectorQuantizer.Step s = q.trainStep(x, false, new Rng(4));
            assertArrayEquals(new long[] {0, 0, 1}, s.indices().toLongArray());
            // counts: 0.9·1 + 0.1·[2, 1, 0] = [1.1, 1.0, 0.9]
            assertArrayEquals(new float[] {1.1f, 1.0f, 0.9f}, q.emaClusterSize().toFloatArray(), 1e-6f);
            // sums: 0.9·0 + 0.1·[[0, 4], [9, 1], [0, 0]]
            assertArrayEquals(new float[] {0f, 0.4f, 0.9f, 0.1f, 0f, 0f}, q.emaEmbedSum().toFloatArray(), 1e-6f);
            // codes = sums / counts
            assertArrayEquals(new float[] {0f, 0.4f / 1.1f, 0.9f, 0.1f, 0f, 0f}, q.embedding().toFloatArray(), 1e-6f);
            assertArrayEquals(new long[] {2, 1, 0}, q.usageCount().toLongArray());
            // Commitment β·MSE(x, sg(q)) with the codes before the update: q = [0,0],[0,0],[10,0].
            double mse = (1 + 1 + 1 + 9 + 1 + 1) / 6.0;
            assertEquals(0.25 * mse, s.commitment().getFloat(), 1e-6);
        }
    }

    @Test
    void kmeansFindsTheClustersOfASmallCase() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Two tight clusters on a line; any seeding converges to their means within 50 iterations.
            float[] pts = {0f, 0.1f, 0.2f, 10f, 10.2f, 10.4f, 10.6f};
            for (long seed = 0; seed < 5; seed++) {
                KMeans.Result r = KMeans.fit(HostData.floats(m, pts, new Shape(7, 1)), 2, 50, new Rng(seed));
                float[] means = r.means().toFloatArray();
                float[] sizes = r.sizes().toFloatArray();
                int lo = means[0] < means[1] ? 0 : 1;
                assertEquals(0.1f, means[lo], 1e-5f);
                assertEquals(10.3f, means[1 - lo], 1e-5f);
                assertEquals(3f, sizes[lo]);
                assertEquals(4f, sizes[1 - lo]);
            }
        }
    }

    @Test
    void firstTrainingStepInitialisesLevelsInCascade() {
        try (NDManager m = NDManager.newBaseManager();
                ResidualVectorQuantizer rvq = new ResidualVectorQuantizer(m, 4, 8, 3, 0.25, 0.99, 0, new Rng(1))) {
            NDArray x = m.randomNormal(new Shape(64, 4));
            rvq.trainStep(x, 8, new Rng(2));
            assertTrue(rvq.levels().get(0).isInitialized());
            assertFalse(rvq.levels().get(1).isInitialized(), "level 1 waits for a batch after level 0's");
            rvq.trainStep(x, 8, new Rng(3));
            assertTrue(rvq.levels().get(1).isInitialized());
            assertFalse(rvq.levels().get(2).isInitialized());
            rvq.trainStep(x, 8, new Rng(4));
            assertTrue(rvq.levels().get(2).isInitialized());
        }
    }

    @Test
    void deadCodesAreRevivedWithCurrentInputs() {
        try (NDManager m = NDManager.newBaseManager();
                VectorQuantizer q = new VectorQuantizer(m, 2, 4, 0.99, 1e-5, 0.25, new Rng(1))) {
            // Codes 2 and 3 are far from all data; their counts fall below 0.1 × mean.
            setCodes(q, m, new float[] {0, 0, 1, 1, 100, 100, -100, 100});
            q.emaClusterSize().set(new NDIndex(":"), HostData.floats(m, new float[] {10, 10, 0.01f, 0.01f}, new Shape(4)));
            q.emaEmbedSum().set(new NDIndex(":"), HostData.floats(m, new float[] {0, 0, 10, 10, 1, 1, -1, 1}, new Shape(4, 2)));
            q.setInitialized(true);
            NDArray x = HostData.floats(m, new float[] {0.1f, 0, 0.9f, 1, 0, 0.2f, 1, 0.8f}, new Shape(4, 2));
            for (int step = 0; step < 5; step++) {
                q.trainStep(x, false, new Rng(step));
            }
            assertEquals(2f, q.replacedCount().toFloatArray()[0], "two codes replaced at the fifth step");
            float[] codes = q.embedding().toFloatArray();
            for (int c = 2; c < 4; c++) {
                boolean fromData = false;
                for (int row = 0; row < 4; row++) {
                    // A replaced code restarts at an input vector (then one EMA step moves it a little).
                    double d = Math.hypot(codes[c * 2] - x.getFloat(row, 0), codes[c * 2 + 1] - x.getFloat(row, 1));
                    fromData |= d < 0.05;
                }
                assertTrue(fromData, "code " + c + " revived near an input: " + codes[c * 2] + ", " + codes[c * 2 + 1]);
            }
        }
    }

    /**
     * q = x + sg(q − x): the decoder-side gradient reaches the encoder unchanged. Without the
     * estimator the quantized value has no path back to x and this gradient would be zero.
     */
    @Test
    void straightThroughEstimatorPassesTheGradientToTheEncoder() {
        try (NDManager m = NDManager.newBaseManager();
                ResidualVectorQuantizer rvq = new ResidualVectorQuantizer(m, 3, 8, 2, 0.0, 0.99, 0, new Rng(1))) {
            NDArray x = m.randomNormal(new Shape(32, 3));
            rvq.trainStep(x, 8, new Rng(1));
            rvq.trainStep(x, 8, new Rng(2)); // both levels initialised
            NDArray xin = x.duplicate();
            xin.setRequiresGradient(true);
            float[] target = new float[32 * 3];
            NDArray quantized;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                // commitment cost 0: the only path to x is the straight-through one
                quantized = rvq.trainStep(xin, 8, new Rng(3)).quantized();
                gc.backward(quantized.mul(HostData.floats(m, weights(target), quantized.getShape())).sum());
            }
            assertArrayEquals(weights(target), xin.getGradient().toFloatArray(), 1e-6f);
        }
    }

    private static float[] weights(float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (i % 7) - 3f;
        }
        return out;
    }

    @Test
    void quantizerDropoutKeepsAPrefixOfLevelsPerExample() {
        try (NDManager m = NDManager.newBaseManager();
                ResidualVectorQuantizer rvq = new ResidualVectorQuantizer(m, 2, 4, 4, 0.25, 0.99, 1.0, new Rng(1))) {
            NDArray x = m.randomNormal(new Shape(40, 2));
            ResidualVectorQuantizer.Output o = rvq.trainStep(x, 5, new Rng(9));
            float[] mask = o.levelMask().toFloatArray();
            boolean varied = false;
            for (int e = 0; e < 8; e++) {
                int kept = -1;
                for (int row = e * 5; row < e * 5 + 5; row++) {
                    int k = 0;
                    while (k < 4 && mask[row * 4 + k] == 1f) {
                        k++;
                    }
                    for (int j = k; j < 4; j++) {
                        assertEquals(0f, mask[row * 4 + j], "levels kept form a prefix");
                    }
                    assertTrue(k >= 1);
                    if (kept >= 0) {
                        assertEquals(kept, k, "one choice per example");
                    }
                    kept = k;
                }
                varied |= kept < 4;
            }
            assertTrue(varied);
            // A level's usage counts only the rows of the examples that keep it.
            for (int level = 0; level < 4; level++) {
                long keeping = 0;
                for (int row = 0; row < 40; row++) {
                    keeping += (long) mask[row * 4 + level];
                }
                long used = java.util.Arrays.stream(rvq.levels().get(level).usageCount().toLongArray()).sum();
                assertEquals(keeping, used, "level " + level);
            }
        }
    }

    /**
     * A level trained by some rows only changes exactly as a level trained on those rows alone:
     * k-means, usage, dead-code replacement (step 5), EMA and commitment never see the others.
     */
    @Test
    void aLevelTrainedBySomeRowsEqualsOneTrainedOnThoseRowsAlone() {
        try (NDManager m = NDManager.newBaseManager();
                VectorQuantizer part = new VectorQuantizer(m, 3, 8, 0.9, 1e-5, 0.25, new Rng(7));
                VectorQuantizer alone = new VectorQuantizer(m, 3, 8, 0.9, 1e-5, 0.25, new Rng(7))) {
            long[] rows = {0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23};
            for (int step = 0; step < 7; step++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.randomNormal(new Shape(24, 3)).add(step);
                    NDArray subset = x.get(s.create(rows));
                    VectorQuantizer.Step a = part.trainStep(x, rows, true, new Rng(100 + step));
                    VectorQuantizer.Step b = alone.trainStep(subset, true, new Rng(100 + step));
                    assertArrayEquals(b.indices().toLongArray(), a.indices().get(s.create(rows)).toLongArray());
                    assertEquals(b.commitment().getFloat(), a.commitment().getFloat(), 0f);
                    assertEquals(24, a.indices().getShape().get(0), "every row still gets a code");
                }
                assertArrayEquals(alone.embedding().toFloatArray(), part.embedding().toFloatArray(), 0f);
                assertArrayEquals(alone.emaClusterSize().toFloatArray(), part.emaClusterSize().toFloatArray(), 0f);
                assertArrayEquals(alone.emaEmbedSum().toFloatArray(), part.emaEmbedSum().toFloatArray(), 0f);
                assertArrayEquals(alone.usageCount().toLongArray(), part.usageCount().toLongArray());
            }
            try (NDManager s = m.newSubManager()) {
                float[] before = part.embedding().toFloatArray();
                VectorQuantizer.Step none = part.trainStep(s.randomNormal(new Shape(24, 3)), new long[0], true, new Rng(1));
                assertEquals(0f, none.commitment().getFloat());
                assertArrayEquals(before, part.embedding().toFloatArray(), 0f, "no training row: state unchanged");
            }
        }
    }
}

package ai.hypnos.eval.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.linalg.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The MLP probe learns what a linear probe cannot, repeatably. */
class MlpProbeTest {

    /** XOR of the signs of two coordinates, plus noise dimensions: not linearly separable. */
    private static Object[] xor(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble() * 2 - 1;
            double b = rng.nextDouble() * 2 - 1;
            x[i][0] = (float) a;
            x[i][1] = (float) b;
            for (int j = 2; j < 6; j++) {
                x[i][j] = (float) (0.3 * rng.nextGaussian());
            }
            y[i] = (a > 0) == (b > 0) ? 0 : 1;
        }
        return new Object[] {FloatMatrix.of(x), y};
    }

    private static double accuracy(Classifier c, FloatMatrix x, int[] y) {
        int[] p = c.predict(x);
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return ok / (double) y.length;
    }

    @Test
    void learnsXorThatALinearProbeCannot() {
        Object[] train = xor(1200, 1);
        Object[] test = xor(400, 2);
        FloatMatrix x = (FloatMatrix) train[0];
        int[] y = (int[]) train[1];
        for (Activation act : Activation.values()) {
            MlpProbe.Options o = MlpProbe.Options.defaults().withHidden(32).withActivation(act).withLearningRate(1e-2)
                    .withBatchSize(64).withMaxEpochs(150).withPatience(15).withSeed(3);
            Classifier mlp = new StandardizedProbe(new MlpProbe(o)).fit(x, y, 2);
            double acc = accuracy(mlp, (FloatMatrix) test[0], (int[]) test[1]);
            assertTrue(acc > 0.93, act + " MLP accuracy " + acc);
        }
        double linear = accuracy(new StandardizedProbe(new LogisticRegression(1.0)).fit(x, y, 2), (FloatMatrix) test[0], (int[]) test[1]);
        assertTrue(linear < 0.7, "linear accuracy " + linear);
    }

    @Test
    void sameSeedSameModel() {
        Object[] d = xor(300, 5);
        MlpProbe.Options o = MlpProbe.Options.defaults().withHidden(16).withMaxEpochs(10).withSeed(42);
        int[] groups = new int[300];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = i / 30;
        }
        MlpModel a = new MlpProbe(o).fit((FloatMatrix) d[0], (int[]) d[1], 2, groups);
        MlpModel b = new MlpProbe(o).fit((FloatMatrix) d[0], (int[]) d[1], 2, groups);
        assertArrayEquals(a.w1, b.w1);
        assertArrayEquals(a.w2, b.w2);
        MlpModel c = new MlpProbe(o.withSeed(43)).fit((FloatMatrix) d[0], (int[]) d[1], 2, groups);
        assertTrue(!java.util.Arrays.equals(a.w1, c.w1));
    }

    @Test
    void probabilitiesAreNormalised() {
        Object[] d = xor(200, 9);
        MlpModel m = new MlpProbe(MlpProbe.Options.defaults().withHidden(8).withMaxEpochs(3)).fit((FloatMatrix) d[0], (int[]) d[1], 3);
        for (double[] p : m.predictProba((FloatMatrix) d[0])) {
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);
        }
    }
}

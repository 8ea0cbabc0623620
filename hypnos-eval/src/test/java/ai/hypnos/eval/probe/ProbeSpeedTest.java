package ai.hypnos.eval.probe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.linalg.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Probe training at embedding scale (20,000 epochs × 768 dimensions, 5 classes): times the linear
 * probe to convergence and MLP epochs, and checks both learn. {@code -Plong}; numbers go to
 * docs/bench-notes/evaluation.md. Peer: {@code src/test/python/probe_speed.py} (scikit-learn).
 */
@Tag("long")
class ProbeSpeedTest {
    static final int N = 20_000;
    static final int D = 768;
    static final int K = 5;

    static Object[] data(long seed) {
        SplittableRandom centreRng = new SplittableRandom(0);
        double[][] centres = new double[K][D];
        for (double[] c : centres) {
            for (int j = 0; j < D; j++) {
                c[j] = 0.1 * centreRng.nextGaussian();
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[N * D];
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = rng.nextInt(K);
            for (int j = 0; j < D; j++) {
                x[i * D + j] = (float) (centres[y[i]][j] + rng.nextGaussian());
            }
        }
        return new Object[] {new FloatMatrix(N, D, x), y};
    }

    static double accuracy(Classifier c, FloatMatrix x, int[] y) {
        int[] p = c.predict(x);
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return ok / (double) y.length;
    }

    @Test
    void linearAndMlpAtEmbeddingScale() {
        Object[] train = data(1);
        Object[] test = data(2);
        FloatMatrix x = (FloatMatrix) train[0];
        int[] y = (int[]) train[1];
        long t0 = System.nanoTime();
        Classifier lr = new StandardizedProbe(new LogisticRegression(1.0)).fit(x, y, K);
        double lrSeconds = (System.nanoTime() - t0) / 1e9;
        double lrAcc = accuracy(lr, (FloatMatrix) test[0], (int[]) test[1]);
        long t1 = System.nanoTime();
        MlpProbe.Options o = MlpProbe.Options.defaults().withMaxEpochs(5).withPatience(100);
        Classifier mlp = new StandardizedProbe(new MlpProbe(o)).fit(x, y, K);
        double mlpSeconds = (System.nanoTime() - t1) / 1e9;
        double mlpAcc = accuracy(mlp, (FloatMatrix) test[0], (int[]) test[1]);
        System.out.printf(java.util.Locale.ROOT,
                "linear probe: %.1f s to convergence, test accuracy %.3f%nMLP probe (256 ReLU): %.2f s per epoch (5 epochs), test accuracy %.3f%n",
                lrSeconds, lrAcc, mlpSeconds / 5, mlpAcc);
        assertTrue(lrAcc > 0.5 && mlpAcc > 0.5, lrAcc + " " + mlpAcc);
    }
}

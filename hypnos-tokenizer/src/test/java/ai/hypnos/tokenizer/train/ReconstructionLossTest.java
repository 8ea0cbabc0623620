package ai.hypnos.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loss against a direct evaluation of its definition (periodic Hann, hop n/4, DFT by sums). */
class ReconstructionLossTest {

    @Test
    void matchesTheDefinitionComputedDirectly() {
        int t = 256;
        int[] sizes = {32, 64};
        Random r = new Random(1);
        float[] a = new float[2 * t];
        float[] b = new float[2 * t];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        double l1 = 0;
        for (int i = 0; i < a.length; i++) {
            l1 += Math.abs(a[i] - b[i]);
        }
        l1 /= a.length;
        double spectral = 0;
        for (int n : sizes) {
            int hop = n / 4;
            int frames = (t - n) / hop + 1;
            int bins = n / 2 + 1;
            double sum = 0;
            for (int s = 0; s < 2; s++) {
                for (int f = 0; f < frames; f++) {
                    for (int k = 0; k < bins; k++) {
                        sum += Math.abs(logMag(a, s * t + f * hop, n, k) - logMag(b, s * t + f * hop, n, k));
                    }
                }
            }
            spectral += sum / (2.0 * frames * bins);
        }
        spectral /= sizes.length;
        try (NDManager m = NDManager.newBaseManager(); ReconstructionLoss loss = new ReconstructionLoss(sizes, 0.5, m)) {
            ReconstructionLoss.Terms terms = loss.terms(HostData.floats(m, a, new Shape(2, 1, t)), HostData.floats(m, b, new Shape(2, 1, t)));
            assertEquals(l1, terms.l1().getFloat(), 1e-5);
            assertEquals(spectral, terms.spectral().getFloat(), 1e-4);
            assertEquals(l1 + 0.5 * spectral, loss.loss(HostData.floats(m, a, new Shape(2, 1, t)), HostData.floats(m, b, new Shape(2, 1, t))).getFloat(), 1e-4);
        }
    }

    private static double logMag(float[] x, int start, int n, int k) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            double ang = 2 * Math.PI * k * i / n;
            re += w * x[start + i] * Math.cos(ang);
            im -= w * x[start + i] * Math.sin(ang);
        }
        return 0.5 * Math.log(re * re + im * im + 1e-7);
    }
}

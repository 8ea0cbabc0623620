package ai.hypnos.tokenizer.nn;

import ai.hypnos.nn.HostData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The conv used for training on CPUs: values and both gradients against sums written from the
 * definition, and its forward against libtorch's conv (which inference uses).
 */
class Im2colConvTest {

    @Test
    void valuesAndGradientsMatchTheDefinition() {
        int[][] cases = {{4, 2, 1, 1, 1, 50}, {4, 2, 3, 1, 1, 50}, {4, 8, 8, 4, 1, 52}, {4, 2, 3, 1, 2, 50}, {3, 5, 5, 2, 1, 41}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                int cin = c[0], cout = c[1], k = c[2], s = c[3], d = c[4], len = c[5], batch = 3;
                float[] xv = CausalConvTest.randoms(batch * cin * len, k);
                float[] wv = CausalConvTest.randoms(cout * cin * k, 100 + k);
                NDArray w = HostData.floats(m, wv, new Shape(cout, cin, k));
                NDArray x = HostData.floats(m, xv, new Shape(batch, cin, len));
                w.setRequiresGradient(true);
                x.setRequiresGradient(true);
                NDArray y;
                float[] gyv;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    y = Im2colConv.conv1d(x, w, null, s, d);
                    gyv = CausalConvTest.randoms((int) y.size(), 7);
                    gc.backward(y.mul(HostData.floats(m, gyv, y.getShape())).sum());
                }
                int lo = (int) y.getShape().get(2);
                assertEquals((len - (k - 1) * d - 1) / s + 1, lo);
                float[] ey = new float[batch * cout * lo];
                float[] egx = new float[xv.length];
                float[] egw = new float[wv.length];
                for (int b = 0; b < batch; b++) {
                    for (int o = 0; o < cout; o++) {
                        for (int t = 0; t < lo; t++) {
                            double acc = 0;
                            float g = gyv[(b * cout + o) * lo + t];
                            for (int ci = 0; ci < cin; ci++) {
                                for (int j = 0; j < k; j++) {
                                    int xi = (b * cin + ci) * len + t * s + j * d;
                                    int wi = (o * cin + ci) * k + j;
                                    acc += wv[wi] * xv[xi];
                                    egx[xi] += g * wv[wi];
                                    egw[wi] += g * xv[xi];
                                }
                            }
                            ey[(b * cout + o) * lo + t] = (float) acc;
                        }
                    }
                }
                String at = java.util.Arrays.toString(c);
                assertArrayEquals(ey, y.toFloatArray(), 1e-4f, "value " + at);
                assertArrayEquals(egx, x.getGradient().toFloatArray(), 1e-4f, "input gradient " + at);
                assertArrayEquals(egw, w.getGradient().toFloatArray(), 1e-3f, "weight gradient " + at);
                NDArray native1 = Conv1d.conv1d(x, w, null, new Shape(s), new Shape(0), new Shape(d), 1).singletonOrThrow();
                assertArrayEquals(native1.toFloatArray(), y.toFloatArray(), 1e-4f, "libtorch conv forward " + at);
            }
        }
    }
}

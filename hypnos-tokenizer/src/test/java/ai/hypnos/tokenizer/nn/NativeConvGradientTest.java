package ai.hypnos.tokenizer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import ai.hypnos.nn.HostData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Training leaves a conv to libtorch only where {@link Im2colConv#nativeGradientRight} says its
 * CPU input gradient is right. This checks that claim on the machine running the tests, for
 * batches larger than one and the channel counts, kernels, strides and dilations of the presets,
 * against {@link Im2colConv} (itself checked against the definition in {@code Im2colConvTest}).
 */
class NativeConvGradientTest {

    @Test
    void libtorchInputGradientIsRightWhereTrainingUsesIt() {
        // {batch, C_in, C_out, k, stride, dilation, length}
        int[][] cases = {
            {4, 1, 16, 7, 1, 1, 200}, {4, 16, 16, 3, 1, 1, 120}, {4, 16, 16, 3, 1, 2, 120},
            {4, 8, 16, 1, 1, 1, 64}, {3, 16, 32, 8, 4, 1, 256}, {4, 32, 32, 3, 1, 4, 160},
            {16, 32, 64, 8, 4, 1, 256}, {4, 64, 64, 1, 1, 1, 64}, {4, 64, 128, 4, 2, 1, 128},
            {8, 128, 256, 4, 2, 1, 64}, {4, 24, 48, 5, 1, 1, 100}, {4, 256, 256, 3, 1, 1, 48}
        };
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                int batch = c[0], cin = c[1], cout = c[2], k = c[3], s = c[4], d = c[5], len = c[6];
                String at = Arrays.toString(c);
                assertTrue(Im2colConv.nativeGradientRight(cout), "case outside the rule: " + at);
                float[] xv = CausalConvTest.randoms(batch * cin * len, k + cout);
                float[] wv = CausalConvTest.randoms(cout * cin * k, 100 + cin);
                NDArray w = HostData.floats(m, wv, new Shape(cout, cin, k));
                NDArray xNative = HostData.floats(m, xv, new Shape(batch, cin, len));
                NDArray xCols = HostData.floats(m, xv, new Shape(batch, cin, len));
                xNative.setRequiresGradient(true);
                xCols.setRequiresGradient(true);
                NDArray gy;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray y = Conv1d.conv1d(xNative, w, null, new Shape(s), new Shape(0), new Shape(d), 1)
                            .singletonOrThrow();
                    gy = HostData.floats(m, CausalConvTest.randoms((int) y.size(), 7), y.getShape());
                    gc.backward(y.mul(gy).sum());
                }
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(Im2colConv.conv1d(xCols, w, null, s, d).mul(gy).sum());
                }
                float[] expected = xCols.getGradient().toFloatArray();
                float tolerance = 1e-5f * (float) Math.sqrt((double) cout * k) * 10;
                assertArrayEquals(expected, xNative.getGradient().toFloatArray(), tolerance, "input gradient " + at);
            }
        }
    }
}

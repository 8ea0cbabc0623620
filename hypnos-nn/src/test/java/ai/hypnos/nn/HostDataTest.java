package ai.hypnos.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.hypnos.nn.testing.GcChurn;
import org.junit.jupiter.api.Test;

/**
 * Arrays from {@link HostData} own their memory: their values, and gradients that autograd
 * computes from them, survive the garbage collector freeing and overwriting every unreachable
 * direct buffer between the forward and the backward pass.
 */
class HostDataTest {

    @Test
    void arraysKeepTheirValuesWhenDirectBuffersAreFreedAndOverwritten() {
        float[] data = {1.5f, -2f, 3.25f, 0f, 7f, -0.125f};
        long[] ids = {4, 0, 9};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray f = HostData.floats(m, data.clone(), new Shape(2, 3));
            NDArray l = HostData.longs(m, ids.clone());
            GcChurn.run();
            assertEquals(new Shape(2, 3), f.getShape());
            assertEquals(DataType.INT64, l.getDataType());
            assertArrayEquals(data, f.toFloatArray());
            assertArrayEquals(ids, l.toLongArray());
        }
    }

    @Test
    void gradientThroughAScalarFactorIsExactAfterGarbageCollection() {
        float[] data = {1f, -2f, 3f, 4f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = HostData.floats(m, data);
            x.setRequiresGradient(true);
            NDArray half = HostData.scalar(m, 0.5f);
            NDArray weights = HostData.floats(m, new float[] {1f, 2f, 3f, 4f});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = x.mul(half).mul(weights).sum();
                GcChurn.run(); // frees and overwrites any buffer the graph might still borrow
                gc.backward(loss);
            }
            // d/dx sum(0.5 · w · x) = 0.5 · w
            assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, x.getGradient().toFloatArray());
        }
    }
}

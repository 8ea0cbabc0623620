package ai.hypnos.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Java arrays into NDArrays that own their memory.
 *
 * <p>On the CPU, DJL's {@code NDManager.create(float[])} makes a tensor that <em>borrows</em> a
 * direct ByteBuffer ({@code torch::from_blob}); the buffer lives as long as that one Java
 * object. Views, autograd's saved tensors and libtorch-internal references can outlive it, and
 * once the garbage collector frees the buffer they read freed memory: we measured training runs
 * whose losses changed with GC timing and turned NaN, and that were bit-for-bit repeatable with
 * the Epsilon (no-op) collector. Every array made from Java data here is therefore cloned into
 * libtorch-owned memory at once and the borrowing one closed. (On a GPU DJL copies anyway, so
 * the array it makes is returned as it is.)
 *
 * <p>The same trap is in DJL's arithmetic with Java numbers: {@code x.mul(0.5f)} wraps the
 * number in such a borrowing scalar and closes it right after the op, yet autograd keeps that
 * scalar for the backward pass of mul, div, pow, maximum and minimum. In differentiable code,
 * multiply by a {@link #scalar} instead, made once and kept (per block or per model), not per op
 * (add and sub with numbers are safe: their backward needs no operand). {@code docs/djl-notes.md}
 * lists every such trap found in DJL 0.36 / libtorch 2.7.1 and the tests that pin them down.
 */
public final class HostData {
    private HostData() {}

    /** {@code data} as a float32 array of {@code shape} in {@code m}, in memory libtorch owns. */
    public static NDArray floats(NDManager m, float[] data, Shape shape) {
        return owned(m.create(data, shape));
    }

    /** {@code data} as a 1-D float32 array in {@code m}, in memory libtorch owns. */
    public static NDArray floats(NDManager m, float[] data) {
        return floats(m, data, new Shape(data.length));
    }

    /** {@code data} as an int64 array of {@code shape} in {@code m}, in memory libtorch owns. */
    public static NDArray longs(NDManager m, long[] data, Shape shape) {
        return owned(m.create(data, shape));
    }

    /** {@code data} as a 1-D int64 array in {@code m}, in memory libtorch owns. */
    public static NDArray longs(NDManager m, long[] data) {
        return longs(m, data, new Shape(data.length));
    }

    /** A float32 scalar owned by libtorch, living in {@code m} (keep it alive until backward). */
    public static NDArray scalar(NDManager m, float value) {
        return floats(m, new float[] {value}, new Shape());
    }

    /**
     * A copy of {@code borrowed} in libtorch-owned memory (the borrowing array is closed). On a
     * GPU DJL has already copied the data to the device and nothing borrows: no second copy.
     */
    private static NDArray owned(NDArray borrowed) {
        if (borrowed.getDevice().isGpu()) {
            return borrowed;
        }
        try (borrowed) {
            return borrowed.duplicate();
        }
    }
}

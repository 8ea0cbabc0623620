package ai.hypnos.tokenizer.nn;

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
 * libtorch-owned memory at once and the borrowing one closed. (On a GPU DJL copies anyway.)
 *
 * <p>The same trap is in DJL's arithmetic with Java numbers: {@code x.mul(0.5f)} wraps the
 * number in such a borrowing scalar and closes it right after the op, yet autograd keeps that
 * scalar for the backward pass of mul, div and pow. In differentiable code, multiply by
 * {@link #scalar} instead (add and sub with numbers are safe: their backward needs no operand).
 */
public final class HostData {
    private HostData() {}

    public static NDArray floats(NDManager m, float[] data, Shape shape) {
        try (NDArray borrowed = m.create(data, shape)) {
            return borrowed.duplicate();
        }
    }

    public static NDArray floats(NDManager m, float[] data) {
        return floats(m, data, new Shape(data.length));
    }

    public static NDArray longs(NDManager m, long[] data, Shape shape) {
        try (NDArray borrowed = m.create(data, shape)) {
            return borrowed.duplicate();
        }
    }

    /** A float32 scalar owned by libtorch, living in {@code m} (keep it alive until backward). */
    public static NDArray scalar(NDManager m, float value) {
        return floats(m, new float[] {value}, new Shape());
    }

    public static NDArray longs(NDManager m, long[] data) {
        return longs(m, data, new Shape(data.length));
    }
}

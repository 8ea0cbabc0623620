package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A 1-D convolution (no padding) computed as gathered columns times the kernel matrix.
 *
 * <p>Why: with DJL 0.36's libtorch 2.7.1 on this project's CPUs (AMD EPYC, AVX-512), the
 * gradient of {@code conv1d} with respect to its <em>input</em> is wrong — off by O(1), at times
 * NaN — when the batch has more than one sequence and the number of output channels is not a
 * multiple of 16 (1, 4, 12 and 17 fail; 16, 32, 48 and 64 are right, whatever the input
 * channels: oneDNN's 16-float channel blocking), while its forward value and weight gradient are
 * right. Arrays in libtorch-owned memory show it too, so it is not the borrowed-memory trap of
 * {@code HostData}. Training needs that gradient in every layer but the first, so such convs go
 * through here: columns [B, L_out, C_in·k] from k shifted slices (or, for kernels that are whole
 * multiples of the stride, from 2-3 reshaped views), then one batched matmul, whose backward
 * libtorch gets right. The forward value equals {@code conv1d}'s up to float rounding.
 * {@code NativeConvGradientTest} checks that libtorch's gradient is right for every shape this
 * class leaves to it, so a CPU where the rule does not hold fails the build instead of training
 * on wrong gradients.
 */
public final class Im2colConv {
    private Im2colConv() {}

    /**
     * Whether a conv with this kernel must take this path: it is being trained on a CPU (the
     * kernel requires a gradient and autograd is recording on this thread) and its number of
     * output channels is one for which libtorch's input gradient is wrong. Inference uses
     * libtorch's conv, whose forward is right (checked against this class in the tests), and
     * GPUs use cuDNN.
     */
    public static boolean needed(ai.djl.nn.Parameter kernel, ai.djl.Device device) {
        return !device.isGpu() && kernel.requiresGradient() && ai.djl.pytorch.jni.JniUtils.isGradMode()
                && !nativeGradientRight(kernel.getArray().getShape().get(0));
    }

    /** Whether libtorch's CPU conv1d gets the input gradient right for this many output channels. */
    static boolean nativeGradientRight(long outChannels) {
        return outChannels % 16 == 0;
    }

    /**
     * @param x [B, C_in, L] (already padded)
     * @param w [C_out, C_in, k]
     * @param b [C_out] or null
     * @return [B, C_out, ⌊(L − (k−1)·d − 1)/s⌋ + 1], in x's manager
     */
    public static NDArray conv1d(NDArray x, NDArray w, NDArray b, int stride, int dilation) {
        Shape xs = x.getShape();
        long batch = xs.get(0);
        long cin = xs.get(1);
        long len = xs.get(2);
        long cout = w.getShape().get(0);
        int k = (int) w.getShape().get(2);
        long span = (long) (k - 1) * dilation + 1;
        long nOut = (len - span) / stride + 1;
        NDList parts = new NDList(k);
        if (dilation == 1 && k % stride == 0) {
            // Kernel = m whole strides: view the signal as blocks of one stride; tap block j of
            // output i is block i+j.
            int m = k / stride;
            NDArray blocks = x.get(new NDIndex(":, :, :{}", (nOut + m - 1) * stride)).reshape(batch, cin, nOut + m - 1, stride);
            for (int j = 0; j < m; j++) {
                parts.add(blocks.get(new NDIndex(":, :, {}:{}, :", j, j + nOut)));
            }
        } else {
            for (int j = 0; j < k; j++) {
                long start = (long) j * dilation;
                parts.add(x.get(new NDIndex(":, :, {}:{}:{}", start, start + (nOut - 1) * stride + 1, stride)).expandDims(3));
            }
        }
        // cols[b, i, c, tap] → [B, L_out, C_in·k]
        // (NDArrays.concat of a single array is a clone under NoGradGuard: it would cut the graph.)
        NDArray gathered = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 3);
        NDArray cols = gathered.transpose(0, 2, 1, 3).reshape(batch, nOut, cin * k);
        NDArray flat = w.reshape(cout, cin * k);
        flat.attach(x.getManager()); // w may be a parameter: keep the temporary out of its manager
        NDArray kernel = flat.transpose();
        NDArray y = cols.matMul(kernel);
        if (b != null) {
            y = y.add(b);
        }
        return y.transpose(0, 2, 1);
    }
}

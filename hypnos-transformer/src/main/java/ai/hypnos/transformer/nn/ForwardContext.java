package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one forward pass (a batch of chunks, a training step, a streaming session) shares between
 * blocks: the manager its results belong to, whether it trains, and arrays derived once per pass —
 * fused weights (Q/K/V in one matrix, code tables in one table), attention masks, RoPE slices.
 *
 * <p>Fused weights are built inside the pass, so in training they are part of the autograd graph
 * (concatenation is differentiable) and gradients reach the named parameters. Not thread-safe: one
 * context per pass and thread.
 */
public final class ForwardContext {
    private final NDManager manager;
    private final boolean training;
    private final DataType dataType;
    private final Map<Object, Object> memo = new HashMap<>();

    /**
     * @param manager  owner of everything the pass derives (closed by the caller after the pass)
     * @param training dropout on and CRP groups honoured
     * @param dataType the weights' float type
     */
    public ForwardContext(NDManager manager, boolean training, DataType dataType) {
        this.manager = manager;
        this.training = training;
        this.dataType = dataType;
    }

    public NDManager manager() {
        return manager;
    }

    public boolean training() {
        return training;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The value cached under {@code key}, computed by {@code compute} on first use. */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }

    /** Concatenates weights along {@code axis}, attached to this pass (once per pass and key). */
    public NDArray fused(Object key, int axis, List<NDArray> parts) {
        if (parts.size() == 1) {
            return parts.get(0); // the weight itself: never attached to (and closed with) this pass
        }
        return memo(key, () -> {
            NDArray a = NDArrays.concat(new NDList(parts), axis);
            a.attach(manager);
            return a;
        });
    }

    /** Stacks weights along a new {@code axis}, attached to this pass (once per pass and key). */
    public NDArray stacked(Object key, int axis, List<NDArray> parts) {
        return memo(key, () -> {
            NDArray a = NDArrays.stack(new NDList(parts), axis);
            a.attach(manager);
            return a;
        });
    }

    /**
     * Additive mask {@code [S, S]} for causal attention with an optional window: 0 where key k may
     * be seen by query q ({@code k <= q} and, when {@code window > 0}, {@code q - k < window}),
     * −∞ elsewhere.
     */
    public NDArray causalBias(int s, int window) {
        return memo("causal:" + s + ":" + window, () -> {
            float[] m = new float[s * s];
            for (int q = 0; q < s; q++) {
                for (int k = 0; k < s; k++) {
                    boolean ok = k <= q && (window <= 0 || q - k < window);
                    m[q * s + k] = ok ? 0f : Float.NEGATIVE_INFINITY;
                }
            }
            return create(m, new Shape(s, s));
        });
    }

    /**
     * Additive mask {@code [nb, W, 2W]} for blockwise windowed attention: query i of block b sees
     * key j of the pair (block b−1, block b) iff its absolute distance is in {@code [0, W)}; the
     * "previous block" of block 0 is padding and never seen, unless {@code continued} (it then
     * holds the keys of the previous segment of the sequence).
     */
    public NDArray blockBias(int nb, int w, boolean continued) {
        return memo("block:" + nb + ":" + w + ":" + continued, () -> {
            float[] m = new float[nb * w * 2 * w];
            for (int b = 0; b < nb; b++) {
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < 2 * w; j++) {
                        // key position relative to block start: j - w; distance q - k = i - (j - w)
                        int distance = i - (j - w);
                        boolean ok = distance >= 0 && distance < w && (continued || b > 0 || j >= w);
                        m[(b * w + i) * 2 * w + j] = ok ? 0f : Float.NEGATIVE_INFINITY;
                    }
                }
            }
            return create(m, new Shape(nb, w, 2 * w));
        });
    }

    /**
     * {@code value} as a scalar of this pass's float type, made once per pass. Differentiable code
     * multiplies by this instead of {@code x.mul(float)}: DJL wraps a Java number in an array that
     * borrows a direct buffer and closes it right after the op, yet autograd keeps it for the
     * backward pass (see {@link HostData}).
     */
    public NDArray scalar(float value) {
        return memo("scalar:" + Float.floatToIntBits(value), () -> {
            NDArray a = HostData.scalar(manager, value);
            if (dataType != DataType.FLOAT32) {
                NDArray c = a.toType(dataType, false);
                a.close();
                return c;
            }
            return a;
        });
    }

    /** Host floats as an array of this pass's float type, attached to this pass. */
    public NDArray create(float[] data, Shape shape) {
        NDArray a = HostData.floats(manager, data, shape);
        if (dataType != DataType.FLOAT32) {
            NDArray c = a.toType(dataType, false);
            a.close();
            return c;
        }
        return a;
    }
}

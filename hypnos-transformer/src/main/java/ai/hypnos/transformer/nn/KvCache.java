package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Ring buffer of the last {@code capacity} keys and values of one attention layer, for
 * streaming. Keys are stored after RoPE, so a key's slot does not matter (attention sums over
 * keys in any order) and the buffer is overwritten in place: memory is fixed for a whole night.
 * With the capacity equal to the layer's window, the buffer holds exactly the keys a new query may
 * see.
 */
public final class KvCache {
    private final NDArray keys;
    private final NDArray values;
    private final int capacity;
    private int filled;
    private int next;

    /**
     * @param manager  owner of the buffers (the streaming session)
     * @param n        sequences (modalities)
     * @param heads    attention heads
     * @param capacity positions kept
     * @param headDim  head dimension
     */
    public KvCache(NDManager manager, long n, int heads, int capacity, int headDim, DataType dataType) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("cache capacity must be > 0, got " + capacity);
        }
        this.capacity = capacity;
        Shape shape = new Shape(n, heads, capacity, headDim);
        this.keys = manager.zeros(shape, dataType);
        this.values = manager.zeros(shape, dataType);
    }

    /**
     * Writes one position's key and value ({@code [N, H, 1, hd]}) over the oldest slot and returns
     * the valid keys and values {@code [N, H, min(t+1, capacity), hd]} as new handles (attached to
     * the cache's manager: the caller owns and closes them).
     */
    public NDArray[] append(NDArray key, NDArray value) {
        NDIndex slot = new NDIndex(":, :, {}:{}", next, next + 1);
        keys.set(slot, key);
        values.set(slot, value);
        next = (next + 1) % capacity;
        filled = Math.min(filled + 1, capacity);
        if (filled == capacity) {
            return new NDArray[] {keys.get(new NDIndex()), values.get(new NDIndex())};
        }
        NDIndex valid = new NDIndex(":, :, 0:{}", filled);
        return new NDArray[] {keys.get(valid), values.get(valid)};
    }

    /** Forgets every position (a new chunk starts); the buffers are reused. */
    public void reset() {
        filled = 0;
        next = 0;
    }

    public int capacity() {
        return capacity;
    }

    /** Positions currently held. */
    public int filled() {
        return filled;
    }
}

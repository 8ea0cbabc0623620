package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the causal layers carry from one piece of a sequence to the next: each conv's unconsumed
 * left context, each transposed conv's last input frames, each attention layer's key/value cache.
 *
 * <p>A layer given a state continues the sequence the state describes; a layer given
 * {@code null} starts a fresh sequence (the training and whole-signal path). Arrays in the state
 * live in the state's own manager, so they survive the per-chunk scopes that free everything else.
 *
 * <p>Updates can be tentative: between {@link #begin()} and {@link #rollback()} every
 * {@link #put} is undone, which is how the streaming encoder computes the tokens of a chunk it
 * has only partly received without disturbing the state of the chunk's start.
 *
 * <p>The state also caches arrays derived from parameters that stay fixed while it is in use
 * (weight-normalised kernels): an inference run computes them once, not once per chunk.
 */
public final class StreamState implements AutoCloseable {
    private final NDManager manager;
    private final Map<Slot, NDArray> values = new HashMap<>();
    private final Map<Slot, NDArray> undo = new LinkedHashMap<>();
    private final Map<Slot, NDArray> cache = new HashMap<>();
    private boolean inTransaction;

    /** A key: the layer that owns the value and the value's name within the layer. */
    private record Slot(Object owner, String name) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Slot s && s.owner == owner && s.name.equals(name);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(owner) * 31 + name.hashCode();
        }
    }

    /** A state whose arrays live under {@code parent} (and on its device). */
    public StreamState(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** The manager holding the state's arrays. */
    public NDManager manager() {
        return manager;
    }

    /** The value {@code owner} stored under {@code name}, or null at the start of the sequence. */
    public NDArray get(Object owner, String name) {
        return values.get(new Slot(owner, name));
    }

    /** Stores a value (moved into this state's manager); the previous one is freed or kept for undo. */
    public void put(Object owner, String name, NDArray value) {
        Slot s = new Slot(owner, name);
        value.attach(manager);
        NDArray old = values.put(s, value);
        if (inTransaction && !undo.containsKey(s)) {
            undo.put(s, old);
        } else if (old != null && old != value) {
            old.close();
        }
    }

    /** Starts recording updates so that {@link #rollback()} can undo them. */
    public void begin() {
        if (inTransaction) {
            throw new IllegalStateException("transaction already open");
        }
        inTransaction = true;
    }

    /** Keeps the updates made since {@link #begin()}. */
    public void commit() {
        requireTransaction();
        for (NDArray old : undo.values()) {
            if (old != null) {
                old.close();
            }
        }
        undo.clear();
        inTransaction = false;
    }

    /** Restores the values as they were at {@link #begin()}. */
    public void rollback() {
        requireTransaction();
        for (Map.Entry<Slot, NDArray> e : undo.entrySet()) {
            NDArray current = e.getValue() == null ? values.remove(e.getKey()) : values.put(e.getKey(), e.getValue());
            if (current != null && current != e.getValue()) {
                current.close();
            }
        }
        undo.clear();
        inTransaction = false;
    }

    private void requireTransaction() {
        if (!inTransaction) {
            throw new IllegalStateException("no transaction open");
        }
    }

    /**
     * A parameter-derived array, computed once per state (kept in this state's manager).
     *
     * <p>{@code compute} must return a new array: the state adopts it and frees it on close, so
     * a parameter's own array passed here would be released with the state.
     */
    public NDArray cached(Object owner, String name, Supplier<NDArray> compute) {
        return cache.computeIfAbsent(new Slot(owner, name), k -> {
            NDArray a = compute.get();
            a.attach(manager);
            return a;
        });
    }

    @Override
    public void close() {
        values.clear();
        undo.clear();
        cache.clear();
        manager.close();
    }
}

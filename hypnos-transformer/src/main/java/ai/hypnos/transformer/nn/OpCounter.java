package ai.hypnos.transformer.nn;

import java.util.concurrent.atomic.LongAdder;

/**
 * Debug counter of NDArray operations issued by the model's blocks.
 *
 * <p>DJL's per-op dispatch cost (tens of µs) matters for small blocks and on GPUs (issue 12), so
 * the number of ops per training step or embedded chunk is a figure worth watching. Every block
 * runs in a {@link BlockScope}; when counting is on, a scope adds the number of arrays it created
 * (one per op, views included) as it closes. Off by default (it walks the scope's resources);
 * turn on with {@link #setEnabled} or {@code -Dhypnos.debug.opcount=true}.
 */
public final class OpCounter {
    private static final LongAdder COUNT = new LongAdder();
    private static volatile boolean enabled = Boolean.getBoolean("hypnos.debug.opcount");

    private OpCounter() {
    }

    public static boolean isEnabled() {
        return enabled;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Ops counted since the last {@link #reset()}. */
    public static long count() {
        return COUNT.sum();
    }

    /** Returns the count and sets it to zero. */
    public static long reset() {
        return COUNT.sumThenReset();
    }

    static void add(long n) {
        COUNT.add(n);
    }
}

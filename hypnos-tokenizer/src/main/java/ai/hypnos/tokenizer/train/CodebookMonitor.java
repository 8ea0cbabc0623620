package ai.hypnos.tokenizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-level code statistics over the last N training batches, kept on the device (a ring of
 * [N, K, V] counts, one in-place write per step) and read back only when metrics are logged.
 *
 * <ul>
 *   <li><b>use</b>: the fraction of a level's V codes chosen at least once in the window — low
 *       use means dead codes (wasted capacity);
 *   <li><b>perplexity</b>: exp of the entropy of the level's code frequencies, the effective
 *       number of codes in use (V when all are equally frequent).
 * </ul>
 */
public final class CodebookMonitor implements AutoCloseable {
    private final int levels;
    private final int size;
    private final int window;
    private final NDManager manager;
    private final NDArray ring;
    private long recorded;

    public CodebookMonitor(int levels, int size, int window, NDManager parent) {
        this.levels = levels;
        this.size = size;
        this.window = window;
        this.manager = parent.newSubManager();
        this.ring = manager.zeros(new Shape(window, levels, size));
    }

    /** Adds a batch's codes [B, S, K] (int64, any manager). */
    public void record(NDArray indices) {
        NDArray counts = indices.reshape(-1, levels).oneHot(size).toType(DataType.FLOAT32, false).sum(new int[] {0});
        ring.set(new NDIndex("{}", (int) (recorded % window)), counts);
        recorded++;
    }

    /** The window's counts [N, K, V] row-major and how many batches were recorded: what a checkpoint keeps. */
    public record Snapshot(float[] counts, long recorded) {}

    /** The ring and its position (one device-to-host copy). */
    public Snapshot snapshot() {
        return new Snapshot(ring.toFloatArray(), recorded);
    }

    /**
     * Puts back a {@link #snapshot()}, so that a resumed run's use and perplexity cover the same
     * batches as the uninterrupted run's.
     *
     * @throws IllegalArgumentException if the counts are not [N, K, V] of this monitor
     */
    public void restore(Snapshot s) {
        long expected = (long) window * levels * size;
        if (s.counts().length != expected || s.recorded() < 0) {
            throw new IllegalArgumentException("codebook monitor state of " + s.counts().length + " counts and "
                    + s.recorded() + " batches; expected " + expected + " counts (" + window + " × " + levels + " × "
                    + size + ")");
        }
        try (NDManager tmp = manager.newSubManager()) {
            ring.set(new NDIndex(":"), ai.hypnos.nn.HostData.floats(tmp, s.counts(), ring.getShape()));
        }
        recorded = s.recorded();
    }

    /** Per-level statistics of the code choices. */
    public record Stats(double[] use, double[] perplexity) {}

    /** Use and perplexity per level over the recorded window (one device-to-host copy). */
    public Stats stats() {
        float[] counts;
        try (NDManager tmp = manager.newSubManager()) {
            NDArray sum = ring.sum(new int[] {0});
            sum.attach(tmp);
            counts = sum.toFloatArray();
        }
        double[] use = new double[levels];
        double[] perplexity = new double[levels];
        for (int k = 0; k < levels; k++) {
            double total = 0;
            int used = 0;
            for (int v = 0; v < size; v++) {
                double c = counts[k * size + v];
                total += c;
                if (c > 0) {
                    used++;
                }
            }
            double h = 0;
            for (int v = 0; v < size; v++) {
                double c = counts[k * size + v];
                if (c > 0) {
                    double p = c / total;
                    h -= p * Math.log(p);
                }
            }
            use[k] = used / (double) size;
            perplexity[k] = total > 0 ? Math.exp(h) : 0;
        }
        return new Stats(use, perplexity);
    }

    @Override
    public void close() {
        manager.close();
    }
}

package ai.hypnos.train.data;

import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Training batches from token shards: an endless stream of windows of S seconds, epoch after
 * epoch, each epoch a fresh {@link EpochWindows} permutation. A {@link DataPosition} says where
 * the stream stands; {@link #next} returns a batch and the position after it, so the caller (and
 * its checkpoints) owns the state and this class stays a pure function of it.
 *
 * <p>Each sample carries its recording's presence flags and the standard channel ids; absent
 * modalities have zero tokens (as stored in the shard).
 */
public final class WindowDataset {
    private final ShardSet shards;
    private final int window;
    private final long seed;
    private final boolean randomOffset;
    private final int[] lengths;
    private final int[] channelIds;
    private EpochWindows cached;
    private long cachedEpoch = -1;

    /**
     * @param window       S, seconds per sample
     * @param seed         the data-order seed
     * @param randomOffset per-epoch window-grid offsets ({@link EpochWindows})
     */
    public WindowDataset(ShardSet shards, int window, long seed, boolean randomOffset) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards in " + shards.dir());
        }
        this.shards = shards;
        this.window = window;
        this.seed = seed;
        this.randomOffset = randomOffset;
        this.lengths = shards.shards().stream().mapToInt(ShardSet.Shard::seconds).toArray();
        this.channelIds = TokenBatch.defaultChannelIds(new ModalityLayout(shards.layout().modalitySpecs()));
        if (EpochWindows.of(lengths, window, seed, 0, false, false).size() == 0) {
            throw new IllegalArgumentException("no recording in " + shards.dir() + " is at least " + window
                    + " s long (the longest has " + java.util.Arrays.stream(lengths).max().orElse(0) + " s)");
        }
    }

    public ShardSet shards() {
        return shards;
    }

    /** S. */
    public int window() {
        return window;
    }

    /** The windows of an epoch (the last one asked for is cached). */
    public synchronized EpochWindows epoch(long e) {
        if (e != cachedEpoch) {
            cached = EpochWindows.of(lengths, window, seed, e, randomOffset, true);
            cachedEpoch = e;
        }
        return cached;
    }

    /**
     * A batch and where the stream stands after it.
     *
     * @param windows the (shard, start) pair of each sample, for tests and diagnostics
     */
    public record Batch(TokenBatch batch, DataPosition next, int[][] windows) {
    }

    /** The next {@code size} windows from {@code position} (crossing into the next epoch if needed). */
    public Batch next(DataPosition position, int size) {
        int[][] picked = new int[size][];
        long epoch = position.epoch();
        long index = position.index();
        for (int b = 0; b < size; b++) {
            EpochWindows w = epoch(epoch);
            if (index >= w.size()) {
                epoch++;
                index = 0;
                w = epoch(epoch);
            }
            picked[b] = new int[] {w.shard((int) index), w.start((int) index)};
            index++;
        }
        if (index >= epoch(epoch).size()) {
            epoch++;
            index = 0;
        }
        return new Batch(assemble(picked), new DataPosition(epoch, index), picked);
    }

    /**
     * A fixed list of batches for validation: up to {@code maxWindows} windows drawn once (grid at
     * offset 0, shuffled with a seed of its own), the same at every evaluation and in every run
     * with this seed.
     */
    public List<TokenBatch> fixedBatches(int maxWindows, int batchSize) {
        EpochWindows w = EpochWindows.of(lengths, window, seed ^ 0x7A11DA7EL, 0, false, true);
        int n = Math.min(maxWindows, w.size());
        List<TokenBatch> out = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int[][] picked = new int[to - from][];
            for (int i = from; i < to; i++) {
                picked[i - from] = new int[] {w.shard(i), w.start(i)};
            }
            out.add(assemble(picked));
        }
        return out;
    }

    private TokenBatch assemble(int[][] picked) {
        int k = shards.layout().totalK();
        int m = shards.layout().size();
        int b = picked.length;
        int[] tokens = new int[b * window * k];
        boolean[] presence = new boolean[b * m];
        int[] channels = new int[b * m];
        for (int i = 0; i < b; i++) {
            short[] rows = shards.read(picked[i][0], picked[i][1], window);
            int base = i * window * k;
            for (int j = 0; j < rows.length; j++) {
                tokens[base + j] = rows[j];
            }
            boolean[] p = shards.shard(picked[i][0]).presence();
            System.arraycopy(p, 0, presence, i * m, m);
            System.arraycopy(channelIds, 0, channels, i * m, m);
        }
        return TokenBatch.of(b, window, k, tokens, presence, channels);
    }
}

package ai.hypnos.train.data;

import ai.hypnos.tokenizer.Rng;

/**
 * The windows of one epoch in the order they are read: every recording is cut into
 * non-overlapping windows of S seconds, and all windows of all recordings are shuffled
 * together, so a batch mixes recordings.
 *
 * <p>Deterministic in (seed, epoch): the same arguments give the same windows in the same order
 * on any machine. With {@code randomOffset}, each epoch starts each recording's grid at its own
 * offset in {@code [0, min(S − 1, L − S)]} (drawn from seed, epoch and recording), so across
 * epochs the model sees windows at every alignment; within an epoch the windows still tile the
 * recording without overlap, so every window of the epoch is read exactly once.
 */
public final class EpochWindows {
    private final int[] shard;
    private final int[] start;

    private EpochWindows(int[] shard, int[] start) {
        this.shard = shard;
        this.start = start;
    }

    /**
     * @param lengths       seconds of each recording (shorter than {@code window}: no windows)
     * @param window        S, seconds per window
     * @param seed          run seed
     * @param epoch         epoch number (0-based)
     * @param randomOffset  per-epoch offsets of the window grid (else every grid starts at 0)
     * @param shuffle       shuffle the windows (else recording order, then time order)
     */
    public static EpochWindows of(int[] lengths, int window, long seed, long epoch, boolean randomOffset,
            boolean shuffle) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 second, got " + window);
        }
        long total = 0;
        int[] offsets = new int[lengths.length];
        Rng offsetRng = new Rng(mix(seed, epoch, 0x0FF5E7L));
        for (int i = 0; i < lengths.length; i++) {
            // One draw per recording whether used or not, so offsets do not depend on other recordings' lengths.
            long r = offsetRng.nextLong();
            if (lengths[i] < window) {
                continue;
            }
            int maxOffset = Math.min(window - 1, lengths[i] - window);
            offsets[i] = randomOffset && maxOffset > 0 ? (int) Long.remainderUnsigned(r, maxOffset + 1L) : 0;
            total += (lengths[i] - offsets[i]) / window;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " windows per epoch: use longer windows");
        }
        int[] shard = new int[(int) total];
        int[] start = new int[(int) total];
        int n = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < window) {
                continue;
            }
            for (int s = offsets[i]; s + window <= lengths[i]; s += window) {
                shard[n] = i;
                start[n] = s;
                n++;
            }
        }
        if (shuffle) {
            Rng rng = new Rng(mix(seed, epoch, 0x5A0FF1EL));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = shard[i];
                shard[i] = shard[j];
                shard[j] = t;
                t = start[i];
                start[i] = start[j];
                start[j] = t;
            }
        }
        return new EpochWindows(shard, start);
    }

    /** A seed for one (seed, epoch, purpose) triple: SplitMix64 finaliser over their combination. */
    static long mix(long seed, long epoch, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Windows in this epoch. */
    public int size() {
        return shard.length;
    }

    /** Recording of window i. */
    public int shard(int i) {
        return shard[i];
    }

    /** First second of window i. */
    public int start(int i) {
        return start[i];
    }
}

package ai.hypnos.tokenizer.train;

import ai.hypnos.tokenizer.Rng;

/**
 * Draws training windows from a {@link SignalSet}: a signal with probability proportional to the
 * windows it holds, then a uniform start. All randomness comes from one {@link Rng}, so a
 * checkpoint that stores the generator's state resumes the exact data order.
 */
public final class WindowSampler {
    private final SignalSet set;
    private final int window;
    private final long[] cumulative;

    public WindowSampler(SignalSet set, int windowSamples) {
        this.set = set;
        this.window = windowSamples;
        this.cumulative = new long[set.size()];
        long total = 0;
        for (int i = 0; i < set.size(); i++) {
            long starts = Math.max(0, set.length(i) - windowSamples + 1);
            total += starts;
            cumulative[i] = total;
        }
        if (total == 0) {
            throw new IllegalArgumentException("every signal in " + set + " is shorter than one window of " + windowSamples + " samples");
        }
    }

    public int windowSamples() {
        return window;
    }

    /** {@code batch} windows, concatenated: [batch · window]. */
    public float[] sample(int batch, Rng rng) {
        float[] out = new float[batch * window];
        long total = cumulative[cumulative.length - 1];
        for (int b = 0; b < batch; b++) {
            long r = (long) (rng.nextDouble() * total);
            int i = 0;
            while (cumulative[i] <= r) {
                i++;
            }
            long start = r - (i == 0 ? 0 : cumulative[i - 1]);
            System.arraycopy(set.read(i, start, window), 0, out, b * window, window);
        }
        return out;
    }
}

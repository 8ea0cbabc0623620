package ai.hypnos.tokenizer;

/**
 * A small, seedable pseudo-random generator (SplitMix64) whose whole state is one {@code long}.
 *
 * <p>Everything random in the tokenizer (initial weights, k-means seeds, dead-code replacement,
 * quantizer dropout, training windows) draws from one of these instead of libtorch's global
 * generator, so that a run is repeatable on any device and a checkpoint can store the generator
 * exactly ({@link #state()}) for a bit-exact resume.
 */
public final class Rng {
    private long state;

    /** A generator started from {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state; {@code new Rng(0).restore(s)} continues the same sequence. */
    public long state() {
        return state;
    }

    /** Continues from a state returned by {@link #state()}. */
    public void restore(long savedState) {
        this.state = savedState;
    }

    /** An independent generator derived from this one (advances this one by one draw). */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Lemire's multiply-shift; the bias for bounds far below 2^32 is negligible here.
        long r = (nextLong() >>> 32) * bound;
        return (int) (r >>> 32);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Standard normal (Box–Muller; no cached second value, so the state stays one long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** {@code n} distinct indices from [0, population) if n ≤ population, else n draws with replacement. */
    public long[] sampleIndices(int population, int n) {
        long[] out = new long[n];
        if (n <= population) {
            // Partial Fisher–Yates over an identity permutation.
            int[] perm = new int[population];
            for (int i = 0; i < population; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < n; i++) {
                int j = i + nextInt(population - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                out[i] = perm[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = nextInt(population);
            }
        }
        return out;
    }
}

package ai.hypnos.core.synth;

/**
 * The random source of the synthetic generator: SplitMix64, with the distributions the
 * physiology models need.
 *
 * <p>Why not {@link java.util.Random} or {@link java.util.SplittableRandom}: the generator must
 * give the same bytes for a seed on every JVM and CPU, and it draws tens of millions of numbers
 * per night. SplitMix64 is a few integer operations per draw, its output is fixed by the
 * algorithm (no JDK version changes it), and {@link #fork(long)} derives independent streams so
 * that each part of a night (EEG, ECG, events...) has its own stream: changing how many numbers
 * one part draws never shifts another part. Everything that needs a transcendental function uses
 * {@link StrictMath}, whose results are specified bit for bit.
 */
public final class SynthRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double TWO_PI = 2 * Math.PI;
    /** sqrt(3): a uniform on [-sqrt 3, sqrt 3] has unit variance. */
    private static final double SQRT3 = 1.7320508075688772;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SynthRandom(long seed) {
        this.state = mix(seed ^ 0x5DEECE66DL);
    }

    /** An independent stream derived from this one's seed material and a stream id. */
    public SynthRandom fork(long stream) {
        return new SynthRandom(mix(state + stream * GOLDEN) ^ mix(stream + 0x632BE59BD9B4E019L));
    }

    /** An independent stream named by a string (e.g. {@code "ecg"}); stable across runs. */
    public SynthRandom fork(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return fork(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Zero-mean, unit-variance uniform noise: the cheap white-noise source for the per-sample
     * loops. Every such source is shaped by a filter afterwards, which makes it Gaussian-like.
     */
    public double nextWhite() {
        return (2.0 * nextDouble() - 1.0) * SQRT3;
    }

    /** Uniform integer in [0, n). */
    public int nextInt(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + n);
        }
        return (int) ((nextLong() >>> 33) % n);
    }

    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Box-Muller with {@link StrictMath}, so identical on every platform). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = nextDouble();
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
        double a = TWO_PI * u2;
        spareGaussian = r * StrictMath.sin(a);
        hasSpare = true;
        return r * StrictMath.cos(a);
    }

    public double gaussian(double mean, double sd) {
        return mean + sd * nextGaussian();
    }

    /** Log-normal with the given median and log-space standard deviation. */
    public double logNormal(double median, double logSd) {
        return median * StrictMath.exp(logSd * nextGaussian());
    }

    /** Exponential with the given mean. */
    public double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - nextDouble());
    }

    /** Gaussian truncated to [lo, hi] by clamping (used for bounded traits). */
    public double clampedGaussian(double mean, double sd, double lo, double hi) {
        return Math.max(lo, Math.min(hi, gaussian(mean, sd)));
    }

    /** Gamma(shape, scale) by Marsaglia and Tsang (shape &gt; 0). */
    public double gamma(double shape, double scale) {
        if (shape < 1) {
            double u = nextDouble();
            return gamma(1.0 + shape, scale) * StrictMath.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / StrictMath.sqrt(9.0 * d);
        while (true) {
            double x = nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x
                    || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v * scale;
            }
        }
    }

    /** Index drawn from non-negative weights (at least one positive). */
    public int categorical(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must have a positive sum");
        }
        double u = nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}

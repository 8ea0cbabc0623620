package ai.hypnos.core.preprocess;

import java.util.Arrays;
import java.util.Objects;

/**
 * Causal rolling z-score with exponential moving averages, as the reference's
 * {@code rolling_normalize} (DESIGN §4, step 4).
 *
 * <p>With {@code α = exp(−1/max(τ·fs, 1))} and {@code W = min(max(int(τ·fs), 1), n)}:
 * <ol>
 *   <li>Initial mean μ₀ and variance v₀ (floored at {@code eps}) from the first W samples,
 *       ignoring NaNs. NaN samples are replaced by μ₀ for the statistics.</li>
 *   <li>Pass 1: {@code μ_t = α·μ_{t−1} + (1−α)·x_t} from μ₀; {@code d_t = (x_t − μ_t)²};
 *       {@code v_t = α·v_{t−1} + (1−α)·d_t} from v₀, floored at eps.</li>
 *   <li>Pass 2: the same variance recursion from v₀ on {@code min(d_t, clip²·v_t)} (so a
 *       spike beyond clip·σ does not inflate the running variance), floored at eps.</li>
 *   <li>Output {@code (x_t − μ_t)/sqrt(v'_t)} rounded to float32 (NaN where x_t is NaN).</li>
 * </ol>
 * Every recursion uses scipy {@code lfilter}'s arithmetic ({@code y = z + b·x; z = α·y}), so
 * outputs agree with the reference to float32 rounding. The two passes are fused into one loop
 * here (they are both causal recursions over the same samples).
 *
 * <p><b>Streaming.</b> The initial statistics look one window (60 s) ahead, so a causal stream
 * cannot reproduce the first minute without waiting for it. {@link Startup#EXACT} (the default)
 * holds the first W samples back and then emits exactly the batch output: a one-minute start-up
 * latency. {@link Startup#IMMEDIATE} emits at once, normalising each of the first W samples
 * with the mean and variance of the samples seen so far (Welford, NaN-aware, floored at eps);
 * when the window is complete it computes the reference's initial statistics, replays the
 * recursions over the buffered window, and from sample W on its output equals the batch output
 * exactly. Only the first minute differs.
 */
public final class EmaNormalizer {
    /** Time constant of the reference, seconds. */
    public static final double DEFAULT_TAU_SECONDS = 60.0;
    /** Clip of the squared deviation in the second pass, in running standard deviations. */
    public static final double DEFAULT_CLIP_SIGMA = 6.0;
    /** Floor on every variance. */
    public static final double DEFAULT_EPS = 1e-6;

    /** How a stream handles the first window, whose batch statistics look ahead. */
    public enum Startup {
        /** Buffer the first window, then emit exactly the batch output (latency τ). */
        EXACT,
        /** Emit at once with running statistics during the first window; exact afterwards. */
        IMMEDIATE
    }

    private final double sampleRate;
    private final double tauSeconds;
    private final double clipSigma;
    private final double eps;
    private final double alpha;
    private final double b0;
    private final double unitZi;
    private final int window;

    /** The reference normaliser: τ = 60 s, clip 6σ, eps 1e-6. */
    public EmaNormalizer(double sampleRate) {
        this(sampleRate, DEFAULT_TAU_SECONDS, DEFAULT_CLIP_SIGMA, DEFAULT_EPS);
    }

    /**
     * @param sampleRate samples per second of the signal to normalise
     * @param tauSeconds EMA time constant
     * @param clipSigma  clip of the second pass in running σ; {@code Double.POSITIVE_INFINITY} skips it
     * @param eps        variance floor
     */
    public EmaNormalizer(double sampleRate, double tauSeconds, double clipSigma, double eps) {
        if (!(sampleRate > 0) || !Double.isFinite(sampleRate)) {
            throw new IllegalArgumentException("sample rate must be positive and finite, got " + sampleRate);
        }
        if (!(tauSeconds > 0) || !Double.isFinite(tauSeconds)) {
            throw new IllegalArgumentException("time constant must be positive and finite, got " + tauSeconds);
        }
        if (!(clipSigma > 0)) {
            throw new IllegalArgumentException("clip must be positive, got " + clipSigma);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("variance floor must be positive, got " + eps);
        }
        this.sampleRate = sampleRate;
        this.tauSeconds = tauSeconds;
        this.clipSigma = clipSigma;
        this.eps = eps;
        this.alpha = Math.exp(-1.0 / Math.max(tauSeconds * sampleRate, 1.0));
        this.b0 = 1.0 - alpha;
        // scipy's lfilter_zi for b = [1-α], a = [1, -α]: solve (1-α)·z = α·(1-α).
        this.unitZi = (alpha * b0) / b0;
        this.window = Math.max((int) (tauSeconds * sampleRate), 1);
    }

    /** The smoothing factor {@code α = exp(−1/(τ·fs))}. */
    public double alpha() {
        return alpha;
    }

    /** Number of samples the initial statistics use (before clamping to the signal length). */
    public int window() {
        return window;
    }

    public double sampleRate() {
        return sampleRate;
    }

    public double tauSeconds() {
        return tauSeconds;
    }

    /** Normalises a whole signal; returns float32 values (an empty array for an empty signal). */
    public float[] apply(double[] x) {
        float[] out = new float[x.length];
        if (x.length == 0) {
            return out;
        }
        State state = initialState(x, 0, Math.min(window, x.length));
        state.run(x, 0, x.length, out, 0);
        return out;
    }

    /** A streaming form; see the class comment for the two start-up modes. */
    public StreamOperator stream(Startup startup) {
        return new Stream(startup);
    }

    /** Initial mean and variance from {@code x[from..from+count)}, NaN-aware. */
    private State initialState(double[] x, int from, int count) {
        double sum = 0;
        int finite = 0;
        for (int i = from; i < from + count; i++) {
            double v = x[i];
            if (!Double.isNaN(v)) {
                sum += v;
                finite++;
            }
        }
        double mean;
        double var;
        if (finite == 0) {
            // The reference would produce NaN everywhere; we define mean 0 and unit variance.
            mean = 0;
            var = 1;
        } else {
            mean = sum / finite;
            double ss = 0;
            for (int i = from; i < from + count; i++) {
                double v = x[i];
                if (!Double.isNaN(v)) {
                    double d = v - mean;
                    ss += d * d;
                }
            }
            var = Math.max(ss / finite, eps);
        }
        return new State(mean, var);
    }

    /** The three recursions' state, started from the initial statistics. */
    private final class State {
        private final double initMean;
        private double zMean;
        private double zVar0;
        private double zVar;

        State(double initMean, double initVar) {
            this.initMean = initMean;
            this.zMean = unitZi * initMean;
            this.zVar0 = unitZi * initVar;
            this.zVar = zVar0;
        }

        /** Advances over {@code x[from..to)}; writes outputs to {@code out} unless it is null. */
        void run(double[] x, int from, int to, float[] out, int outOffset) {
            double a = alpha;
            double b = b0;
            double floor = eps;
            double clip2 = clipSigma * clipSigma;
            double zm = zMean;
            double zv0 = zVar0;
            double zv = zVar;
            for (int i = from; i < to; i++) {
                double raw = x[i];
                double xs = Double.isNaN(raw) ? initMean : raw;
                double mu = zm + b * xs;
                zm = a * mu;
                double dev = xs - mu;
                double sq = dev * dev;
                double v0 = zv0 + b * sq;
                zv0 = a * v0;
                double v0Floored = Math.max(v0, floor);
                double clipped = Math.min(sq, clip2 * v0Floored);
                double v = zv + b * clipped;
                zv = a * v;
                if (out != null) {
                    double std = Math.sqrt(Math.max(v, floor));
                    out[outOffset + i - from] = (float) ((raw - mu) / std);
                }
            }
            zMean = zm;
            zVar0 = zv0;
            zVar = zv;
        }
    }

    private final class Stream implements StreamOperator {
        private final Startup startup;
        private double[] pending = new double[64];
        private int pendingLength;
        private State state;
        private boolean finished;
        // Running statistics for IMMEDIATE start-up (Welford).
        private long count;
        private double runMean;
        private double runM2;

        Stream(Startup startup) {
            this.startup = startup;
        }

        @Override
        public double[] push(double[] block, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("stream already finished");
            }
            Objects.checkFromIndexSize(offset, length, block.length);
            if (state != null) {
                return runToDoubles(block, offset, length);
            }
            int take = Math.min(length, window - pendingLength);
            double[] early = startup == Startup.IMMEDIATE ? warmUp(block, offset, take) : null;
            append(block, offset, take);
            if (pendingLength < window) {
                return early == null ? new double[0] : early;
            }
            // The window is complete: start the recursions as the batch form does.
            state = initialState(pending, 0, pendingLength);
            double[] rest = Arrays.copyOfRange(block, offset + take, offset + length);
            if (startup == Startup.IMMEDIATE) {
                state.run(pending, 0, pendingLength, null, 0);
                pending = null;
                double[] tail = runToDoubles(rest, 0, rest.length);
                return concat(early, tail);
            }
            double[] head = runToDoubles(pending, 0, pendingLength);
            pending = null;
            return concat(head, runToDoubles(rest, 0, rest.length));
        }

        @Override
        public double[] finish() {
            if (finished) {
                return new double[0];
            }
            finished = true;
            if (state != null || pendingLength == 0 || startup == Startup.IMMEDIATE) {
                return new double[0];
            }
            // Shorter than one window: the batch form uses all samples for the statistics.
            state = initialState(pending, 0, pendingLength);
            double[] out = runToDoubles(pending, 0, pendingLength);
            pending = null;
            return out;
        }

        private double[] warmUp(double[] block, int offset, int length) {
            double[] out = new double[length];
            for (int k = 0; k < length; k++) {
                double v = block[offset + k];
                if (!Double.isNaN(v)) {
                    count++;
                    double d = v - runMean;
                    runMean += d / count;
                    runM2 += d * (v - runMean);
                }
                if (count == 0 || Double.isNaN(v)) {
                    out[k] = Double.NaN;
                } else {
                    double var = Math.max(runM2 / count, eps);
                    out[k] = (float) ((v - runMean) / Math.sqrt(var));
                }
            }
            return out;
        }

        private double[] runToDoubles(double[] x, int from, int length) {
            float[] f = new float[length];
            state.run(x, from, from + length, f, 0);
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                out[i] = f[i];
            }
            return out;
        }

        private void append(double[] block, int offset, int length) {
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
            }
            System.arraycopy(block, offset, pending, pendingLength, length);
            pendingLength += length;
        }

        private double[] concat(double[] a, double[] b) {
            if (a == null || a.length == 0) {
                return b;
            }
            double[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}

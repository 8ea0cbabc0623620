package ai.hypnos.core.preprocess;

import java.util.Arrays;
import java.util.Objects;

/**
 * Polyphase FIR resampling equal to {@code scipy.signal.resample_poly(x, up, down)} with its
 * defaults: a Kaiser-windowed (β = 5) low-pass of {@code 2·half_len + 1} taps,
 * {@code half_len = 10·max(up, down)}, cut-off {@code 1/max(up, down)} of Nyquist, gain
 * {@code up}; the signal is taken as zero outside its ends; the output has
 * {@code ceil(n·up/down)} samples and output {@code i} is centred on input time
 * {@code i·down/up}.
 *
 * <p>Output sample {@code i} is a dot product of the taps of one polyphase branch with the
 * inputs around {@code i·down/up} (no zero-stuffing, no wasted multiplications); for long
 * signals the outputs sharing a branch are computed together, tap by tap, in a loop over
 * outputs that the JIT vectorises. Because the
 * filter is centred, output {@code i} needs inputs up to {@code (i·down + half_len)/up}: the
 * {@link #stream() streaming form} holds outputs back until those have arrived (a latency of
 * {@code half_len/up} input samples, e.g. 20 samples = 78 ms for 256 → 128 Hz) and emits the
 * tail on {@link StreamOperator#finish()}.
 */
public final class Resampler {
    /** Kaiser β of scipy's default window for {@code resample_poly}. */
    public static final double KAISER_BETA = 5.0;
    /** Outputs computed per pass (bounds the temporary copy of the inputs they need). */
    private static final int CHUNK = 1 << 15;
    /** Outputs of one branch accumulated together (fits in the L1 cache). */
    private static final int BLOCK = 256;

    private final int up;
    private final int down;
    private final int halfLen;
    private final double[] taps;
    /** Per phase p (0..up-1): the branch taps h[p + up·j], reversed so that they run forward in time. */
    private final double[][] branches;
    /** From output i to i+1 the phase goes p → nextPhase[p] and the last input index grows by advance[p]. */
    private final int[] nextPhase;
    private final int[] advance;

    /**
     * Resampler by the rational factor {@code up/down} (reduced by their gcd first).
     *
     * @throws IllegalArgumentException if a factor is not positive or larger than {@link RateRatio#MAX_FACTOR}
     */
    public Resampler(int up, int down) {
        if (up < 1 || down < 1) {
            throw new IllegalArgumentException("up and down must be at least 1, got " + up + "/" + down);
        }
        if (up > RateRatio.MAX_FACTOR || down > RateRatio.MAX_FACTOR) {
            throw new IllegalArgumentException("resampling factors " + up + "/" + down + " exceed " + RateRatio.MAX_FACTOR);
        }
        int g = gcd(up, down);
        this.up = up / g;
        this.down = down / g;
        int maxRate = Math.max(this.up, this.down);
        this.halfLen = 10 * maxRate;
        if (this.up == this.down) {
            this.taps = new double[] {1.0};
            this.branches = new double[][] {{1.0}};
            this.nextPhase = new int[] {0};
            this.advance = new int[] {1};
            return;
        }
        double[] h = KaiserFir.lowpass(2 * halfLen + 1, 1.0 / maxRate, KAISER_BETA);
        for (int i = 0; i < h.length; i++) {
            h[i] *= this.up;
        }
        this.taps = h;
        this.branches = new double[this.up][];
        for (int p = 0; p < this.up; p++) {
            int count = (h.length - p + this.up - 1) / this.up;
            double[] branch = new double[count];
            for (int j = 0; j < count; j++) {
                branch[count - 1 - j] = h[p + this.up * j];
            }
            branches[p] = branch;
        }
        this.nextPhase = new int[this.up];
        this.advance = new int[this.up];
        for (int p = 0; p < this.up; p++) {
            nextPhase[p] = (p + this.down) % this.up;
            advance[p] = (p + this.down) / this.up;
        }
    }

    /** Resampler for a {@link RateRatio}. */
    public Resampler(RateRatio ratio) {
        this(ratio.up(), ratio.down());
    }

    public int up() {
        return up;
    }

    public int down() {
        return down;
    }

    /** The FIR taps (gain {@code up} included); a copy. */
    public double[] taps() {
        return taps.clone();
    }

    /** {@code ceil(n·up/down)}. */
    public long outputLength(long n) {
        long total = Math.multiplyExact(n, (long) up);
        return total / down + (total % down == 0 ? 0 : 1);
    }

    /** Resamples a whole signal; with {@code up == down} returns a copy. */
    public double[] apply(double[] x) {
        if (up == down) {
            return x.clone();
        }
        long nOut = outputLength(x.length);
        if (nOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal of " + nOut + " samples does not fit in one array");
        }
        double[] y = new double[(int) nOut];
        compute(x, 0, 0, x.length, y, 0, 0, (int) nOut);
        return y;
    }

    /** A streaming form of {@link #apply}. */
    public StreamOperator stream() {
        return new Stream();
    }

    /**
     * Computes outputs {@code first .. first+count-1} into {@code y[yOffset..]}. Input sample with
     * global index {@code m} is {@code x[m - base]} when {@code lo ≤ m < hi}, else zero.
     *
     * <p>Every output is the sum {@code ((0 + h₀x₀) + h₁x₁) + …} over its branch taps in order,
     * whichever path computes it, so batch and streaming (which call this with different
     * chunks) give identical bits.
     */
    private void compute(double[] x, long base, long lo, long hi, double[] y, int yOffset, long first, int count) {
        for (int done = 0; done < count; done += CHUNK) {
            int n = Math.min(CHUNK, count - done);
            if (n < 4 * up) {
                computeDirect(x, base, lo, hi, y, yOffset + done, first + done, n);
            } else {
                computeByPhase(x, base, lo, hi, y, yOffset + done, first + done, n);
            }
        }
    }

    /** Outputs one at a time: a dot product of one branch with the inputs around it. */
    private void computeDirect(double[] x, long base, long lo, long hi, double[] y, int yOffset, long first, int count) {
        long t = first * down + halfLen;
        long mMax = Math.floorDiv(t, up);
        int phase = (int) (t - mMax * up);
        for (int k = 0; k < count; k++) {
            double[] branch = branches[phase];
            long mStart = mMax - branch.length + 1;
            double sum = 0.0;
            if (mStart >= lo && mMax < hi) {
                int off = (int) (mStart - base);
                for (int q = 0; q < branch.length; q++) {
                    sum += branch[q] * x[off + q];
                }
            } else {
                for (int q = 0; q < branch.length; q++) {
                    long m = mStart + q;
                    sum += branch[q] * (m >= lo && m < hi ? x[(int) (m - base)] : 0.0);
                }
            }
            y[yOffset + k] = sum;
            mMax += advance[phase];
            phase = nextPhase[phase];
        }
    }

    /**
     * The same sums, organised so that the inner loop runs over outputs with unit stride (which
     * the JIT compiles to SIMD): outputs {@code c, c+up, c+2·up, …} share one branch and read
     * inputs {@code down} apart, so with the inputs split into {@code down} interleaved
     * sequences, each tap is one {@code acc[m] += h_q · xs[base + m]} over a block of outputs.
     */
    private void computeByPhase(double[] x, long base, long lo, long hi, double[] y, int yOffset, long first, int count) {
        int classes = Math.min(up, count);
        long[] startOf = new long[classes];
        int[] phaseOf = new int[classes];
        long rangeStart = Long.MAX_VALUE;
        long rangeEnd = Long.MIN_VALUE;
        for (int c = 0; c < classes; c++) {
            long t = (first + c) * down + halfLen;
            long mMax = Math.floorDiv(t, up);
            int phase = (int) (t - mMax * up);
            int members = (count - c + up - 1) / up;
            phaseOf[c] = phase;
            startOf[c] = mMax - branches[phase].length + 1;
            rangeStart = Math.min(rangeStart, startOf[c]);
            rangeEnd = Math.max(rangeEnd, mMax + (long) (members - 1) * down);
        }
        // Deinterleave the needed inputs (zero outside [lo, hi)): split[r][j] = input rangeStart + j·down + r.
        int span = (int) (rangeEnd - rangeStart + 1);
        int perSequence = (span + down - 1) / down;
        double[][] split = new double[down][perSequence];
        long from = Math.max(lo, rangeStart);
        long to = Math.min(hi, rangeEnd + 1);
        for (int r = 0; r < down; r++) {
            // Sequence r holds inputs rangeStart + r + j·down; copy those within [from, to).
            long firstJ = Math.max(0, Math.floorDiv(from - rangeStart - r + down - 1, down));
            long endJ = Math.min(perSequence, Math.floorDiv(to - rangeStart - r + down - 1, down));
            double[] seq = split[r];
            int src = (int) (rangeStart + r + firstJ * down - base);
            for (int j = (int) firstJ; j < endJ; j++, src += down) {
                seq[j] = x[src];
            }
        }
        double[] acc = new double[BLOCK];
        double[] window = new double[BLOCK];
        int blocks = ((count + up - 1) / up + BLOCK - 1) / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            int m0 = blk * BLOCK;
            for (int c = 0; c < classes; c++) {
                int members = (count - c + up - 1) / up;
                int len = Math.min(BLOCK, members - m0);
                if (len <= 0) {
                    continue;
                }
                double[] branch = branches[phaseOf[c]];
                Arrays.fill(acc, 0, len, 0.0);
                int j0 = (int) (startOf[c] - rangeStart) + m0 * down;
                for (int q = 0; q < branch.length; q++) {
                    int j = j0 + q;
                    // Copy first: C2 only vectorises acc[m] += h·xs[m] when both use the same index.
                    System.arraycopy(split[j % down], j / down, window, 0, len);
                    axpy(acc, len, branch[q], window);
                }
                for (int m = 0; m < len; m++) {
                    y[yOffset + c + (m0 + m) * up] = acc[m];
                }
            }
        }
    }

    /** {@code acc[m] += h · xs[m]} for m in [0, len): the vectorised inner loop. */
    private static void axpy(double[] acc, int len, double h, double[] xs) {
        for (int m = 0; m < len; m++) {
            acc[m] += h * xs[m];
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Keeps the inputs that future outputs still need in a growing buffer; emits output
     * {@code i} as soon as input {@code floor((i·down + half_len)/up)} has arrived.
     */
    private final class Stream implements StreamOperator {
        private double[] buffer = new double[256];
        /** Global index of buffer[0]. */
        private long bufferStart;
        private int bufferLength;
        /** Inputs received so far. */
        private long received;
        /** Next output index. */
        private long next;
        private boolean finished;

        @Override
        public double[] push(double[] block, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("stream already finished");
            }
            Objects.checkFromIndexSize(offset, length, block.length);
            if (up == down) {
                received += length;
                return Arrays.copyOfRange(block, offset, offset + length);
            }
            append(block, offset, length);
            received += length;
            // Output i is ready when floor((i·down + halfLen)/up) <= received - 1,
            // i.e. when i·down + halfLen <= received·up - 1.
            long lastReady = Math.floorDiv(received * up - 1 - halfLen, down);
            long ready = Math.max(0, lastReady - next + 1);
            return emit((int) ready, received);
        }

        @Override
        public double[] finish() {
            if (finished) {
                return new double[0];
            }
            finished = true;
            if (up == down) {
                return new double[0];
            }
            long total = outputLength(received);
            return emit((int) (total - next), received);
        }

        private double[] emit(int count, long hi) {
            double[] out = new double[Math.max(count, 0)];
            if (count > 0) {
                compute(buffer, bufferStart, Math.max(0, bufferStart), hi, out, 0, next, count);
                next += count;
                discardUnneeded();
            }
            return out;
        }

        private void append(double[] block, int offset, int length) {
            if (bufferLength + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bufferLength + length));
            }
            System.arraycopy(block, offset, buffer, bufferLength, length);
            bufferLength += length;
        }

        /** Drops inputs older than the first one output {@code next} needs. */
        private void discardUnneeded() {
            long t = next * down + halfLen;
            long mMax = Math.floorDiv(t, up);
            long firstNeeded = mMax - (branches[0].length - 1);
            long drop = Math.min(firstNeeded - bufferStart, bufferLength);
            if (drop > 0) {
                int d = (int) drop;
                System.arraycopy(buffer, d, buffer, 0, bufferLength - d);
                bufferLength -= d;
                bufferStart += d;
            }
        }
    }
}

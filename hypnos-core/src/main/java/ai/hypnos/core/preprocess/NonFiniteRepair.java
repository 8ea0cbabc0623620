package ai.hypnos.core.preprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.List;

/**
 * Fills runs of NaN or infinite samples before filtering, and records where they were.
 *
 * <p>Why: one NaN entering an IIR filter makes every later output NaN, so in the reference
 * pipeline a single missing sample (a WFDB "invalid" value, a gap in a derived channel) wipes
 * out the rest of the night. Here each run is replaced by the straight line between the finite
 * samples on either side; a run at the start takes the first finite value, a run at the end the
 * last one. Clean signals (all finite, which is what the reference fixture and EDF files hold)
 * pass through untouched, so parity with the reference is unaffected. The {@link SampleGap}s
 * say where data were invented, so callers can mask those seconds downstream.
 *
 * <p>A signal with no finite sample at all cannot be repaired: {@link #repair} throws, and the
 * streaming form produces nothing.
 */
public final class NonFiniteRepair {
    private NonFiniteRepair() {
    }

    /**
     * The repaired copy and the gaps that were filled.
     *
     * @param samples the signal with every non-finite run filled (the input itself, not a copy, when nothing was missing)
     * @param gaps    the filled runs, in order
     */
    public record Result(double[] samples, List<SampleGap> gaps) {
        public Result {
            gaps = List.copyOf(gaps);
        }
    }

    /**
     * Fills every non-finite run of {@code x}.
     *
     * @throws IllegalArgumentException if {@code x} is non-empty and holds no finite sample
     */
    public static Result repair(double[] x) {
        int firstBad = -1;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                firstBad = i;
                break;
            }
        }
        if (firstBad < 0) {
            return new Result(x, List.of());
        }
        double[] y = x.clone();
        List<SampleGap> gaps = new ArrayList<>();
        int lastFinite = -1;
        int i = 0;
        while (i < y.length) {
            if (Double.isFinite(y[i])) {
                lastFinite = i;
                i++;
                continue;
            }
            int start = i;
            while (i < y.length && !Double.isFinite(y[i])) {
                i++;
            }
            gaps.add(new SampleGap(start, i - start));
            if (lastFinite < 0 && i == y.length) {
                throw new IllegalArgumentException("signal of " + y.length + " samples has no finite sample");
            }
            fill(y, start, i, lastFinite < 0 ? Double.NaN : y[lastFinite], lastFinite, i < y.length ? y[i] : Double.NaN);
        }
        return new Result(y, gaps);
    }

    /**
     * Fills {@code y[from..to)} between the finite value {@code before} at index {@code beforeIndex}
     * and {@code after} at index {@code to}; a NaN side means "none" (hold the other side).
     */
    static void fill(double[] y, int from, int to, double before, long beforeIndex, double after) {
        fillRun(y, from, to - from, from, before, beforeIndex, after, to);
    }

    /**
     * Writes the values for global indices {@code globalStart .. globalStart+count-1} into
     * {@code out[outOffset..]}: linear between ({@code beforeIndex}, {@code before}) and
     * ({@code afterIndex}, {@code after}), or the one finite side held constant.
     */
    static void fillRun(double[] out, int outOffset, int count, long globalStart,
                        double before, long beforeIndex, double after, long afterIndex) {
        boolean hasBefore = !Double.isNaN(before);
        boolean hasAfter = !Double.isNaN(after);
        for (int k = 0; k < count; k++) {
            long j = globalStart + k;
            double v;
            if (hasBefore && hasAfter) {
                v = before + (after - before) * ((double) (j - beforeIndex) / (double) (afterIndex - beforeIndex));
            } else {
                v = hasBefore ? before : after;
            }
            out[outOffset + k] = v;
        }
    }

    /** A streaming form: a run is emitted (filled) once the next finite sample, or the end, arrives. */
    public static Stream stream() {
        return new Stream();
    }

    /** Streaming repair; {@link #gaps()} lists the runs filled so far. */
    public static final class Stream implements StreamOperator {
        private final List<SampleGap> gaps = new ArrayList<>();
        private long index;
        private long runStart = -1;
        private double lastFinite = Double.NaN;
        private long lastFiniteIndex = -1;
        private boolean finished;

        @Override
        public double[] push(double[] block, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("stream already finished");
            }
            Objects.checkFromIndexSize(offset, length, block.length);
            double[] out = null;
            int written = 0;
            for (int k = 0; k < length; k++) {
                double v = block[offset + k];
                long j = index++;
                if (!Double.isFinite(v)) {
                    if (runStart < 0) {
                        runStart = j;
                    }
                    continue;
                }
                if (out == null) {
                    out = new double[(int) Math.min(Integer.MAX_VALUE - 8, length + pending())];
                }
                if (runStart >= 0) {
                    int count = (int) (j - runStart);
                    out = ensure(out, written + count + (length - k));
                    gaps.add(new SampleGap(runStart, count));
                    fillRun(out, written, count, runStart, lastFinite, lastFiniteIndex, v, j);
                    written += count;
                    runStart = -1;
                }
                out = ensure(out, written + 1);
                out[written++] = v;
                lastFinite = v;
                lastFiniteIndex = j;
            }
            return out == null ? new double[0] : Arrays.copyOf(out, written);
        }

        @Override
        public double[] finish() {
            if (finished) {
                return new double[0];
            }
            finished = true;
            if (runStart < 0) {
                return new double[0];
            }
            int count = (int) (index - runStart);
            gaps.add(new SampleGap(runStart, count));
            if (Double.isNaN(lastFinite)) {
                // Nothing finite ever arrived: nothing to hold, nothing to emit.
                runStart = -1;
                return new double[0];
            }
            double[] out = new double[count];
            fillRun(out, 0, count, runStart, lastFinite, lastFiniteIndex, Double.NaN, index);
            runStart = -1;
            return out;
        }

        /** Runs filled so far (a run still open at the time of the call is not listed). */
        public List<SampleGap> gaps() {
            return List.copyOf(gaps);
        }

        /** True once at least one finite sample has been seen. */
        public boolean sawFiniteSample() {
            return !Double.isNaN(lastFinite);
        }

        private long pending() {
            return runStart < 0 ? 0 : index - runStart;
        }

        private static double[] ensure(double[] a, int size) {
            return a.length >= size ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
        }
    }
}

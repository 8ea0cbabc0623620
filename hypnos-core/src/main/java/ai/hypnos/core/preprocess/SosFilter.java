package ai.hypnos.core.preprocess;

import java.util.Arrays;
import java.util.Objects;

/**
 * Applies a second-order-section IIR filter ({@link Sos}) the way scipy does.
 *
 * <ul>
 *   <li>{@link #apply} = {@code sosfilt(sos, x, zi=sosfilt_zi(sos) * x[0])}: forward only
 *       (causal), the state started at steady state for the first sample so that a signal
 *       with a DC offset does not ring at the start. This is what the Hypnos pipeline uses.</li>
 *   <li>{@link #applyZeroPhase} = {@code sosfiltfilt(sos, x)} with scipy's default padding
 *       (odd extension by {@code 3·taps} samples): forward, then backward; zero phase, not
 *       causal.</li>
 *   <li>{@link #stream()}: the causal form, one block at a time, equal to {@link #apply}.</li>
 * </ul>
 *
 * <p>Each section runs in transposed direct form II in float64, with the update order of
 * scipy's {@code sosfilt}, so results agree with scipy to rounding. A NaN entering an IIR filter
 * makes every later output NaN (the state never recovers); the pipelines therefore repair NaN
 * runs before filtering ({@link NonFiniteRepair}).
 */
public final class SosFilter {
    private final Sos sos;
    private final double[] coefficients;
    private final double[] unitZi;
    private final int sections;

    public SosFilter(Sos sos) {
        this.sos = sos;
        this.sections = sos.sectionCount();
        this.coefficients = new double[sections * 6];
        for (int s = 0; s < sections; s++) {
            for (int c = 0; c < 6; c++) {
                coefficients[s * 6 + c] = sos.coefficient(s, c);
            }
        }
        double[][] zi = sos.steadyStateZi();
        this.unitZi = new double[sections * 2];
        for (int s = 0; s < sections; s++) {
            unitZi[2 * s] = zi[s][0];
            unitZi[2 * s + 1] = zi[s][1];
        }
    }

    /** The filter's sections. */
    public Sos sos() {
        return sos;
    }

    /** Causal filtering with a steady-state start for {@code x[0]}; returns a new array. */
    public double[] apply(double[] x) {
        double[] y = x.clone();
        if (y.length > 0) {
            double[] state = steadyState(y[0]);
            run(y, 0, y.length, state);
        }
        return y;
    }

    /** Causal filtering in place, with a steady-state start for {@code x[0]}. */
    public void applyInPlace(double[] x) {
        if (x.length > 0) {
            run(x, 0, x.length, steadyState(x[0]));
        }
    }

    /**
     * Zero-phase filtering, equal to {@code scipy.signal.sosfiltfilt(sos, x)} (odd padding of
     * {@code 3·taps} samples at each end).
     *
     * @throws IllegalArgumentException if the signal is not longer than the padding, as scipy
     */
    public double[] applyZeroPhase(double[] x) {
        int edge = 3 * sos.filtfiltTaps();
        int n = x.length;
        if (n <= edge) {
            throw new IllegalArgumentException("zero-phase filtering needs more than " + edge
                    + " samples (scipy's default padding), got " + n);
        }
        double[] ext = new double[n + 2 * edge];
        double left = x[0];
        double right = x[n - 1];
        for (int i = 0; i < edge; i++) {
            ext[i] = 2 * left - x[edge - i];
            ext[edge + n + i] = 2 * right - x[n - 2 - i];
        }
        System.arraycopy(x, 0, ext, edge, n);
        run(ext, 0, ext.length, steadyState(ext[0]));
        reverse(ext);
        run(ext, 0, ext.length, steadyState(ext[0]));
        reverse(ext);
        return Arrays.copyOfRange(ext, edge, edge + n);
    }

    /** A streaming form of {@link #apply}: the state starts at steady state for the first sample pushed. */
    public StreamOperator stream() {
        return new Stream();
    }

    private double[] steadyState(double x0) {
        double[] state = new double[unitZi.length];
        for (int i = 0; i < state.length; i++) {
            state[i] = unitZi[i] * x0;
        }
        return state;
    }

    /**
     * The hot loop: sample by sample, section by section, as scipy's {@code sosfilt}
     * (transposed direct form II). Keeping the sections inner lets the CPU overlap the
     * independent recurrences of consecutive sections.
     */
    private void run(double[] x, int from, int to, double[] state) {
        double[] c = coefficients;
        if (sections == 1) {
            runOne(x, from, to, state);
            return;
        }
        for (int n = from; n < to; n++) {
            double v = x[n];
            for (int s = 0, k = 0, z = 0; s < sections; s++, k += 6, z += 2) {
                double out = c[k] * v + state[z];
                state[z] = c[k + 1] * v - c[k + 4] * out + state[z + 1];
                state[z + 1] = c[k + 2] * v - c[k + 5] * out;
                v = out;
            }
            x[n] = v;
        }
    }

    private void runOne(double[] x, int from, int to, double[] state) {
        double b0 = coefficients[0];
        double b1 = coefficients[1];
        double b2 = coefficients[2];
        double a1 = coefficients[4];
        double a2 = coefficients[5];
        double z0 = state[0];
        double z1 = state[1];
        for (int n = from; n < to; n++) {
            double v = x[n];
            double out = b0 * v + z0;
            z0 = b1 * v - a1 * out + z1;
            z1 = b2 * v - a2 * out;
            x[n] = out;
        }
        state[0] = z0;
        state[1] = z1;
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private final class Stream implements StreamOperator {
        private double[] state;
        private boolean finished;

        @Override
        public double[] push(double[] block, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("stream already finished");
            }
            Objects.checkFromIndexSize(offset, length, block.length);
            double[] out = Arrays.copyOfRange(block, offset, offset + length);
            if (length == 0) {
                return out;
            }
            if (state == null) {
                state = steadyState(out[0]);
            }
            run(out, 0, length, state);
            return out;
        }

        @Override
        public double[] finish() {
            finished = true;
            return new double[0];
        }
    }
}

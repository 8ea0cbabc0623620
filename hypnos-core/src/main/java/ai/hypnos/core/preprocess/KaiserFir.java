package ai.hypnos.core.preprocess;

/**
 * Windowed-sinc low-pass FIR design with a Kaiser window, equal to
 * {@code scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta))} (cut-off relative to
 * Nyquist, DC gain scaled to exactly 1).
 */
public final class KaiserFir {
    private KaiserFir() {
    }

    /**
     * @param numtaps number of taps (odd, at least 1)
     * @param cutoff  cut-off as a fraction of Nyquist, in (0, 1]
     * @param beta    Kaiser window shape parameter (scipy's {@code resample_poly} uses 5.0)
     */
    public static double[] lowpass(int numtaps, double cutoff, double beta) {
        if (numtaps < 1 || numtaps % 2 == 0) {
            throw new IllegalArgumentException("a low-pass FIR needs an odd number of taps, got " + numtaps);
        }
        if (!(cutoff > 0 && cutoff <= 1)) {
            throw new IllegalArgumentException("FIR cut-off must be in (0, 1] of Nyquist, got " + cutoff);
        }
        double alpha = 0.5 * (numtaps - 1);
        double[] window = kaiser(numtaps, beta);
        double[] h = new double[numtaps];
        double sum = 0;
        for (int i = 0; i < numtaps; i++) {
            double m = i - alpha;
            h[i] = cutoff * sinc(cutoff * m) * window[i];
            sum += h[i];
        }
        for (int i = 0; i < numtaps; i++) {
            h[i] /= sum;
        }
        return h;
    }

    /** The symmetric Kaiser window of length {@code m}, as {@code scipy.signal.windows.kaiser(m, beta)}. */
    public static double[] kaiser(int m, double beta) {
        double[] w = new double[m];
        if (m == 1) {
            w[0] = 1;
            return w;
        }
        double alpha = (m - 1) / 2.0;
        double denominator = besselI0(beta);
        for (int n = 0; n < m; n++) {
            double r = (n - alpha) / alpha;
            w[n] = besselI0(beta * Math.sqrt(1 - r * r)) / denominator;
        }
        return w;
    }

    /** {@code sin(πx)/(πx)}, 1 at 0 (numpy's normalised sinc). */
    static double sinc(double x) {
        if (x == 0) {
            return 1.0;
        }
        double y = Math.PI * x;
        return Math.sin(y) / y;
    }

    /**
     * Modified Bessel function of the first kind, order 0, by its power series
     * {@code Σ ((x/2)^k / k!)²}, which converges to full double precision for the arguments
     * window design uses (|x| up to a few tens).
     */
    static double besselI0(double x) {
        double q = x * x / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}

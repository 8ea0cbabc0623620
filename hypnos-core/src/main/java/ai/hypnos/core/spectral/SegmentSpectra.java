package ai.hypnos.core.spectral;

import org.jtransforms.fft.DoubleFFT_1D;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-sided periodograms of overlapping, detrended, windowed segments: the shared core of
 * {@link Welch} and {@link Spectrogram}, following {@code scipy.signal._spectral_helper} step
 * by step (segments of {@code nperseg} samples every {@code nperseg - noverlap}, detrend,
 * multiply by the window, real FFT of length {@code nfft}, |X|² × scale, interior bins doubled).
 */
final class SegmentSpectra {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentSpectra.class);

    final double[] freqs;
    /** [segment][frequency bin]. */
    final double[][] power;
    final int nperseg;
    final int step;

    private SegmentSpectra(double[] freqs, double[][] power, int nperseg, int step) {
        this.freqs = freqs;
        this.power = power;
        this.nperseg = nperseg;
        this.step = step;
    }

    /**
     * @param defaultWindow window when the options name none
     * @param overlapDivisor default noverlap = nperseg / this (2 for Welch, 8 for spectrograms)
     */
    static SegmentSpectra compute(double[] x, double fs, SpectralOptions o, Window defaultWindow, int overlapDivisor) {
        if (x.length == 0) {
            throw new IllegalArgumentException("empty signal");
        }
        if (!(fs > 0) || Double.isInfinite(fs)) {
            throw new IllegalArgumentException("sampling rate must be positive and finite: " + fs);
        }
        int nperseg = o.nperseg;
        if (nperseg > x.length) {
            // scipy warns and shortens the segment to the whole signal.
            LOG.warn("nperseg = {} is greater than the signal length {}, using nperseg = {}", nperseg, x.length, x.length);
            nperseg = x.length;
        }
        int noverlap = o.noverlap != null ? o.noverlap : nperseg / overlapDivisor;
        if (noverlap < 0 || noverlap >= nperseg) {
            throw new IllegalArgumentException("noverlap must be in [0, nperseg): " + noverlap + " with nperseg " + nperseg);
        }
        int nfft = o.nfft != null ? o.nfft : nperseg;
        if (nfft < nperseg) {
            throw new IllegalArgumentException("nfft must be >= nperseg: " + nfft + " < " + nperseg);
        }
        double[] win = (o.window != null ? o.window : defaultWindow).values(nperseg);
        if (win.length != nperseg) {
            throw new IllegalArgumentException("window has " + win.length + " values for segments of " + nperseg);
        }
        double scale;
        if (o.scaling == SpectralOptions.Scaling.DENSITY) {
            double s2 = 0;
            for (double w : win) {
                s2 += w * w;
            }
            scale = 1.0 / (fs * s2);
        } else {
            double s = 0;
            for (double w : win) {
                s += w;
            }
            scale = 1.0 / (s * s);
        }

        int step = nperseg - noverlap;
        int segments = (x.length - noverlap) / step;
        int bins = nfft / 2 + 1;
        double[] freqs = new double[bins];
        double val = 1.0 / (nfft * (1.0 / fs)); // numpy.fft.rfftfreq's arithmetic
        for (int k = 0; k < bins; k++) {
            freqs[k] = k * val;
        }

        DoubleFFT_1D fft = new DoubleFFT_1D(nfft);
        double[] buf = new double[nfft];
        double[][] power = new double[segments][bins];
        for (int s = 0; s < segments; s++) {
            java.util.Arrays.fill(buf, 0.0);
            System.arraycopy(x, s * step, buf, 0, nperseg);
            detrend(buf, nperseg, o.detrend);
            for (int i = 0; i < nperseg; i++) {
                buf[i] *= win[i];
            }
            fft.realForward(buf);
            double[] p = power[s];
            p[0] = buf[0] * buf[0];
            if (nfft % 2 == 0) {
                for (int k = 1; k < nfft / 2; k++) {
                    p[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
                }
                p[nfft / 2] = buf[1] * buf[1];
            } else {
                int last = (nfft - 1) / 2;
                for (int k = 1; k < last; k++) {
                    p[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
                }
                if (last > 0) {
                    p[last] = buf[nfft - 1] * buf[nfft - 1] + buf[1] * buf[1];
                }
            }
            // The one-sided spectrum folds negative frequencies onto positive ones: every bin but
            // DC (and Nyquist, when nfft is even) counts twice.
            int lastDoubled = nfft % 2 == 0 ? bins - 2 : bins - 1;
            for (int k = 0; k < bins; k++) {
                p[k] *= scale;
                if (k >= 1 && k <= lastDoubled) {
                    p[k] *= 2;
                }
            }
        }
        return new SegmentSpectra(freqs, power, nperseg, step);
    }

    private static void detrend(double[] seg, int n, SpectralOptions.Detrend mode) {
        switch (mode) {
            case NONE -> {
            }
            case CONSTANT -> {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += seg[i];
                }
                mean /= n;
                for (int i = 0; i < n; i++) {
                    seg[i] -= mean;
                }
            }
            case LINEAR -> {
                // Least-squares line through (i, seg[i]); the residual is what scipy's lstsq leaves.
                double tMean = (n - 1) / 2.0;
                double xMean = 0;
                for (int i = 0; i < n; i++) {
                    xMean += seg[i];
                }
                xMean /= n;
                double sxy = 0;
                double sxx = 0;
                for (int i = 0; i < n; i++) {
                    double dt = i - tMean;
                    sxy += dt * (seg[i] - xMean);
                    sxx += dt * dt;
                }
                double slope = sxx == 0 ? 0 : sxy / sxx;
                for (int i = 0; i < n; i++) {
                    seg[i] -= xMean + slope * (i - tMean);
                }
            }
        }
    }
}

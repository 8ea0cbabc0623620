package ai.hypnos.core.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Digital Butterworth filters as second-order sections, equal to
 * {@code scipy.signal.butter(order, freqs, btype, fs=fs, output='sos')}: the analog prototype's
 * poles, frequency pre-warping ({@code 4·tan(π·Wn/2)}), the low-pass → low/high/band-pass
 * transform, the bilinear transform and scipy's pole-zero pairing into sections.
 *
 * <p>A band-pass of order N has 2N poles, hence N sections; low- and high-pass have
 * {@code ceil(N/2)} sections.
 */
public final class Butterworth {
    private Butterworth() {
    }

    /** Low-pass with cut-off {@code cutoffHz} (−3 dB) at sample rate {@code fs}. */
    public static Sos lowpass(int order, double cutoffHz, double fs) {
        double warped = prewarp(normalised(cutoffHz, fs, "cutoff"));
        List<Complex> p = new ArrayList<>();
        for (Complex pole : prototypePoles(order)) {
            p.add(pole.times(warped));
        }
        double k = Math.pow(warped, order);
        return digital(new ArrayList<>(), p, k);
    }

    /** High-pass with cut-off {@code cutoffHz} (−3 dB) at sample rate {@code fs}. */
    public static Sos highpass(int order, double cutoffHz, double fs) {
        double warped = prewarp(normalised(cutoffHz, fs, "cutoff"));
        List<Complex> p = new ArrayList<>();
        Complex prodMinusP = Complex.ONE;
        for (Complex pole : prototypePoles(order)) {
            p.add(Complex.real(warped).div(pole));
            prodMinusP = prodMinusP.times(pole.negate());
        }
        List<Complex> z = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            z.add(Complex.ZERO);
        }
        double k = Complex.ONE.div(prodMinusP).re();
        return digital(z, p, k);
    }

    /** Band-pass between {@code lowHz} and {@code highHz} (−3 dB edges) at sample rate {@code fs}. */
    public static Sos bandpass(int order, double lowHz, double highHz, double fs) {
        double w0 = normalised(lowHz, fs, "low edge");
        double w1 = normalised(highHz, fs, "high edge");
        if (!(w0 < w1)) {
            throw new IllegalArgumentException("band-pass low edge " + lowHz + " Hz must be below the high edge " + highHz + " Hz");
        }
        double warpedLow = prewarp(w0);
        double warpedHigh = prewarp(w1);
        double bw = warpedHigh - warpedLow;
        double wo = Math.sqrt(warpedLow * warpedHigh);
        List<Complex> plus = new ArrayList<>();
        List<Complex> minus = new ArrayList<>();
        Complex wo2 = Complex.real(wo * wo);
        for (Complex pole : prototypePoles(order)) {
            Complex pLp = new Complex(pole.re() * bw / 2, pole.im() * bw / 2);
            Complex root = pLp.times(pLp).minus(wo2).sqrt();
            plus.add(pLp.plus(root));
            minus.add(pLp.minus(root));
        }
        List<Complex> p = new ArrayList<>(plus);
        p.addAll(minus);
        List<Complex> z = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            z.add(Complex.ZERO);
        }
        double k = Math.pow(bw, order);
        return digital(z, p, k);
    }

    /** The order-N analog prototype's poles, {@code -exp(iπm/2N)} for m = −N+1, −N+3, …, N−1. */
    private static List<Complex> prototypePoles(int order) {
        if (order < 1) {
            throw new IllegalArgumentException("filter order must be at least 1, got " + order);
        }
        List<Complex> poles = new ArrayList<>(order);
        for (int m = -order + 1; m < order; m += 2) {
            double theta = (Math.PI * m) * (1.0 / (2 * order));
            poles.add(new Complex(-Math.cos(theta), -Math.sin(theta)));
        }
        return poles;
    }

    /** Frequency as a fraction of Nyquist, which must lie strictly between 0 and 1. */
    private static double normalised(double hz, double fs, String what) {
        if (!(fs > 0) || !Double.isFinite(fs)) {
            throw new IllegalArgumentException("sample rate must be positive and finite, got " + fs);
        }
        double w = hz / (fs / 2);
        if (!(w > 0 && w < 1)) {
            throw new IllegalArgumentException("filter " + what + " " + hz + " Hz must lie strictly between 0 and fs/2 = " + fs / 2 + " Hz");
        }
        return w;
    }

    /** Analog frequency for the bilinear transform at the internal rate fs = 2 (scipy's choice). */
    private static double prewarp(double w) {
        return 2 * 2.0 * Math.tan(Math.PI * w / 2.0);
    }

    /** Bilinear transform at fs = 2, then pairing into sections. */
    private static Sos digital(List<Complex> z, List<Complex> p, double k) {
        Complex fs2 = Complex.real(4.0);
        int degree = p.size() - z.size();
        List<Complex> zz = new ArrayList<>();
        Complex prodZ = Complex.ONE;
        for (Complex zero : z) {
            zz.add(fs2.plus(zero).div(fs2.minus(zero)));
            prodZ = prodZ.times(fs2.minus(zero));
        }
        for (int i = 0; i < degree; i++) {
            zz.add(Complex.real(-1));
        }
        List<Complex> pz = new ArrayList<>();
        Complex prodP = Complex.ONE;
        for (Complex pole : p) {
            pz.add(fs2.plus(pole).div(fs2.minus(pole)));
            prodP = prodP.times(fs2.minus(pole));
        }
        double kz = k * prodZ.div(prodP).re();
        return ZpkToSos.convert(zz, pz, kz);
    }
}

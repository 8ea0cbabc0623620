package ai.hypnos.core.spectral;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A taper applied to each segment before its FFT. Every window is generated in its periodic
 * form (scipy's {@code get_window(..., fftbins=True)}, the default of {@code welch} and
 * {@code spectrogram}), with scipy's own formulas so the values agree to the last bits.
 */
public final class Window {
    private final String name;
    private final IntFunction<double[]> generator;

    private Window(String name, IntFunction<double[]> generator) {
        this.name = name;
        this.generator = generator;
    }

    /** Hann (scipy's default for {@code welch}). */
    public static Window hann() {
        return new Window("hann", n -> generalCosine(n, 0.5, 0.5));
    }

    /** Hamming (α = 0.54). */
    public static Window hamming() {
        return new Window("hamming", n -> generalCosine(n, 0.54, 0.46));
    }

    /** Blackman (0.42, 0.50, 0.08). */
    public static Window blackman() {
        return new Window("blackman", n -> generalCosine(n, 0.42, 0.50, 0.08));
    }

    /** Rectangular (no taper). */
    public static Window boxcar() {
        return new Window("boxcar", n -> {
            double[] w = new double[n];
            Arrays.fill(w, 1.0);
            return w;
        });
    }

    /** Tukey (tapered cosine) with taper fraction {@code alpha}; 0.25 is scipy's {@code spectrogram} default. */
    public static Window tukey(double alpha) {
        return new Window("tukey(" + alpha + ")", n -> tukeyValues(n, alpha));
    }

    /** Explicit values; the segment length must equal their count. */
    public static Window of(double[] values) {
        double[] copy = values.clone();
        return new Window("custom[" + copy.length + "]", n -> {
            if (n != copy.length) {
                throw new IllegalArgumentException("window has " + copy.length + " values, segment length is " + n);
            }
            return copy.clone();
        });
    }

    /** The window's {@code n} values (periodic form). */
    public double[] values(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("window length must be positive: " + n);
        }
        return generator.apply(n);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Sum of a[k]·cos(k·t) over t = linspace(-π, π, n+1) without its last point: scipy's
     * {@code general_cosine} with {@code sym=False}, sign convention included (the window
     * is ∑ (-1)^k a_k cos(2πkn/N), written through t = 2πn/N − π).
     */
    private static double[] generalCosine(int n, double... a) {
        if (n == 1) {
            return new double[] {1.0}; // scipy: every window of length 1 is [1.0]
        }
        int m = n + 1;
        double step = (Math.PI - (-Math.PI)) / (m - 1);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i * step + (-Math.PI);
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += a[k] * Math.cos(k * t);
            }
            w[i] = s;
        }
        return w;
    }

    private static double[] tukeyValues(int n, double alpha) {
        if (alpha <= 0) {
            return boxcar().values(n);
        }
        if (alpha >= 1) {
            return hann().values(n);
        }
        if (n == 1) {
            return new double[] {1.0};
        }
        int m = n + 1; // periodic: compute n+1 symmetric points, drop the last
        int width = (int) Math.floor(alpha * (m - 1) / 2.0);
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            if (i <= width) {
                w[i] = 0.5 * (1 + Math.cos(Math.PI * (-1 + 2.0 * i / alpha / (m - 1))));
            } else if (i < m - width - 1) {
                w[i] = 1.0;
            } else {
                w[i] = 0.5 * (1 + Math.cos(Math.PI * (-2.0 / alpha + 1 + 2.0 * i / alpha / (m - 1))));
            }
        }
        return Arrays.copyOf(w, n);
    }
}

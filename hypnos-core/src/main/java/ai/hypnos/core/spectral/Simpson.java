package ai.hypnos.core.spectral;

/**
 * Composite Simpson's rule on evenly spaced samples, as {@code scipy.integrate.simpson(y, dx=dx)}
 * computes it since scipy 1.11: for an odd number N of samples, Simpson over all N−1 intervals;
 * for even N, Simpson over the first N−2 intervals plus Cartwright's correction for the last
 * one; the trapezoid for N = 2; zero below two samples.
 */
public final class Simpson {
    private Simpson() {
    }

    /** ∫ y dx over y[from..to) with spacing {@code dx}. */
    public static double integrate(double[] y, int from, int to, double dx) {
        int n = to - from;
        if (n < 0 || from < 0 || to > y.length) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + y.length);
        }
        if (n < 2) {
            return 0.0;
        }
        if (n == 2) {
            return 0.5 * dx * (y[from] + y[from + 1]);
        }
        if (n % 2 == 1) {
            return basic(y, from, from + n - 1, dx);
        }
        double result = basic(y, from, from + n - 3, dx);
        // Correction for the last interval (equal spacing: h0 = h1 = dx).
        double alpha = (2 * dx * dx + 3 * dx * dx) / (6 * (dx + dx));
        double beta = (dx * dx + 3.0 * dx * dx) / (6 * dx);
        double eta = (dx * dx * dx) / (6 * dx * (dx + dx));
        int last = from + n - 1;
        return result + alpha * y[last] + beta * y[last - 1] - eta * y[last - 2];
    }

    /** ∫ y dx over the whole array. */
    public static double integrate(double[] y, double dx) {
        return integrate(y, 0, y.length, dx);
    }

    /** Plain Simpson over the parabolas starting at from, from+2, … below {@code stop}. */
    private static double basic(double[] y, int from, int stop, double dx) {
        double sum = 0;
        for (int i = from; i < stop; i += 2) {
            sum += y[i] + 4.0 * y[i + 1] + y[i + 2];
        }
        return sum * (dx / 3.0);
    }
}

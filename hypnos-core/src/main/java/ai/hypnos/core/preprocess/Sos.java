package ai.hypnos.core.preprocess;

import java.util.Arrays;

/**
 * An IIR filter as a cascade of second-order sections, in scipy's layout: each row is
 * {@code [b0, b1, b2, 1, a1, a2]} (denominators normalised so that {@code a0 = 1}).
 *
 * <p>Immutable: the constructor and {@link #sections()} copy. Filtering lives in
 * {@link SosFilter}; design in {@link Butterworth} and {@link IirNotch}.
 */
public final class Sos {
    private final double[][] sections;

    /**
     * @param sections rows of six coefficients {@code [b0, b1, b2, a0, a1, a2]}; rows with
     *                 {@code a0 != 1} are normalised
     */
    public Sos(double[][] sections) {
        if (sections.length == 0) {
            throw new IllegalArgumentException("an SOS filter needs at least one section");
        }
        this.sections = new double[sections.length][];
        for (int s = 0; s < sections.length; s++) {
            double[] row = sections[s];
            if (row.length != 6) {
                throw new IllegalArgumentException("section " + s + " has " + row.length + " coefficients, expected 6");
            }
            double a0 = row[3];
            if (a0 == 0 || !Double.isFinite(a0)) {
                throw new IllegalArgumentException("section " + s + " has a0 = " + a0);
            }
            this.sections[s] = a0 == 1.0 ? row.clone() : new double[] {
                row[0] / a0, row[1] / a0, row[2] / a0, 1.0, row[4] / a0, row[5] / a0};
        }
    }

    /** Number of second-order sections. */
    public int sectionCount() {
        return sections.length;
    }

    /** A copy of the coefficients, one row of six per section. */
    public double[][] sections() {
        double[][] copy = new double[sections.length][];
        for (int s = 0; s < sections.length; s++) {
            copy[s] = sections[s].clone();
        }
        return copy;
    }

    /** Coefficient {@code c} (0..5) of section {@code s}, without copying. */
    double coefficient(int s, int c) {
        return sections[s][c];
    }

    /**
     * Initial state for a unit step, like {@code scipy.signal.sosfilt_zi}: multiplied by the
     * first sample, it starts the filter as if that sample had always been there (no start-up
     * transient). Row {@code s} holds the two delay values of section {@code s}.
     */
    public double[][] steadyStateZi() {
        double[][] zi = new double[sections.length][2];
        double scale = 1.0;
        for (int s = 0; s < sections.length; s++) {
            double[] c = sections[s];
            double b0 = c[0];
            double b1 = c[1];
            double b2 = c[2];
            double a1 = c[4];
            double a2 = c[5];
            // lfilter_zi for a biquad: solve (I - A^T) zi = b[1:] - a[1:] * b0, A the companion matrix.
            double r0 = b1 - a1 * b0;
            double r1 = b2 - a2 * b0;
            double[] z = solve2x2(1 + a1, -1, a2, 1, r0, r1);
            zi[s][0] = scale * z[0];
            zi[s][1] = scale * z[1];
            scale *= (b0 + b1 + b2) / (1.0 + a1 + a2);
        }
        return zi;
    }

    /**
     * Solves [[m00, m01], [m10, m11]] z = r by LU with partial pivoting, the way LAPACK's
     * {@code gesv} (behind {@code np.linalg.solve}) does.
     */
    private static double[] solve2x2(double m00, double m01, double m10, double m11, double r0, double r1) {
        boolean swap = Math.abs(m10) > Math.abs(m00);
        double p0 = swap ? m10 : m00;
        double p1 = swap ? m11 : m01;
        double o0 = swap ? m00 : m10;
        double o1 = swap ? m01 : m11;
        double rp = swap ? r1 : r0;
        double ro = swap ? r0 : r1;
        double l = o0 / p0;
        double u11 = o1 - l * p1;
        double z1 = (ro - l * rp) / u11;
        double z0 = (rp - p1 * z1) / p0;
        return new double[] {z0, z1};
    }

    /**
     * Number of taps scipy's {@code sosfiltfilt} counts for its default padding:
     * {@code 2·sections + 1}, less the trailing zero coefficients of first-order sections.
     */
    int filtfiltTaps() {
        int zeroB2 = 0;
        int zeroA2 = 0;
        for (double[] c : sections) {
            if (c[2] == 0) {
                zeroB2++;
            }
            if (c[5] == 0) {
                zeroA2++;
            }
        }
        return 2 * sections.length + 1 - Math.min(zeroB2, zeroA2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sos other && Arrays.deepEquals(sections, other.sections);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(sections);
    }

    @Override
    public String toString() {
        return "Sos" + Arrays.deepToString(sections);
    }
}

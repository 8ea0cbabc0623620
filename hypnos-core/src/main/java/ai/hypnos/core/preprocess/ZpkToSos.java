package ai.hypnos.core.preprocess;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Converts the zeros, poles and gain of a digital filter into second-order sections, pairing
 * them the way {@code scipy.signal.zpk2sos(z, p, k)} does by default ({@code pairing='nearest'}):
 * the pole closest to the unit circle goes into the last section with its nearest zero, and so
 * on backwards, and the gain goes into the first section. Matching the pairing (not just the
 * overall transfer function) is what makes our sections, and their steady-state start, equal to
 * scipy's.
 */
final class ZpkToSos {
    private static final double TOL = 100 * Math.ulp(1.0);

    private ZpkToSos() {
    }

    static Sos convert(List<Complex> zeros, List<Complex> poles, double gain) {
        List<Complex> z = new ArrayList<>(zeros);
        List<Complex> p = new ArrayList<>(poles);
        if (z.isEmpty() && p.isEmpty()) {
            return new Sos(new double[][] {{gain, 0, 0, 1, 0, 0}});
        }
        // Same number of poles and zeros, padded at the origin; an odd count gets one more pair.
        while (p.size() < z.size()) {
            p.add(Complex.ZERO);
        }
        while (z.size() < p.size()) {
            z.add(Complex.ZERO);
        }
        int nSections = (p.size() + 1) / 2;
        if (p.size() % 2 == 1) {
            p.add(Complex.ZERO);
            z.add(Complex.ZERO);
        }
        z = conjugatePairsThenReals(z);
        p = conjugatePairsThenReals(p);

        double[][] sos = new double[nSections][];
        for (int si = nSections - 1; si >= 0; si--) {
            int p1Index = indexClosestToUnitCircle(p, null);
            Complex p1 = p.remove(p1Index);
            if (p1.isReal() && countReal(p) == 0) {
                // Last remaining real pole: a first-order section padded with the origin.
                Complex z1 = z.remove(nearestIndex(z, p1, Which.REAL));
                sos[si] = section(List.of(z1, Complex.ZERO), List.of(p1, Complex.ZERO));
            } else if (p.size() + 1 == z.size() && !p1.isReal() && countReal(p) == 1 && countReal(z) == 1) {
                // One real pole and one real zero left: this complex pole must take a complex zero.
                Complex z1 = z.remove(nearestIndex(z, p1, Which.COMPLEX));
                sos[si] = section(List.of(z1, z1.conj()), List.of(p1, p1.conj()));
            } else {
                Complex p2;
                if (p1.isReal()) {
                    p2 = p.remove(indexClosestToUnitCircle(p, Which.REAL));
                } else {
                    p2 = p1.conj();
                }
                if (z.isEmpty()) {
                    sos[si] = section(List.of(), List.of(p1, p2));
                } else {
                    Complex z1 = z.remove(nearestIndex(z, p1, Which.ANY));
                    if (!z1.isReal()) {
                        sos[si] = section(List.of(z1, z1.conj()), List.of(p1, p2));
                    } else if (!z.isEmpty()) {
                        Complex z2 = z.remove(nearestIndex(z, p1, Which.REAL));
                        sos[si] = section(List.of(z1, z2), List.of(p1, p2));
                    } else {
                        sos[si] = section(List.of(z1), List.of(p1, p2));
                    }
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            sos[0][c] *= gain;
        }
        return new Sos(sos);
    }

    private enum Which { REAL, COMPLEX, ANY }

    /**
     * scipy's {@code _cplxreal}: one member (positive imaginary part) of each conjugate pair,
     * averaged with its partner, sorted by real part; then the real values, sorted.
     */
    private static List<Complex> conjugatePairsThenReals(List<Complex> values) {
        List<Complex> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingDouble(Complex::re).thenComparingDouble(c -> Math.abs(c.im())));
        List<Complex> reals = new ArrayList<>();
        List<Complex> positive = new ArrayList<>();
        List<Complex> negative = new ArrayList<>();
        for (Complex c : sorted) {
            if (Math.abs(c.im()) <= TOL * c.abs()) {
                reals.add(Complex.real(c.re()));
            } else if (c.im() > 0) {
                positive.add(c);
            } else {
                negative.add(c);
            }
        }
        if (positive.size() != negative.size()) {
            throw new IllegalArgumentException("complex value with no matching conjugate in " + values);
        }
        // Runs of (nearly) equal real part are ordered by |imag|.
        int start = 0;
        while (start < positive.size()) {
            int stop = start + 1;
            while (stop < positive.size()
                    && positive.get(stop).re() - positive.get(stop - 1).re() <= TOL * positive.get(stop - 1).abs()) {
                stop++;
            }
            if (stop - start > 1) {
                positive.subList(start, stop).sort(Comparator.comparingDouble(c -> Math.abs(c.im())));
                negative.subList(start, stop).sort(Comparator.comparingDouble(c -> Math.abs(c.im())));
            }
            start = stop;
        }
        List<Complex> out = new ArrayList<>(values.size());
        for (int i = 0; i < positive.size(); i++) {
            Complex zp = positive.get(i);
            Complex zn = negative.get(i).conj();
            if (zp.minus(zn).abs() > TOL * negative.get(i).abs()) {
                throw new IllegalArgumentException("complex value with no matching conjugate in " + values);
            }
            out.add(new Complex((zp.re() + zn.re()) * 0.5, (zp.im() + zn.im()) * 0.5));
        }
        out.addAll(reals);
        return out;
    }

    private static int indexClosestToUnitCircle(List<Complex> values, Which which) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            Complex c = values.get(i);
            if (which == Which.REAL && !c.isReal()) {
                continue;
            }
            double d = Math.abs(1 - c.abs());
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no candidate pole left");
        }
        return best;
    }

    private static int nearestIndex(List<Complex> values, Complex to, Which which) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            Complex c = values.get(i);
            if ((which == Which.REAL && !c.isReal()) || (which == Which.COMPLEX && c.isReal())) {
                continue;
            }
            double d = c.minus(to).abs();
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no candidate zero left");
        }
        return best;
    }

    private static int countReal(List<Complex> values) {
        int n = 0;
        for (Complex c : values) {
            if (c.isReal()) {
                n++;
            }
        }
        return n;
    }

    /** One section from up to two zeros and two poles (right-aligned, as scipy's {@code _single_zpksos}). */
    private static double[] section(List<Complex> zeros, List<Complex> poles) {
        double[] b = poly(zeros);
        double[] a = poly(poles);
        double[] row = new double[6];
        System.arraycopy(b, 0, row, 3 - b.length, b.length);
        System.arraycopy(a, 0, row, 6 - a.length, a.length);
        return row;
    }

    /** Real coefficients of the monic polynomial with these roots (conjugate pairs or reals). */
    private static double[] poly(List<Complex> roots) {
        Complex[] c = {Complex.ONE};
        for (Complex r : roots) {
            Complex[] next = new Complex[c.length + 1];
            Complex minusR = r.negate();
            for (int i = 0; i < next.length; i++) {
                Complex sum = null;
                if (i < c.length) {
                    sum = c[i];
                }
                if (i >= 1) {
                    Complex term = c[i - 1].times(minusR);
                    sum = sum == null ? term : sum.plus(term);
                }
                next[i] = sum;
            }
            c = next;
        }
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].re();
        }
        return out;
    }
}

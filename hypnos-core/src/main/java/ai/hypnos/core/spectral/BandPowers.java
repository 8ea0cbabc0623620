package ai.hypnos.core.spectral;

import java.util.ArrayList;
import java.util.List;

/**
 * Absolute and relative power in frequency bands of a PSD, computed as YASA's
 * {@code bandpower_from_psd} does: the PSD is cut to [lowest band edge, highest band edge], each
 * band is integrated with Simpson's rule ({@link Simpson}, scipy ≥ 1.11) over the bins with
 * {@code low <= f <= high} (edges included, so adjacent bands share their edge bin), and
 * relative power is band power over the integral of the whole cut PSD.
 *
 * <p>The default bands are delta 0.5–4, theta 4–8, alpha 8–12, sigma 12–16 and beta 16–30 Hz;
 * their relative powers therefore sum to about, not exactly, 1.
 */
public final class BandPowers {
    /** A named frequency band, edges in Hz. */
    public record Band(String name, double low, double high) {
        public Band {
            if (!(low < high)) {
                throw new IllegalArgumentException("band '" + name + "': low " + low + " >= high " + high);
            }
        }
    }

    /** delta 0.5–4, theta 4–8, alpha 8–12, sigma 12–16, beta 16–30 Hz. */
    public static final List<Band> DEFAULT_BANDS = List.of(
            new Band("delta", 0.5, 4),
            new Band("theta", 4, 8),
            new Band("alpha", 8, 12),
            new Band("sigma", 12, 16),
            new Band("beta", 16, 30));

    private final List<Band> bands;
    private final double[] absolute;
    private final double total;

    private BandPowers(List<Band> bands, double[] absolute, double total) {
        this.bands = bands;
        this.absolute = absolute;
        this.total = total;
    }

    /** Band powers of the {@link #DEFAULT_BANDS}. */
    public static BandPowers of(Psd psd) {
        return of(psd, DEFAULT_BANDS);
    }

    /** Band powers of the given bands. */
    public static BandPowers of(Psd psd, List<Band> bands) {
        if (bands.isEmpty()) {
            throw new IllegalArgumentException("no bands");
        }
        double fmin = Double.POSITIVE_INFINITY;
        double fmax = Double.NEGATIVE_INFINITY;
        for (Band b : bands) {
            fmin = Math.min(fmin, b.low());
            fmax = Math.max(fmax, b.high());
        }
        double[] f = psd.freqs();
        double[] p = psd.power();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            if (f[i] >= fmin && f[i] <= fmax) {
                kept.add(i);
            }
        }
        if (kept.size() < 2) {
            throw new IllegalArgumentException("fewer than two PSD bins between " + fmin + " and " + fmax
                    + " Hz (resolution " + psd.resolution() + " Hz): use longer segments");
        }
        double[] fc = new double[kept.size()];
        double[] pc = new double[kept.size()];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = f[kept.get(i)];
            pc[i] = p[kept.get(i)];
        }
        double res = fc[1] - fc[0];
        double total = Simpson.integrate(pc, res);
        double[] abs = new double[bands.size()];
        for (int b = 0; b < abs.length; b++) {
            Band band = bands.get(b);
            // Bins of a band are contiguous: find the run with low <= f <= high.
            int from = 0;
            while (from < fc.length && fc[from] < band.low()) {
                from++;
            }
            int to = from;
            while (to < fc.length && fc[to] <= band.high()) {
                to++;
            }
            abs[b] = Simpson.integrate(pc, from, to, res);
        }
        return new BandPowers(List.copyOf(bands), abs, total);
    }

    public List<Band> bands() {
        return bands;
    }

    /** Absolute power per band, in the order of {@link #bands()} (unit², e.g. µV²). */
    public double[] absolute() {
        return absolute.clone();
    }

    /** Relative power per band (band / total over the span of all bands). */
    public double[] relative() {
        double[] r = absolute.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] /= total;
        }
        return r;
    }

    /** Power integrated over [lowest, highest] band edge: the denominator of {@link #relative()}. */
    public double total() {
        return total;
    }

    public double absolute(String band) {
        return absolute[index(band)];
    }

    public double relative(String band) {
        return absolute[index(band)] / total;
    }

    private int index(String name) {
        for (int i = 0; i < bands.size(); i++) {
            if (bands.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no band '" + name + "' in " + bands);
    }
}

package ai.hypnos.core.preprocess;

/**
 * The integer factors {@code up/down} that take a signal from its source rate to a target
 * rate, reduced by their gcd (as {@code resample_poly} reduces them).
 *
 * <p>Integer source rates give exact factors (250 → 128 Hz: up 64, down 125). Source rates
 * that are not integers occur in EDF files whose record duration does not divide the sample
 * count (511 samples in a 2 s record is 255.5 Hz; 85 samples in a record of "0.333333" s is
 * 255.000255 Hz). The reference library truncates such rates to an integer, which shifts the
 * time axis; we instead approximate the rate by the fraction {@code p/q} with the smallest
 * denominator {@code q ≤ 1000} that is within {@value #RELATIVE_TOLERANCE} (10 ppm) of it,
 * so 255.5 Hz resamples exactly as 511/2 Hz and 255.000255 Hz as 255 Hz (a timing error of
 * at most 0.3 s over an 8-hour night, reported by {@link #relativeError()}). Rates with no such
 * fraction, or whose factors would need a filter longer than {@value #MAX_FACTOR}·20 taps,
 * are rejected with an {@link IllegalArgumentException}.
 *
 * @param up                 interpolation factor
 * @param down               decimation factor
 * @param sourceRate         the source rate as given
 * @param targetRate         the target rate in Hz
 * @param effectiveSourceRate the rational rate actually used ({@code targetRate·down/up})
 */
public record RateRatio(int up, int down, double sourceRate, int targetRate, double effectiveSourceRate) {
    /** Largest accepted relative difference between a source rate and its rational stand-in. */
    public static final double RELATIVE_TOLERANCE = 1e-5;
    /** Largest accepted denominator of a non-integer source rate. */
    public static final int MAX_DENOMINATOR = 1000;
    /** Largest accepted up or down factor (the FIR has {@code 20·max(up, down) + 1} taps). */
    public static final int MAX_FACTOR = 1 << 16;

    /**
     * Factors for resampling {@code sourceRate} Hz to {@code targetRate} Hz.
     *
     * @throws IllegalArgumentException for a rate that is not positive and finite, or that has no
     *                                  rational stand-in within the tolerance and size limits
     */
    public static RateRatio of(double sourceRate, int targetRate) {
        if (!(sourceRate > 0) || !Double.isFinite(sourceRate)) {
            throw new IllegalArgumentException("source sample rate must be positive and finite, got " + sourceRate);
        }
        if (targetRate <= 0) {
            throw new IllegalArgumentException("target sample rate must be positive, got " + targetRate);
        }
        for (long q = 1; q <= MAX_DENOMINATOR; q++) {
            double scaled = sourceRate * q;
            long p = Math.round(scaled);
            if (p <= 0 || Math.abs((double) p / q - sourceRate) > RELATIVE_TOLERANCE * sourceRate) {
                continue;
            }
            long num = (long) targetRate * q;
            long g = gcd(num, p);
            long up = num / g;
            long down = p / g;
            if (up > MAX_FACTOR || down > MAX_FACTOR) {
                throw new IllegalArgumentException("resampling " + sourceRate + " Hz (≈ " + p + "/" + q + ") to "
                        + targetRate + " Hz needs factors up " + up + ", down " + down + ", more than " + MAX_FACTOR);
            }
            return new RateRatio((int) up, (int) down, sourceRate, targetRate, (double) p / q);
        }
        throw new IllegalArgumentException("source sample rate " + sourceRate + " Hz is not within "
                + RELATIVE_TOLERANCE + " of a fraction with denominator at most " + MAX_DENOMINATOR);
    }

    /** True when no resampling is needed (the rates are equal, or equal after approximation). */
    public boolean isIdentity() {
        return up == down;
    }

    /** Relative difference between the source rate and the rational rate used in its place. */
    public double relativeError() {
        return Math.abs(effectiveSourceRate - sourceRate) / sourceRate;
    }

    /** Number of output samples for {@code n} input samples: {@code ceil(n·up/down)}. */
    public long outputLength(long n) {
        long total = Math.multiplyExact(n, (long) up);
        return total / down + (total % down == 0 ? 0 : 1);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}

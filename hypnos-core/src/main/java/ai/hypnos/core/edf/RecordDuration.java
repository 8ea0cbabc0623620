package ai.hypnos.core.edf;

import java.util.Arrays;

/**
 * Chooses the duration of an EDF data record so that every signal has a whole number of
 * samples in each record: the shortest whole number of seconds (1 s when all rates are whole
 * hertz, 2 s for 0.5 Hz, 3 s for 1000/3 Hz, 30 s for one sample per epoch...). A shorter,
 * fractional duration never helps here (if rate × 0.5 s is whole, so is rate × 1 s); it can be
 * asked for through {@link EdfWriter.Options#recordDuration(double)}.
 */
final class RecordDuration {
    /** Longest automatic choice: an hour per record. */
    private static final int LONGEST = 3600;

    private RecordDuration() {
    }

    /** The shortest whole number of seconds giving every rate a whole number of samples per record. */
    static double choose(double[] rates) {
        for (int d = 1; d <= LONGEST; d++) {
            if (fits(rates, d) < 0) {
                return d;
            }
        }
        throw new IllegalArgumentException("no record duration of 1 to " + LONGEST
                + " s gives a whole number of samples per record for the rates " + Arrays.toString(rates)
                + " Hz; set EdfWriter.Options.recordDuration");
    }

    /** Index of the first rate that does not fit {@code duration}, or -1 when all fit. */
    static int fits(double[] rates, double duration) {
        for (int i = 0; i < rates.length; i++) {
            double n = rates[i] * duration;
            if (n < 0.5 || Math.abs(n - Math.rint(n)) > 1e-6) {
                return i;
            }
        }
        return -1;
    }

    /** Samples per record of a signal at {@code rate} Hz. */
    static int samplesPerRecord(double rate, double duration) {
        double n = Math.rint(rate * duration);
        if (n > 99_999_999) {
            throw new IllegalArgumentException(rate + " Hz x " + duration + " s = " + n
                    + " samples per record, more than the 8-character EDF field holds");
        }
        return (int) n;
    }
}

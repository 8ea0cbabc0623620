package ai.hypnos.core.synth;

/**
 * What AF window set to generate.
 *
 * @param windows       number of windows
 * @param seconds       length of each window
 * @param seed          random seed
 * @param afFraction    share of windows in atrial fibrillation
 * @param otherFraction share of windows with another arrhythmia (the rest are sinus rhythm)
 */
public record AfSpec(int windows, double seconds, long seed, double afFraction, double otherFraction) {
    public AfSpec {
        if (windows < 1) {
            throw new IllegalArgumentException("need at least one window, got " + windows);
        }
        if (!(seconds >= 5) || seconds > 3600) {
            throw new IllegalArgumentException("window length must be in [5, 3600] seconds, got " + seconds);
        }
        if (!(afFraction >= 0) || !(otherFraction >= 0) || afFraction + otherFraction > 1) {
            throw new IllegalArgumentException("AF and other fractions must be non-negative and sum to at most 1, got "
                    + afFraction + " and " + otherFraction);
        }
    }

    /** One third each of AF, sinus rhythm and other arrhythmias. */
    public static AfSpec of(int windows, double seconds, long seed) {
        return new AfSpec(windows, seconds, seed, 1.0 / 3, 1.0 / 3);
    }
}

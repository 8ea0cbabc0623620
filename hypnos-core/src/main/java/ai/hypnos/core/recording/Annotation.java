package ai.hypnos.core.recording;

/**
 * A time-stamped text annotation (EDF+ TAL entry, NSRR scored event, WFDB annotation...).
 *
 * @param onset    seconds from the recording start (may be negative or fractional)
 * @param duration seconds, or {@code NaN} when the source gives none
 * @param text     the annotation text, UTF-8 decoded, trimmed
 */
public record Annotation(double onset, double duration, String text) {
    public boolean hasDuration() {
        return !Double.isNaN(duration);
    }
}

package ai.hypnos.core.annotation;

/**
 * A scored stretch of one sleep stage, as a scoring file states it (before epoch alignment).
 *
 * @param onset    seconds from the recording start
 * @param duration seconds
 * @param stage    the stage ({@link SleepStage#UNSCORED} for "?", movement, unscored)
 * @param text     the label as written in the source (for messages)
 */
public record StageInterval(double onset, double duration, SleepStage stage, String text) {
    public StageInterval {
        if (!(duration >= 0) || Double.isNaN(onset)) {
            throw new IllegalArgumentException("stage '" + text + "' at " + onset + " s has duration " + duration);
        }
    }

    /** End of the interval in seconds. */
    public double end() {
        return onset + duration;
    }
}

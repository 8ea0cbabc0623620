package ai.hypnos.core.synth;

/**
 * One ground-truth event of a synthetic night.
 *
 * @param type     what happened
 * @param onset    seconds from the recording start
 * @param duration seconds
 * @param channel  the file label of the channel it concerns, or empty when it concerns the subject
 * @param value    a magnitude: spindle frequency (Hz), K-complex or pop amplitude (microvolts),
 *                 desaturation nadir (percent), apnoea effort ratio; 0 when meaningless
 */
public record SynthEvent(EventType type, double onset, double duration, String channel, double value) {
    public double end() {
        return onset + duration;
    }
}

package ai.hypnos.core.preprocess;

/**
 * A run of missing (NaN or infinite) input samples that preprocessing filled in.
 *
 * @param start  index of the first missing sample, in source samples
 * @param length number of consecutive missing samples
 */
public record SampleGap(long start, long length) {
    public SampleGap {
        if (start < 0 || length < 1) {
            throw new IllegalArgumentException("gap must start at >= 0 and hold >= 1 sample, got " + start + "+" + length);
        }
    }

    /** Start in seconds for a signal sampled at {@code sampleRate} Hz. */
    public double startSeconds(double sampleRate) {
        return start / sampleRate;
    }

    /** Duration in seconds for a signal sampled at {@code sampleRate} Hz. */
    public double durationSeconds(double sampleRate) {
        return length / sampleRate;
    }
}

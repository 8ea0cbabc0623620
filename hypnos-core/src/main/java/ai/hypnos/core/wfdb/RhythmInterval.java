package ai.hypnos.core.wfdb;

/**
 * A stretch of one rhythm, from a rhythm-change annotation to the next one (or the record end).
 *
 * @param rhythm      rhythm name without the parenthesis ({@code "N"}, {@code "AFIB"}, {@code "SVTA"}...)
 * @param startSample first sample of the interval
 * @param endSample   first sample after the interval
 * @param start       start in seconds
 * @param end         end in seconds
 */
public record RhythmInterval(String rhythm, long startSample, long endSample, double start, double end) {
    /** Length in seconds. */
    public double duration() {
        return end - start;
    }
}

package ai.hypnos.core.recording;

/**
 * A contiguous stretch of recorded data. Continuous recordings have one segment; EDF+D files have
 * one per run of adjacent data records, separated by gaps.
 *
 * @param onset       seconds from the recording start to the first sample of the segment
 * @param duration    seconds of data in the segment
 * @param firstRecord index of the first data record (EDF) or 0 for formats without records
 * @param recordCount number of data records in the segment
 */
public record Segment(double onset, double duration, long firstRecord, long recordCount) {
    public double end() {
        return onset + duration;
    }
}

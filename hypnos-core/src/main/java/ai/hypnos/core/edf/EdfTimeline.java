package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.recording.Segment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each data record lies in time.
 *
 * <p>Plain EDF/BDF records follow each other. EDF+/BDF+ records carry a time-keeping TAL with
 * their onset relative to the header's start time (whole seconds); the first record's onset is
 * the sub-second (or later) start of the data, so the recording's time zero is the header time
 * plus that onset. EDF+C files must be contiguous: a time-keeping TAL that disagrees is reported
 * as a warning and the records stay contiguous. EDF+D records may have gaps: adjacent records
 * form one {@link Segment}; overlapping or backwards records are an error.
 */
final class EdfTimeline {
    private final double startOffset;
    private final double recordDuration;
    private final double[] onsets; // relative to the first sample; null when contiguous
    private final List<Segment> segments;

    private EdfTimeline(double startOffset, double recordDuration, double[] onsets, List<Segment> segments) {
        this.startOffset = startOffset;
        this.recordDuration = recordDuration;
        this.onsets = onsets;
        this.segments = List.copyOf(segments);
    }

    /**
     * @param timekeeping onset of each record as written ({@code NaN} where missing), or an empty array
     */
    static EdfTimeline of(Path file, EdfHeader header, long recordCount, double[] timekeeping, List<String> warnings)
            throws HypnosFormatException {
        double dur = header.recordDuration();
        boolean hasTimekeeping = header.format().isPlus() && timekeeping.length > 0;
        double offset = hasTimekeeping && !Double.isNaN(timekeeping[0]) ? timekeeping[0] : 0;
        if (!header.format().isDiscontinuous()) {
            if (hasTimekeeping) {
                checkContiguous(header, timekeeping, offset, warnings);
            }
            return new EdfTimeline(offset, dur, null, List.of(new Segment(0, recordCount * dur, 0, recordCount)));
        }
        double[] onsets = new double[timekeeping.length];
        List<Segment> segments = new ArrayList<>();
        long segmentStart = 0;
        for (int r = 0; r < timekeeping.length; r++) {
            if (Double.isNaN(timekeeping[r])) {
                throw new HypnosFormatException(file, "time-keeping TAL of data record " + r, "missing",
                        "every record of an " + header.format().label() + " file must start with '+onset\\x14\\x14'");
            }
            onsets[r] = timekeeping[r] - offset;
            if (r > 0) {
                double expected = onsets[r - 1] + dur;
                if (onsets[r] < expected - tolerance(expected)) {
                    throw new HypnosFormatException(file, "time-keeping TAL of data record " + r, timekeeping[r],
                            "record starts before the previous one ends (" + (timekeeping[r - 1] + dur) + " s)");
                }
                if (onsets[r] > expected + tolerance(expected)) {
                    segments.add(segment(onsets, segmentStart, r, dur));
                    segmentStart = r;
                }
            }
        }
        if (timekeeping.length > 0) {
            segments.add(segment(onsets, segmentStart, timekeeping.length, dur));
        }
        return new EdfTimeline(offset, dur, onsets, segments);
    }

    private static void checkContiguous(EdfHeader header, double[] timekeeping, double offset, List<String> warnings) {
        int missing = 0;
        int off = 0;
        int firstOff = -1;
        for (int r = 0; r < timekeeping.length; r++) {
            if (Double.isNaN(timekeeping[r])) {
                missing++;
            } else {
                double expected = offset + r * header.recordDuration();
                if (Math.abs(timekeeping[r] - expected) > tolerance(expected)) {
                    off++;
                    if (firstOff < 0) {
                        firstOff = r;
                    }
                }
            }
        }
        if (missing > 0) {
            warnings.add(missing + " of " + timekeeping.length + " data records have no time-keeping TAL; taken as contiguous");
        }
        if (off > 0) {
            warnings.add(header.format().label() + " file but " + off + " time-keeping TALs disagree with contiguous records"
                    + " (first: record " + firstOff + " at " + timekeeping[firstOff] + " s, expected "
                    + (offset + firstOff * header.recordDuration()) + " s); records taken as contiguous");
        }
    }

    private static Segment segment(double[] onsets, long first, long end, double dur) {
        return new Segment(onsets[(int) first], (end - first) * dur, first, end - first);
    }

    /** Writers round onsets to 100 ns (EDFlib) or fewer digits: allow a microsecond and float error. */
    private static double tolerance(double t) {
        return 1e-6 + 1e-9 * Math.abs(t);
    }

    /** Seconds from the header's start time to the first sample (the first record's time-keeping onset). */
    double startOffset() {
        return startOffset;
    }

    /** Onset of a data record in seconds from the first sample. */
    double recordOnset(long record) {
        return onsets == null ? record * recordDuration : onsets[(int) record];
    }

    List<Segment> segments() {
        return segments;
    }
}

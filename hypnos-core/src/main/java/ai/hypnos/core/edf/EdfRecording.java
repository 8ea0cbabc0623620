package ai.hypnos.core.edf;

import ai.hypnos.core.io.SharedReadChannel;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * An open EDF, EDF+, BDF or BDF+ file: header and annotations in memory, samples read on demand
 * with positioned reads of at most a few megabytes at a time.
 *
 * <p>{@link #signals()} lists the ordinary signals; annotation signals are parsed into
 * {@link #annotations()} (sorted by onset, ties in file order). All times are seconds from
 * {@link #startTime()}, the time of the first sample (the header time plus the EDF+ start
 * offset). Reads of a discontinuous (EDF+D) file return the stored samples back to back;
 * {@link #segments()} and {@link #recordOnset(long)} place them in time.
 *
 * <p>Reads are thread-safe. A thread interrupted while reading gets an
 * {@link java.io.InterruptedIOException} naming the file; the other threads' reads go on (the
 * file is opened again if the interrupt closed it: {@link SharedReadChannel}). Close the
 * recording to release the file; reads after that throw
 * {@link java.nio.channels.ClosedChannelException}.
 */
public final class EdfRecording implements Recording {
    private final Path file;
    private final SharedReadChannel channel;
    private final EdfHeader header;
    private final long recordCount;
    private final EdfTimeline timeline;
    private final List<Annotation> annotations;
    private final List<String> warnings;
    private final int[] headerIndex;
    private final List<SignalInfo> signals;
    private final DataRecords records;

    EdfRecording(Path file, SharedReadChannel channel, EdfHeader header, long recordCount, EdfTimeline timeline,
                 List<Annotation> annotations, List<String> warnings, int chunkBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.recordCount = recordCount;
        this.timeline = timeline;
        this.annotations = List.copyOf(annotations);
        this.warnings = List.copyOf(warnings);
        this.records = new DataRecords(file, channel, header, recordCount, chunkBytes);
        List<SignalInfo> infos = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < header.signals().size(); i++) {
            EdfSignalHeader s = header.signals().get(i);
            if (!s.annotation()) {
                index.add(i);
                infos.add(new SignalInfo(s.label(), s.transducer(), s.unit(), s.prefiltering(),
                        s.samplesPerRecord() / header.recordDuration(), recordCount * s.samplesPerRecord(),
                        s.physicalMin(), s.physicalMax(), s.digitalMin(), s.digitalMax()));
            }
        }
        this.headerIndex = index.stream().mapToInt(Integer::intValue).toArray();
        this.signals = List.copyOf(infos);
    }

    @Override
    public Path source() {
        return file;
    }

    /** {@code "EDF"}, {@code "EDF+C"}, {@code "EDF+D"}, {@code "BDF"}, {@code "BDF+C"} or {@code "BDF+D"}. */
    @Override
    public String format() {
        return header.format().label();
    }

    /** The header's start time plus the first record's EDF+ time-keeping onset (sub-second starts). */
    @Override
    public LocalDateTime startTime() {
        // Whole seconds and the fraction apart: onsets reach 1e10 s (TalParser.MAX_SECONDS), whose
        // count of nanoseconds does not fit a long (Math.round would saturate at ~292 years).
        double offset = timeline.startOffset();
        double whole = Math.floor(offset);
        return header.startTime().plusSeconds((long) whole).plusNanos(Math.round((offset - whole) * 1e9));
    }

    /** Seconds of stored data: records × record duration (0 for annotation-only files; gaps excluded). */
    @Override
    public double durationSeconds() {
        return recordCount * header.recordDuration();
    }

    @Override
    public List<SignalInfo> signals() {
        return signals;
    }

    @Override
    public List<Segment> segments() {
        return timeline.segments();
    }

    @Override
    public List<Annotation> annotations() {
        return annotations;
    }

    /** The parsed header (all signals, annotation signals included, with their scaling fields). */
    public EdfHeader header() {
        return header;
    }

    /** The header entry of ordinary signal {@code signal} (an index into {@link #signals()}). */
    public EdfSignalHeader signalHeader(int signal) {
        return header.signals().get(headerIndex(signal));
    }

    /** What was odd but readable about this file (also logged at open). */
    public List<String> warnings() {
        return warnings;
    }

    /** Number of complete data records in the file (may differ from the header field; see {@link #warnings()}). */
    public long recordCount() {
        return recordCount;
    }

    /** Onset of a data record in seconds from {@link #startTime()}. */
    public double recordOnset(long record) {
        if (record < 0 || record >= recordCount) {
            throw new IllegalArgumentException("record " + record + " outside [0, " + recordCount + ")");
        }
        return timeline.recordOnset(record);
    }

    @Override
    public double[] read(int signal, long fromSample, int count) throws IOException {
        EdfSignalHeader s = signalHeader(signal);
        long[] range = clamp(signal, fromSample, count);
        double[] out = new double[(int) (range[1] - range[0])];
        double gain = s.gain();
        double offset = s.offset();
        int bps = header.format().bytesPerSample();
        records.visit(new int[] {headerIndex(signal)}, new long[] {range[0]}, new long[] {range[1]},
                (record, k, buf, pos, first, n) ->
                        SampleDecoder.toDouble(buf, pos, n, bps, gain, offset, out, (int) (first - range[0])));
        return out;
    }

    /** Reads samples of one signal in physical units as floats (half the memory of {@link #read}). */
    public float[] readFloats(int signal, long fromSample, int count) throws IOException {
        EdfSignalHeader s = signalHeader(signal);
        long[] range = clamp(signal, fromSample, count);
        float[] out = new float[(int) (range[1] - range[0])];
        double gain = s.gain();
        double offset = s.offset();
        int bps = header.format().bytesPerSample();
        records.visit(new int[] {headerIndex(signal)}, new long[] {range[0]}, new long[] {range[1]},
                (record, k, buf, pos, first, n) ->
                        SampleDecoder.toFloat(buf, pos, n, bps, gain, offset, out, (int) (first - range[0])));
        return out;
    }

    /** Reads a whole signal in physical units as floats. */
    public float[] readFloats(int signal) throws IOException {
        return readFloats(signal, 0, wholeLength(signal));
    }

    /** Reads the stored digital values of one signal (exact; physical = digital × gain + offset). */
    public int[] readDigital(int signal, long fromSample, int count) throws IOException {
        long[] range = clamp(signal, fromSample, count);
        int[] out = new int[(int) (range[1] - range[0])];
        int bps = header.format().bytesPerSample();
        records.visit(new int[] {headerIndex(signal)}, new long[] {range[0]}, new long[] {range[1]},
                (record, k, buf, pos, first, n) -> SampleDecoder.toDigital(buf, pos, n, bps, out, (int) (first - range[0])));
        return out;
    }

    /**
     * Reads every signal whole, in physical units as floats, in one pass over the file (faster
     * than reading the signals one by one, which reads the records once per signal).
     */
    public float[][] readAllFloats() throws IOException {
        int n = signals.size();
        float[][] out = new float[n][];
        double[] gain = new double[n];
        double[] offset = new double[n];
        long[] from = new long[n];
        long[] to = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = new float[wholeLength(i)];
            to[i] = out[i].length;
            gain[i] = signalHeader(i).gain();
            offset[i] = signalHeader(i).offset();
        }
        int bps = header.format().bytesPerSample();
        records.visit(headerIndex.clone(), from, to, (record, k, buf, pos, first, count) ->
                SampleDecoder.toFloat(buf, pos, count, bps, gain[k], offset[k], out[k], (int) first));
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return format() + " " + file + " (" + signals.size() + " signals, " + recordCount + " records of "
                + header.recordDuration() + " s, " + annotations.size() + " annotations)";
    }

    private int headerIndex(int signal) {
        if (signal < 0 || signal >= headerIndex.length) {
            throw new IllegalArgumentException("signal index " + signal + " outside [0, " + headerIndex.length
                    + ") for " + file);
        }
        return headerIndex[signal];
    }

    private long[] clamp(int signal, long fromSample, int count) {
        headerIndex(signal);
        long total = signals.get(signal).sampleCount();
        long from = Math.min(Math.max(0, fromSample), total);
        long to = Math.min(total, from + Math.max(0, count));
        return new long[] {from, to};
    }

    private int wholeLength(int signal) throws IOException {
        long n = signals.get(signal).sampleCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": signal '" + signals.get(signal).label() + "' has " + n
                    + " samples, more than one Java array holds; read it in ranges");
        }
        return (int) n;
    }
}

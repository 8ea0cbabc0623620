package ai.hypnos.core.edf;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An EDF/BDF header as parsed (or as the writer builds it), with the geometry of a data record.
 *
 * <p>A data record holds, signal after signal, {@code samplesPerRecord} samples of each signal
 * ({@link EdfFormat#bytesPerSample()} bytes each, little-endian two's complement). This class
 * knows where each signal starts inside a record; it does not know how many records the file
 * really holds (that needs the file size: see {@link EdfRecording#recordCount()}).
 */
public final class EdfHeader {
    /** Size of the fixed part of the header and of each signal's part. */
    public static final int BLOCK = 256;

    private final EdfFormat format;
    private final String patientId;
    private final String recordingId;
    private final LocalDateTime startTime;
    private final long recordCountField;
    private final double recordDuration;
    private final List<EdfSignalHeader> signals;
    private final long[] signalOffsets;
    private final long recordBytes;

    /**
     * @param format           the format variant
     * @param patientId        local patient identification field (trimmed)
     * @param recordingId      local recording identification field (trimmed)
     * @param startTime        start date and time from the header (whole seconds; EDF+ year rules applied)
     * @param recordCountField number of data records as written ({@code -1} = unknown)
     * @param recordDuration   duration of a data record in seconds ({@code 0} for annotation-only files)
     * @param signals          every signal, annotation signals included, in file order
     */
    public EdfHeader(EdfFormat format, String patientId, String recordingId, LocalDateTime startTime,
                     long recordCountField, double recordDuration, List<EdfSignalHeader> signals) {
        this.format = format;
        this.patientId = patientId;
        this.recordingId = recordingId;
        this.startTime = startTime;
        this.recordCountField = recordCountField;
        this.recordDuration = recordDuration;
        this.signals = List.copyOf(signals);
        this.signalOffsets = new long[this.signals.size()];
        long offset = 0;
        for (int i = 0; i < this.signals.size(); i++) {
            signalOffsets[i] = offset;
            offset += (long) this.signals.get(i).samplesPerRecord() * format.bytesPerSample();
        }
        this.recordBytes = offset;
    }

    public EdfFormat format() {
        return format;
    }

    public String patientId() {
        return patientId;
    }

    public String recordingId() {
        return recordingId;
    }

    /** Start date and time as the header states it, to the second (EDF+ sub-second offsets are applied by the recording). */
    public LocalDateTime startTime() {
        return startTime;
    }

    /** The "number of data records" field as written; {@code -1} means unknown. */
    public long recordCountField() {
        return recordCountField;
    }

    /** Seconds per data record. */
    public double recordDuration() {
        return recordDuration;
    }

    /** All signals in file order, annotation signals included. */
    public List<EdfSignalHeader> signals() {
        return signals;
    }

    /** Size of the whole header in bytes: 256 × (number of signals + 1). */
    public long headerBytes() {
        return (long) BLOCK * (signals.size() + 1);
    }

    /** Size of one data record in bytes. */
    public long recordBytes() {
        return recordBytes;
    }

    /** Byte offset of signal {@code i}'s samples inside a data record. */
    public long signalOffset(int i) {
        return signalOffsets[i];
    }

    /** Byte position in the file of data record {@code record}. */
    public long recordPosition(long record) {
        return headerBytes() + record * recordBytes;
    }
}

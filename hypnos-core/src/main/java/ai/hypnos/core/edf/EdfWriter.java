package ai.hypnos.core.edf;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.recording.Recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a {@link Recording} as EDF+C (16-bit) or, on request, BDF+C (24-bit), with its
 * annotations as TALs in an annotation signal.
 *
 * <pre>{@code
 * EdfWriter.write(Path.of("night.edf"), recording);
 * EdfWriter.write(Path.of("night.edf"), recording,
 *         new EdfWriter.Options().recordDuration(30).patient("P001", "F", null, "X"));
 * }</pre>
 *
 * <p>Samples are quantised to the digital range with the gain the reader will use, so reading
 * the file back gives each sample to within half a digital step (exactly, for a recording that
 * was itself read from an EDF whose ranges hold its data). Sub-second start times are kept in
 * the time-keeping TALs. Signals that end early are padded with the digital value closest to
 * physical zero up to the last full record. The file is written to a temporary file in the
 * target folder and renamed into place, so a failed write leaves nothing half-written.
 */
public final class EdfWriter {
    private static final Logger LOG = LoggerFactory.getLogger(EdfWriter.class);
    private static final int BLOCK_BYTES = 4 << 20;

    private EdfWriter() {
    }

    /** Writes EDF+C with the default {@link Options}. */
    public static void write(Path out, Recording recording) throws IOException {
        write(out, recording, new Options());
    }

    /** Writes EDF+C (or BDF+C) as {@code options} say. */
    public static void write(Path out, Recording recording, Options options) throws IOException {
        EdfLayout layout = EdfLayout.of(recording, options);
        try (AtomicFile file = AtomicFile.create(out)) {
            writeFully(file.channel(), ByteBuffer.wrap(EdfHeaderWriter.encode(layout.header)));
            writeRecords(file.channel(), recording, layout);
            file.commit();
        }
        LOG.debug("wrote {}: {} records of {} s", out, layout.header.recordCountField(), layout.header.recordDuration());
    }

    private static void writeRecords(FileChannel ch, Recording recording, EdfLayout layout) throws IOException {
        EdfHeader h = layout.header;
        long records = h.recordCountField();
        int recordBytes = (int) Math.min(Integer.MAX_VALUE - 8, h.recordBytes());
        if (h.recordBytes() != recordBytes) {
            throw new IllegalArgumentException("data records of " + h.recordBytes() + " bytes are too large to write");
        }
        int perBlock = (int) Math.max(1, Math.min(records, BLOCK_BYTES / recordBytes));
        byte[] buf = new byte[perBlock * recordBytes];
        int bps = h.format().bytesPerSample();
        int annotationSignal = layout.signalCount;
        long nanNotices = 0;
        for (long r = 0; r < records; r += perBlock) {
            int n = (int) Math.min(perBlock, records - r);
            for (int i = 0; i < layout.signalCount; i++) {
                EdfSignalHeader s = h.signals().get(i);
                int spr = s.samplesPerRecord();
                double[] x = recording.read(i, r * spr, n * spr);
                SampleEncoder enc = new SampleEncoder(s, bps);
                for (int q = 0; q < n; q++) {
                    int pos = q * recordBytes + (int) h.signalOffset(i);
                    for (int j = 0; j < spr; j++) {
                        int idx = q * spr + j;
                        double v = idx < x.length ? x[idx] : 0;
                        nanNotices += Double.isNaN(v) ? 1 : 0;
                        enc.put(buf, pos + j * bps, v);
                    }
                }
            }
            for (int q = 0; q < n; q++) {
                byte[] tals = layout.annotationBlock(r + q);
                System.arraycopy(tals, 0, buf, q * recordBytes + (int) h.signalOffset(annotationSignal), tals.length);
            }
            writeFully(ch, ByteBuffer.wrap(buf, 0, n * recordBytes));
        }
        if (nanNotices > 0) {
            LOG.warn("{} NaN samples written as the digital value closest to physical zero", nanNotices);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Physical → digital with the reader's gain and offset, rounded and clamped; NaN → closest to zero. */
    private static final class SampleEncoder {
        private final double gain;
        private final double offset;
        private final long min;
        private final long max;
        private final int bps;

        SampleEncoder(EdfSignalHeader s, int bps) {
            this.gain = s.gain();
            this.offset = s.offset();
            this.min = s.digitalMin();
            this.max = s.digitalMax();
            this.bps = bps;
        }

        void put(byte[] b, int pos, double v) {
            double d = Math.rint(((Double.isNaN(v) ? 0 : v) - offset) / gain);
            long q = d <= min ? min : d >= max ? max : (long) d;
            b[pos] = (byte) q;
            b[pos + 1] = (byte) (q >> 8);
            if (bps == 3) {
                b[pos + 2] = (byte) (q >> 16);
            }
        }
    }

    /**
     * Writer settings. Unset items keep their defaults: record duration chosen from the rates
     * (1 s when it fits), EDF (16-bit), identification items unknown ({@code X}), physical
     * ranges from the data.
     */
    public static final class Options {
        private double recordDuration = Double.NaN;
        private boolean bdf;
        private String patientCode = "X";
        private String sex = "X";
        private LocalDate birthdate;
        private String patientName = "X";
        private String adminCode = "X";
        private String technician = "X";
        private String equipment = "X";
        private final Map<String, double[]> physicalRanges = new HashMap<>();

        /** Duration of a data record in seconds; every rate × duration must be a whole number. */
        public Options recordDuration(double seconds) {
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("record duration must be positive, got " + seconds);
            }
            this.recordDuration = seconds;
            return this;
        }

        /** Writes BDF+C with 24-bit samples instead of 16-bit EDF+C. */
        public Options bdf(boolean bdf) {
            this.bdf = bdf;
            return this;
        }

        /** EDF+ patient identification: code, sex ({@code M}, {@code F} or {@code X}), birthdate (may be null), name. */
        public Options patient(String code, String sex, LocalDate birthdate, String name) {
            this.patientCode = code;
            this.sex = sex;
            this.birthdate = birthdate;
            this.patientName = name;
            return this;
        }

        /** EDF+ recording identification: hospital administration code, technician, equipment. */
        public Options recording(String adminCode, String technician, String equipment) {
            this.adminCode = adminCode;
            this.technician = technician;
            this.equipment = equipment;
            return this;
        }

        /** Physical range of the signal with this label (values outside are clipped). */
        public Options physicalRange(String label, double min, double max) {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("physical range of '" + label + "' must be finite with min < max");
            }
            physicalRanges.put(label, new double[] {min, max});
            return this;
        }

        double recordDuration() {
            return recordDuration;
        }

        boolean bdf() {
            return bdf;
        }

        String patientCode() {
            return patientCode;
        }

        String sex() {
            return sex;
        }

        LocalDate birthdate() {
            return birthdate;
        }

        String patientName() {
            return patientName;
        }

        String adminCode() {
            return adminCode;
        }

        String technician() {
            return technician;
        }

        String equipment() {
            return equipment;
        }

        Map<String, double[]> physicalRanges() {
            return physicalRanges;
        }
    }
}

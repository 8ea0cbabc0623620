package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.SharedReadChannel;
import ai.hypnos.core.recording.Annotation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Opens EDF, EDF+ (C and D), BDF and BDF+ files.
 *
 * <pre>{@code
 * try (EdfRecording rec = EdfReader.open(Path.of("night.edf"))) {
 *     int c3 = rec.indexOf("EEG C3-M2").orElseThrow();
 *     double[] epoch = rec.readSeconds(c3, 3600, 30);   // one 30-s epoch, physical units
 * }
 * }</pre>
 *
 * <p>Opening reads and validates the header and parses the annotation signals; samples stay on
 * disk until read. A file that breaks the format gives a {@link HypnosFormatException} naming
 * the file, the field and the value. Files that are odd but unambiguous (record count -1 or 0
 * while data follow, a truncated last record, non-ASCII units...) open with warnings, logged
 * and returned by {@link EdfRecording#warnings()}.
 */
public final class EdfReader {
    private static final Logger LOG = LoggerFactory.getLogger(EdfReader.class);

    private EdfReader() {
    }

    /** Opens a file; the caller closes the returned recording. */
    public static EdfRecording open(Path file) throws IOException {
        return open(file, DataRecords.CHUNK_BYTES);
    }

    /** Opens with a given read-buffer bound (tests use tiny ones to exercise record slicing). */
    static EdfRecording open(Path file, int chunkBytes) throws IOException {
        SharedReadChannel channel = SharedReadChannel.open(file);
        try {
            List<String> warnings = new ArrayList<>();
            long size = channel.size();
            EdfHeader header = EdfHeaderParser.parse(file, channel, size, warnings);
            long records = recordCount(file, header, size, warnings);
            EdfAnnotationScanner.Result scan = EdfAnnotationScanner.scan(file, channel, header, records);
            EdfTimeline timeline = EdfTimeline.of(file, header, records, scan.timekeeping(), warnings);
            List<Annotation> annotations = new ArrayList<>(scan.annotations().size());
            for (Annotation a : scan.annotations()) {
                annotations.add(new Annotation(a.onset() - timeline.startOffset(), a.duration(), a.text()));
            }
            annotations.sort(Comparator.comparingDouble(Annotation::onset)); // stable: ties keep file order
            for (String w : warnings) {
                LOG.warn("{}: {}", file, w);
            }
            return new EdfRecording(file, channel, header, records, timeline, annotations, warnings, chunkBytes);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The number of complete data records, from the header field checked against the file size.
     * A count of -1 (unknown) or 0 while data follow is derived from the size; a last record cut
     * short (or one missing) is dropped; more than one missing record means a truncated file.
     */
    static long recordCount(Path file, EdfHeader header, long fileSize, List<String> warnings)
            throws HypnosFormatException {
        long dataBytes = fileSize - header.headerBytes();
        long recordBytes = header.recordBytes();
        long complete = dataBytes / recordBytes;
        long partial = dataBytes % recordBytes;
        long declared = header.recordCountField();
        long count;
        if (declared == -1 || (declared == 0 && complete > 0)) {
            count = complete;
            warnings.add("header gives " + declared + " data records; derived " + complete
                    + " from the file size (" + dataBytes + " data bytes / " + recordBytes + " bytes per record)");
            if (partial > 0) {
                warnings.add("last data record is incomplete (" + partial + " of " + recordBytes + " bytes); dropped");
            }
        } else if (complete >= declared) {
            count = declared;
            long extra = dataBytes - declared * recordBytes;
            if (extra > 0) {
                warnings.add(extra + " bytes after the last of " + declared + " data records ignored");
            }
        } else if (declared - complete == 1) {
            count = complete;
            warnings.add("header gives " + declared + " data records but the file holds " + complete
                    + (partial > 0 ? " and " + partial + " bytes of an incomplete one" : "")
                    + "; the last record is dropped");
        } else {
            throw new HypnosFormatException(file, "number of data records", declared, "the file holds only "
                    + complete + " complete records (" + dataBytes + " data bytes, " + recordBytes
                    + " bytes per record): truncated by " + (declared - complete) + " records");
        }
        if (count > Integer.MAX_VALUE && header.signals().stream().anyMatch(EdfSignalHeader::annotation)) {
            throw new HypnosFormatException(file, "number of data records", count,
                    "more records than this reader indexes with annotation signals");
        }
        return count;
    }
}

package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static ai.hypnos.core.edf.EdfTestSupport.RECORD_COUNT;
import static ai.hypnos.core.edf.EdfTestSupport.RECORD_DURATION;
import static ai.hypnos.core.edf.EdfTestSupport.SIGNAL_COUNT;
import static ai.hypnos.core.edf.EdfTestSupport.signalField;
import static ai.hypnos.core.edf.EdfTestSupport.withField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of broken files, made from valid ones (our writer's and the numpy-crafted fixtures):
 * each must give a {@link HypnosFormatException} whose message names the file, the field and
 * the value; files that are odd but unambiguous must open with a warning.
 */
class EdfMalformedTest {
    private static final int NS = 5; // 4 signals + the annotation signal
    private static final int RECORDS = 10;

    @TempDir
    Path dir;
    private byte[] valid;
    private long recordBytes;
    private long annotationPos; // file offset of the annotation signal in record 0

    @BeforeEach
    void writeValidFile() throws IOException {
        Path p = dir.resolve("valid.edf");
        EdfWriter.write(p, EdfTestSupport.mixedRates(RECORDS, 7));
        valid = Files.readAllBytes(p);
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(NS, rec.header().signals().size());
            recordBytes = rec.header().recordBytes();
            annotationPos = rec.header().recordPosition(0) + rec.header().signalOffset(NS - 1);
        }
    }

    // ---- sizes ----

    @Test
    void truncatedData() throws IOException {
        byte[] cut = Arrays.copyOf(valid, (int) (valid.length - 3 * recordBytes - 10));
        expect(cut, "number of data records", "10", "truncated by 4 records");
    }

    @Test
    void lastRecordCutShortIsDroppedWithAWarning() throws IOException {
        byte[] cut = Arrays.copyOf(valid, (int) (valid.length - recordBytes / 2));
        try (EdfRecording rec = EdfReader.open(save(cut))) {
            assertEquals(RECORDS - 1, rec.recordCount());
            assertEquals(1, rec.warnings().size());
            assertTrue(rec.warnings().get(0).contains("the last record is dropped"), rec.warnings().get(0));
            assertEquals((RECORDS - 1) * 256, rec.read(0).length);
        }
    }

    @Test
    void unknownRecordCountWithPartialRecord() throws IOException {
        byte[] b = withField(Arrays.copyOf(valid, valid.length - 7), RECORD_COUNT, 8, "-1");
        try (EdfRecording rec = EdfReader.open(save(b))) {
            assertEquals(RECORDS - 1, rec.recordCount());
            assertEquals(2, rec.warnings().size(), rec.warnings().toString());
            assertTrue(rec.warnings().get(0).contains("header gives -1 data records; derived 9"));
            assertTrue(rec.warnings().get(1).contains("incomplete"));
        }
    }

    @Test
    void trailingBytesAreIgnoredWithAWarning() throws IOException {
        byte[] b = Arrays.copyOf(valid, valid.length + 5);
        try (EdfRecording rec = EdfReader.open(save(b))) {
            assertEquals(RECORDS, rec.recordCount());
            assertTrue(rec.warnings().get(0).contains("5 bytes after the last"));
        }
    }

    @Test
    void truncatedHeader() throws IOException {
        expect(Arrays.copyOf(valid, 100), "header", "100 bytes", "shorter than the 256-byte fixed header");
        expect(Arrays.copyOf(valid, 700), "number of signals", "5", "truncated header");
    }

    @Test
    void headerClaimsMoreSignalsThanItHas() throws IOException {
        expect(withField(valid, SIGNAL_COUNT, 4, "9999"), "number of signals", "9999", "needs a header of 2560000 bytes");
        expect(withField(valid, SIGNAL_COUNT, 4, "6"), "number of bytes in header", "1536", "256 x (number of signals + 1) = 1792");
        byte[] shifted = withField(withField(valid, SIGNAL_COUNT, 4, "6"), 184, 8, "1792");
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> EdfReader.open(save(shifted)));
        assertTrue(e.getMessage().contains("signal "), e.getMessage()); // per-signal fields no longer line up
    }

    @Test
    void absurdRecordCounts() throws IOException {
        expect(withField(valid, RECORD_COUNT, 8, "-5"), "number of data records", "-5", "must be -1");
        expect(withField(valid, RECORD_COUNT, 8, "99999999"), "number of data records", "99999999", "holds only 10 complete records");
        expect(withField(valid, RECORD_COUNT, 8, "12"), "number of data records", "12", "truncated by 2 records");
    }

    @Test
    void absurdSampleCounts() throws IOException {
        int spr = signalField(NS, 8, 1);
        expect(withField(valid, spr, 8, "0"), "signal 2 ('ECG') number of samples in each data record", "0", "at least 1");
        expect(withField(valid, spr, 8, "-128"), "signal 2 ('ECG') number of samples in each data record", "-128", "at least 1");
        expect(withField(valid, spr, 8, "99999999"), "number of data records", "10", "holds only 0 complete records");
        int annSpr = signalField(NS, 8, NS - 1);
        expect(withField(valid, annSpr, 8, "40000000"), "number of data records", "10", "holds only 0 complete records");
    }

    // ---- fields ----

    @Test
    void nonNumericFields() throws IOException {
        expect(withField(valid, RECORD_COUNT, 8, "ten"), "number of data records", "ten", "not an integer");
        expect(withField(valid, RECORD_DURATION, 8, "1.0.0"), "duration of a data record", "1.0.0", "not a number");
        expect(withField(valid, RECORD_DURATION, 8, ""), "duration of a data record", "        ", "empty");
        expect(withField(valid, SIGNAL_COUNT, 4, "x5"), "number of signals", "x5", "not an integer");
        expect(withField(valid, signalField(NS, 3, 1), 8, "12a"), "signal 2 ('ECG') physical minimum", "12a", "not a number");
        expect(withField(valid, signalField(NS, 4, 0), 8, "NaN"), "signal 1 ('EEG C3-M2') physical maximum", "NaN", "not a number");
        expect(withField(valid, signalField(NS, 6, 2), 8, "3e4"), "signal 3 ('Resp Abdomen') digital maximum", "3e4", "not an integer");
        expect(withField(valid, 184, 8, "1536x"), "number of bytes in header", "1536x", "not an integer");
    }

    @Test
    void scalingFields() throws IOException {
        expect(withField(valid, signalField(NS, 5, 0), 8, "32767"), "signal 1 ('EEG C3-M2') digital minimum", "32767",
                "smaller than the digital maximum 32767");
        expect(withField(valid, signalField(NS, 5, 0), 8, "40000"), "signal 1 ('EEG C3-M2') digital minimum", "40000",
                "outside the 16-bit range");
        expect(withField(valid, signalField(NS, 6, 3), 8, "-40000"), "signal 4 ('SpO2') digital maximum", "-40000",
                "outside the 16-bit range");
        byte[] b = withField(withField(valid, signalField(NS, 3, 1), 8, "5"), signalField(NS, 4, 1), 8, "5");
        expect(b, "signal 2 ('ECG') physical minimum", "5.0", "equals the physical maximum");
    }

    @Test
    void durationsAndVersions() throws IOException {
        expect(withField(valid, RECORD_DURATION, 8, "-1"), "duration of a data record", "-1.0", "negative");
        expect(withField(valid, RECORD_DURATION, 8, "0"), "duration of a data record", "0", "only for annotation-only files");
        expect(withField(valid, 0, 8, "1"), "version", "1", "expected '0'");
        byte[] bdf = valid.clone();
        bdf[0] = (byte) 0xff;
        System.arraycopy("BIOSEMX".getBytes(StandardCharsets.US_ASCII), 0, bdf, 1, 7);
        expect(bdf, "version", "0xFFBIOSEMX", "BIOSEMI");
        expect(withField(valid, EdfTestSupport.RESERVED, 44, "EDF+X"), "reserved", "EDF+X", "EDF+C' or 'EDF+D");
        expect(withField(valid, EdfTestSupport.RESERVED, 44, "BDF+C"), "reserved", "BDF+C", "other format family");
    }

    @Test
    void datesAndTimes() throws IOException {
        // An EDF+ recording field with a valid date rescues a broken header date (with a warning)...
        try (EdfRecording rec = EdfReader.open(save(withField(valid, EdfTestSupport.START_DATE, 8, "32.13.23")))) {
            assertTrue(rec.warnings().get(0).contains("not a calendar date"), rec.warnings().toString());
        }
        // ...a plain EDF has none.
        byte[] plain = withField(valid, EdfTestSupport.RESERVED, 44, "");
        expect(withField(plain, EdfTestSupport.START_DATE, 8, "32.13.23"), "startdate", "32.13.23", "not a calendar date");
        expect(withField(plain, EdfTestSupport.START_DATE, 8, "ab.cd.ef"), "startdate", "ab.cd.ef", "non-digit");
        expect(withField(plain, EdfTestSupport.START_DATE, 8, "1.1.2001"), "startdate", "1.1.2001", "separators");
        expect(withField(plain, EdfTestSupport.START_TIME, 8, "25.00.00"), "starttime", "25.00.00", "not a time of day");
        expect(withField(plain, EdfTestSupport.START_DATE, 8, "01.01.yy"), "startdate", "01.01.yy", "year given as 'yy'");
    }

    // ---- TALs ----

    @Test
    void badTals() throws IOException {
        // Record 2's time-keeping TAL is "+2.375\x14\x14\x00" (sub-second start 0.375 s).
        int tk = (int) (annotationPos + 2 * recordBytes);
        assertEquals("+2.375", new String(valid, tk, 6, StandardCharsets.US_ASCII));
        String where = "annotation signal 5 ('EDF Annotations') in data record 2";
        // The value named is the offending part: the onset, the duration or the whole TAL.
        expect(patch(tk, "+2.375\u0000"), where, "+2.375", "no 0x14 after its onset");
        expect(patch(tk, "+2x375"), where, "+2x375", "onset is not a number");
        expect(patch(tk, "2.3755"), where, "2.3755", "must start with '+' or '-'");
        expect(patch(tk, "+\u0014\u0014"), where, "+", "no digits");
        expect(patch(tk, "+2.375\u0015-1\u0014\u0014"), where, "-1", "duration is not a number");
        expect(patch(tk, "+2.375\u0014A"), where, "+2.375\\x14A", "must end with 0x14");
        byte[] unterminated = valid.clone();
        int end = (int) (annotationPos + 3 * recordBytes) - 1;
        Arrays.fill(unterminated, tk, end + 1, (byte) 'x');
        unterminated[tk] = '+';
        expect(unterminated, where, "+xxxxx", "not terminated by a 0x00");
    }

    @Test
    void discontinuousRecordsGoingBackwards() throws IOException {
        byte[] d = Files.readAllBytes(EdfTestSupport.resource("edf_plus_d.edf", dir));
        try (EdfRecording rec = EdfReader.open(EdfTestSupport.resource("edf_plus_d.edf", dir))) {
            int pos = (int) (rec.header().recordPosition(4) + rec.header().signalOffset(2));
            assertEquals("+12\u0014", new String(d, pos, 4, StandardCharsets.US_ASCII));
            byte[] back = d.clone();
            back[pos + 1] = '0';
            expect(back, "time-keeping TAL of data record 4", "2.0", "starts before the previous one ends");
            byte[] missing = d.clone();
            System.arraycopy("+12\u0014X\u0014\u0000".getBytes(StandardCharsets.US_ASCII), 0, missing, pos, 7);
            expect(missing, "time-keeping TAL of data record 4", "missing", "must start with '+onset");
        }
    }

    private byte[] patch(int offset, String ascii) {
        byte[] b = valid.clone();
        byte[] v = ascii.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(v, 0, b, offset, v.length);
        return b;
    }

    private int files;

    private Path save(byte[] bytes) throws IOException {
        return EdfTestSupport.write(dir, "broken-" + (files++) + ".edf", bytes);
    }

    /** Opening (and reading) must fail with a message naming file, field and value. */
    private void expect(byte[] bytes, String field, String value, String problem) throws IOException {
        Path p = save(bytes);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> {
            try (EdfRecording rec = EdfReader.open(p)) {
                rec.readAllFloats();
            }
        });
        assertEquals(p, e.file());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.value().startsWith(value), "value '" + e.value() + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString() + ": field '" + field + "' = '"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "'" + problem + "' in: " + e.getMessage());
    }
}

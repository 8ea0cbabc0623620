package ai.hypnos.core.edf;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writer → reader. Samples must come back exactly as the quantiser predicts: digital value
 * {@code rint((x - offset) / gain)} (clamped), physical {@code digital * gain + offset}, so
 * within half a digital step of the input.
 */
class EdfRoundTripTest {

    @Test
    void mixedRatesSubSecondStartAndUtf8Annotations(@TempDir Path dir) throws Exception {
        InMemoryRecording src = EdfTestSupport.mixedRates(60, 1);
        Path p = dir.resolve("mixed.edf");
        EdfWriter.write(p, src);
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals("EDF+C", rec.format());
            assertEquals(List.of(), rec.warnings());
            assertEquals(1.0, rec.header().recordDuration(), "1 s fits 256/128/32/1 Hz");
            assertEquals(60, rec.recordCount());
            assertEquals(src.startTime(), rec.startTime(), "sub-second start kept through the time-keeping TAL");
            assertEquals(LocalDateTime.of(2023, 11, 5, 22, 47, 13), rec.header().startTime());
            assertEquals("X X X X", rec.header().patientId());
            assertEquals("Startdate 05-NOV-2023 X X X", rec.header().recordingId());
            assertQuantisedCopy(src, rec);
            assertAnnotations(src.annotations(), rec.annotations());
            assertEquals(List.of(new Segment(0, 60, 0, 60)), rec.segments());
            assertEquals(59.0, rec.recordOnset(59));
        }
    }

    @Test
    void halfSecondRecordsFromOptions(@TempDir Path dir) throws Exception {
        InMemoryRecording src = InMemoryRecording.builder()
                .signal("EEG", "uV", 200, ramp(200 * 7, 0.37))
                .signal("Resp", "uV", 100, ramp(100 * 7, -1.9))
                .signal("Pos", "", 2, ramp(2 * 7, 40))
                .annotation(new Annotation(6.75, 0.25, "last half-second"))
                .build();
        Path p = dir.resolve("half.edf");
        EdfWriter.write(p, src, new EdfWriter.Options().recordDuration(0.5));
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(0.5, rec.header().recordDuration());
            assertEquals(14, rec.recordCount());
            assertEquals(List.of(100, 50, 1, rec.header().signals().get(3).samplesPerRecord()),
                    rec.header().signals().stream().map(EdfSignalHeader::samplesPerRecord).toList());
            assertEquals(2.0, rec.signals().get(2).sampleRate());
            assertQuantisedCopy(src, rec);
            assertAnnotations(src.annotations(), rec.annotations());
            assertEquals(6.5, rec.recordOnset(13));
        }
    }

    @Test
    void fractionalRatesChooseLongerRecords(@TempDir Path dir) throws Exception {
        InMemoryRecording src = InMemoryRecording.builder()
                .signal("Temp", "degC", 0.5, ramp(60, 0.01))
                .signal("Light", "lx", 1.0 / 30, ramp(4, 100))
                .signal("EEG", "uV", 100, ramp(12000, 0.5))
                .build();
        Path p = dir.resolve("slow.edf");
        EdfWriter.write(p, src);
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(30.0, rec.header().recordDuration(), "the shortest candidate holding 1/30 Hz");
            assertEquals(4, rec.recordCount());
            assertEquals(1.0 / 30, rec.signals().get(1).sampleRate(), 1e-15);
            assertQuantisedCopy(src, rec);
        }
        assertThrows(IllegalArgumentException.class,
                () -> EdfWriter.write(dir.resolve("bad.edf"), src, new EdfWriter.Options().recordDuration(1)));
    }

    @Test
    void identificationFieldsAndBdf(@TempDir Path dir) throws Exception {
        InMemoryRecording src = EdfTestSupport.mixedRates(10, 2);
        Path p = dir.resolve("ids.bdf");
        EdfWriter.write(p, src, new EdfWriter.Options().bdf(true)
                .patient("P 001", "F", LocalDate.of(1950, 3, 2), "Jane Doe")
                .recording("ADM-1", "tech x", "Somno HD"));
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals("BDF+C", rec.format());
            assertEquals("P_001 F 02-MAR-1950 Jane_Doe", rec.header().patientId());
            assertEquals("Startdate 05-NOV-2023 ADM-1 tech_x Somno_HD", rec.header().recordingId());
            assertEquals(-8388608.0, rec.signals().get(0).digitalMin());
            assertQuantisedCopy(src, rec);
            assertAnnotations(src.annotations(), rec.annotations());
        }
    }

    @Test
    void rewritingIsExactAtDigitalResolution(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.edf");
        Path second = dir.resolve("second.edf");
        EdfWriter.write(first, EdfTestSupport.mixedRates(20, 3));
        try (EdfRecording a = EdfReader.open(first)) {
            EdfWriter.write(second, a);
            try (EdfRecording b = EdfReader.open(second)) {
                for (int i = 0; i < a.signals().size(); i++) {
                    assertEquals(a.signalHeader(i), b.signalHeader(i));
                    assertArrayEquals(a.readDigital(i, 0, Integer.MAX_VALUE), b.readDigital(i, 0, Integer.MAX_VALUE));
                    assertArrayEquals(a.read(i), b.read(i));
                }
                assertEquals(a.annotations(), b.annotations());
                assertEquals(a.startTime(), b.startTime());
            }
        }
    }

    /** An EDF written by EDFlib, copied through our writer: same digital samples, same annotations. */
    @Test
    void copiesAnIndependentEdfExactly(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("copy.edf");
        try (EdfRecording src = EdfReader.open(TestData.path("edf/test_generator_2.edf"))) {
            EdfWriter.write(copy, src);
            try (EdfRecording rec = EdfReader.open(copy)) {
                for (int i = 0; i < src.signals().size(); i++) {
                    assertArrayEquals(src.readDigital(i, 0, Integer.MAX_VALUE), rec.readDigital(i, 0, Integer.MAX_VALUE),
                            src.signals().get(i).label());
                }
                assertEquals(src.annotations(), rec.annotations());
                assertEquals(src.startTime(), rec.startTime());
            }
        }
    }

    @Test
    void annotationOnlyRecordingRoundTrips(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("scoring.edf");
        try (EdfRecording src = EdfReader.open(TestData.path("edf/hmc_sn001_scoring.edf"))) {
            EdfWriter.write(copy, src);
            try (EdfRecording rec = EdfReader.open(copy)) {
                assertEquals(0, rec.signals().size());
                assertEquals(0.0, rec.header().recordDuration());
                assertEquals(1, rec.recordCount());
                assertEquals(src.annotations(), rec.annotations());
                assertEquals(src.startTime(), rec.startTime());
                assertEquals(List.of(), rec.warnings());
            }
        }
    }

    @Test
    void yearsOutsideTheClippingWindowLiveInTheRecordingField(@TempDir Path dir) throws Exception {
        for (int year : new int[] {1975, 1985, 2084, 2090}) {
            LocalDateTime start = LocalDateTime.of(year, 7, 14, 3, 4, 5);
            InMemoryRecording src = InMemoryRecording.builder().start(start).signal("X", "", 1, ramp(3, 1)).build();
            Path p = dir.resolve(year + ".edf");
            EdfWriter.write(p, src);
            String date = new String(Files.readAllBytes(p), EdfTestSupport.START_DATE, 8, java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(year < 1985 || year > 2084 ? "14.07.yy" : "14.07." + String.format("%02d", year % 100), date);
            try (EdfRecording rec = EdfReader.open(p)) {
                assertEquals(start, rec.startTime());
            }
        }
    }

    @Test
    void shortSignalsArePaddedConstantsAndNaNsHandled(@TempDir Path dir) throws Exception {
        double[] flat = new double[250];
        Arrays.fill(flat, 37.5);
        double[] withNaN = ramp(100, 1);
        withNaN[10] = Double.NaN;
        InMemoryRecording src = InMemoryRecording.builder()
                .signal("long", "uV", 100, ramp(300, 2))
                .signal("short", "uV", 100, flat)
                .signal("nan", "uV", 100, withNaN)
                .build();
        Path p = dir.resolve("pad.edf");
        EdfWriter.write(p, src);
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(3, rec.recordCount());
            double[] s = rec.read(1);
            assertEquals(300, s.length, "padded to whole records");
            double step = rec.signalHeader(1).gain();
            for (int i = 0; i < 250; i++) {
                assertEquals(37.5, s[i], step / 2 + 1e-12);
            }
            assertTrue(rec.signalHeader(1).physicalMin() < 37.5 && rec.signalHeader(1).physicalMax() > 37.5);
            double[] n = rec.read(2);
            assertEquals(0.0, n[10], rec.signalHeader(2).gain(), "NaN written as physical zero's digital value");
        }
    }

    @Test
    void infiniteSamplesAreClampedAndTheRangeComesFromTheFiniteOnes(@TempDir Path dir) throws Exception {
        double[] x = ramp(200, 0.5); // finite values from about -1 to 100.5
        x[20] = Double.POSITIVE_INFINITY;
        x[21] = Double.NEGATIVE_INFINITY;
        double finiteMin = Double.POSITIVE_INFINITY;
        double finiteMax = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            if (Double.isFinite(v)) {
                finiteMin = Math.min(finiteMin, v);
                finiteMax = Math.max(finiteMax, v);
            }
        }
        Path p = dir.resolve("inf.edf");
        EdfWriter.write(p, InMemoryRecording.builder().signal("inf", "uV", 100, x).build());
        try (EdfRecording rec = EdfReader.open(p)) {
            EdfSignalHeader h = rec.signalHeader(0);
            // The range encloses the finite samples, tightly (8-character bounds, not ±huge).
            assertTrue(h.physicalMin() <= finiteMin && h.physicalMin() > finiteMin - 1e-3, "min " + h.physicalMin());
            assertTrue(h.physicalMax() >= finiteMax && h.physicalMax() < finiteMax + 1e-3, "max " + h.physicalMax());
            int[] d = rec.readDigital(0, 0, 200);
            assertEquals(h.digitalMax(), d[20], "+Infinity clamped to the top of the range");
            assertEquals(h.digitalMin(), d[21], "-Infinity clamped to the bottom");
            double[] y = rec.read(0);
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i])) {
                    assertEquals(x[i], y[i], h.gain() / 2 + 1e-12, "sample " + i);
                }
            }
        }
    }

    @Test
    void startOffsetsBeyondTheNanosecondsOfALongKeepTheirTime(@TempDir Path dir) throws Exception {
        // Record 0's time-keeping TAL says the data begin 9.3e9 s (~295 years) after the header
        // time: allowed by the parser (< 1e10 s), but 9.3e18 ns overflow a long.
        LocalDateTime header = LocalDateTime.of(2000, 1, 1, 0, 0);
        InMemoryRecording src = InMemoryRecording.builder().start(header)
                .signal("x", "uV", 10, ramp(40, 1))
                .annotation(new Annotation(3.5, Double.NaN, "a long text that leaves room in every record's TAL block"))
                .build();
        Path p = dir.resolve("late.edf");
        EdfWriter.write(p, src);
        byte[] b = Files.readAllBytes(p);
        int tk;
        try (EdfRecording rec = EdfReader.open(p)) {
            tk = (int) (rec.header().recordPosition(0) + rec.header().signalOffset(1));
        }
        String written = "+0\u0014\u0014\u0000";
        assertEquals(written, new String(b, tk, written.length(), java.nio.charset.StandardCharsets.US_ASCII));
        byte[] late = "+9300000000.25\u0014\u0014\u0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(late, 0, b, tk, late.length);
        Files.write(p, b);
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(header.plusSeconds(9_300_000_000L).plusNanos(250_000_000), rec.startTime());
        }
    }

    @Test
    void failedWriteLeavesTheTargetUntouched(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("keep.edf");
        EdfWriter.write(p, EdfTestSupport.mixedRates(5, 4));
        byte[] before = Files.readAllBytes(p);
        Recording failing = new FailingRecording(EdfTestSupport.mixedRates(5, 5));
        IOException e = assertThrows(IOException.class, () -> EdfWriter.write(p, failing));
        assertTrue(e.getMessage().contains("disk gone"));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file left behind");
        }
        EdfWriter.write(p, EdfTestSupport.mixedRates(6, 6));
        try (EdfRecording rec = EdfReader.open(p)) {
            assertEquals(6, rec.recordCount(), "a successful write replaces the file");
        }
    }

    @Test
    void badRangesInTheOptionsNameTheSignal(@TempDir Path dir) {
        // ±Infinity never gets into the options: refused where it is given, naming the label.
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> new EdfWriter.Options().physicalRange("EEG C3", Double.NEGATIVE_INFINITY, 1));
        assertTrue(inf.getMessage().contains("'EEG C3'"), inf.getMessage());
        // Finite but wider than EDF's 8-character fields: refused at the write, naming the signal.
        Recording src = InMemoryRecording.builder().signal("EEG C3", "uV", 100, new double[200])
                .signal("ECG", "mV", 100, new double[200]).build();
        Path p = dir.resolve("wide.edf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EdfWriter.write(p, src, new EdfWriter.Options().physicalRange("ECG", -1e300, 1)));
        assertTrue(e.getMessage().contains("signal 'ECG'") && e.getMessage().contains("1.0E300"), e.getMessage());
        assertTrue(Files.notExists(p));
    }

    /** Checks every sample against the quantiser's prediction and the half-step error bound. */
    static void assertQuantisedCopy(Recording src, EdfRecording rec) throws IOException {
        assertEquals(src.signals().size(), rec.signals().size());
        for (int i = 0; i < src.signals().size(); i++) {
            SignalInfo a = src.signals().get(i);
            SignalInfo b = rec.signals().get(i);
            assertEquals(a.label(), b.label());
            assertEquals(a.unit().replace("µ", "u"), b.unit());
            assertEquals(a.sampleRate(), b.sampleRate(), 1e-12 * a.sampleRate());
            assertEquals(a.sampleCount(), b.sampleCount());
            double[] x = src.read(i);
            double[] y = rec.read(i);
            int[] d = rec.readDigital(i, 0, Integer.MAX_VALUE);
            EdfSignalHeader h = rec.signalHeader(i);
            double gain = h.gain();
            double offset = h.offset();
            assertTrue(h.physicalMin() <= Arrays.stream(x).min().orElseThrow(), "physical min encloses the data");
            assertTrue(h.physicalMax() >= Arrays.stream(x).max().orElseThrow(), "physical max encloses the data");
            for (int k = 0; k < x.length; k++) {
                long expected = Math.max(h.digitalMin(), Math.min(h.digitalMax(), (long) Math.rint((x[k] - offset) / gain)));
                if (d[k] != expected) {
                    throw new AssertionError(a.label() + " sample " + k + ": digital " + d[k] + ", quantiser gives " + expected);
                }
                if (y[k] != d[k] * gain + offset || Math.abs(y[k] - x[k]) > gain / 2 * (1 + 1e-9)) {
                    throw new AssertionError(a.label() + " sample " + k + ": " + y[k] + " vs " + x[k] + " (step " + gain + ")");
                }
            }
        }
    }

    static void assertAnnotations(List<Annotation> expected, List<Annotation> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).onset(), actual.get(i).onset(), 1e-9);
            assertEquals(expected.get(i).duration(), actual.get(i).duration(), 1e-12);
            assertEquals(expected.get(i).text(), actual.get(i).text());
        }
    }

    static double[] ramp(int n, double step) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * step + Math.sin(i * 0.37);
        }
        return x;
    }

    /** A recording whose third block read fails, as a disk or network error would. */
    private static final class FailingRecording implements Recording {
        private final Recording inner;
        private int reads;

        FailingRecording(Recording inner) {
            this.inner = inner;
        }

        @Override public Path source() { return null; }
        @Override public String format() { return "failing"; }
        @Override public LocalDateTime startTime() { return inner.startTime(); }
        @Override public double durationSeconds() { return inner.durationSeconds(); }
        @Override public List<SignalInfo> signals() { return inner.signals(); }
        @Override public List<Segment> segments() { return inner.segments(); }
        @Override public List<Annotation> annotations() { return inner.annotations(); }

        @Override
        public double[] read(int signal, long fromSample, int count) throws IOException {
            if (++reads > 6) {
                throw new IOException("disk gone");
            }
            return inner.read(signal, fromSample, count);
        }
    }
}

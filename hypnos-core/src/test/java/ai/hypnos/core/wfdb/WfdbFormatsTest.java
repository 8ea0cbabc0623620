package ai.hypnos.core.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every sample format, frame layout and header feature against records whose samples are known
 * by construction ({@code src/test/python/wfdb_format_fixtures.py} writes them with numpy bit
 * packing, and the expected values beside them as CSV).
 */
class WfdbFormatsTest {

    /** Expected samples of one signal: digital (INVALID where none) and physical (NaN where invalid). */
    private record Expected(int[] digital, double[] physical) {
    }

    private static Map<Integer, Expected> expected(String record) throws IOException {
        Map<Integer, List<String[]>> rows = new TreeMap<>();
        List<String> lines = Files.readAllLines(TestData.path("wfdb/gen/" + record + ".csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            rows.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(f);
        }
        Map<Integer, Expected> out = new TreeMap<>();
        rows.forEach((sig, list) -> {
            int[] d = new int[list.size()];
            double[] p = new double[list.size()];
            for (String[] f : list) {
                int i = Integer.parseInt(f[1]);
                p[i] = f[3].equals("nan") ? Double.NaN : Double.parseDouble(f[3]);
                d[i] = Double.isNaN(p[i]) ? WfdbRecording.INVALID : Integer.parseInt(f[2]);
            }
            out.put(sig, new Expected(d, p));
        });
        return out;
    }

    private static Path record(String name) {
        List<String> files = new ArrayList<>();
        switch (name) {
            case "mixed" -> files.addAll(List.of("wfdb/gen/mixed_a.dat", "wfdb/gen/mixed_b.dat"));
            default -> files.add("wfdb/gen/" + name + ".dat");
        }
        return TestData.record("wfdb/gen/" + name + ".hea", files.toArray(String[]::new));
    }

    private static void checkAll(WfdbRecording rec, Map<Integer, Expected> want) throws IOException {
        assertEquals(want.size(), rec.signals().size());
        for (var e : want.entrySet()) {
            int s = e.getKey();
            Expected x = e.getValue();
            assertEquals(x.digital().length, rec.signals().get(s).sampleCount(), "signal " + s);
            assertArrayEquals(x.digital(), rec.readDigital(s, 0, x.digital().length), "digital, signal " + s);
            assertArrayEquals(x.physical(), rec.read(s), "physical, signal " + s);
            // every window: partial packing groups, frames straddling groups, format 8 running sums
            int n = x.digital().length;
            for (int from = 0; from < n; from += 3) {
                for (int count : new int[] {1, 2, 5}) {
                    int to = Math.min(n, from + count);
                    int[] got = rec.readDigital(s, from, count);
                    assertEquals(to - from, got.length);
                    for (int i = from; i < to; i++) {
                        assertEquals(x.digital()[i], got[i - from], "signal " + s + " sample " + i + " read from " + from);
                    }
                }
            }
            // backwards: format 8 must restart its sum
            for (int from = n - 1; from >= 0; from -= 7) {
                assertEquals(x.digital()[from], rec.readDigital(s, from, 1)[0], "signal " + s + " sample " + from);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 61, 80, 160, 212, 24, 32, 310, 311})
    void everyFormatDecodesTheSamplesItWasWrittenWith(int format) throws IOException {
        String name = "fmt" + format;
        try (WfdbRecording rec = WfdbReader.open(record(name))) {
            assertEquals(format, rec.spec(0).format().code());
            checkAll(rec, expected(name));
            assertTrue(rec.verifyChecksums().isEmpty(), rec.verifyChecksums().toString());
            assertEquals("uV", rec.signals().get(0).unit());
            assertEquals(250.0, rec.signals().get(0).sampleRate());
            if (format != 8) {
                // the invalid-sample sentinel written at signal 1, sample 5
                assertTrue(Double.isNaN(rec.read(1, 5, 1)[0]));
            }
        }
    }

    @Test
    void mixedRecordWithTwoFilesSamplesPerFrameSkewAndOffset() throws IOException {
        try (WfdbRecording rec = WfdbReader.open(record("mixed"))) {
            WfdbHeader h = rec.header();
            assertEquals(128.0, h.frameRate());
            assertEquals(1000.0, h.counterFrequency());
            assertEquals(5.0, h.baseCounter());
            assertEquals(21, rec.frameCount());
            assertEquals(LocalDateTime.of(1999, 12, 31, 22, 59, 58, 250_000_000), rec.startTime());
            assertEquals(List.of("a comment before the record line", "age: 42"), h.comments());

            assertEquals(256.0, rec.signals().get(0).sampleRate());
            assertEquals(42, rec.signals().get(0).sampleCount());
            assertEquals(128.0, rec.signals().get(1).sampleRate());
            assertEquals("EEG C3-M2", rec.signals().get(0).label());
            assertEquals("mV", rec.signals().get(0).unit());
            assertEquals(24, rec.spec(0).byteOffset());
            assertEquals(1, rec.spec(1).skew());
            assertEquals(7, rec.spec(1).baseline(), "baseline defaults to the ADC zero");

            WfdbSignalSpec bare = rec.spec(3);
            assertEquals("record mixed, signal 3", bare.description());
            assertEquals(200.0, bare.gain());
            assertEquals("mV", bare.units());
            assertEquals(12, bare.adcResolution());
            assertFalse(bare.gainGiven());
            assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("uncalibrated")));

            checkAll(rec, expected("mixed"));
            // the skewed signal lacks its last sample
            assertTrue(Double.isNaN(rec.read(1, 20, 1)[0]));
        }
    }

    @Test
    void sampleCountIsDerivedFromTheFileWhenTheHeaderOmitsIt() throws IOException {
        try (WfdbRecording rec = WfdbReader.open(record("nolen"))) {
            assertEquals(10, rec.frameCount());
            assertEquals(100.0, rec.signals().get(0).sampleRate());
            assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("derived")));
            checkAll(rec, expected("nolen"));
        }
    }

    @Test
    void openAcceptsTheRecordPathWithoutExtension() throws IOException {
        Path hea = record("nolen");
        Path bare = hea.resolveSibling("nolen");
        try (WfdbRecording rec = WfdbReader.open(bare)) {
            assertEquals(hea, rec.source());
        }
    }
}

package ai.hypnos.core.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader against real PhysioNet records. Truth: an independent numpy decode of the same
 * files ({@code src/test/python/wfdb_real_goldens.py} → {@code wfdb/gen/real_goldens.json}),
 * the checksums in the headers, and the published annotation counts of MIT-BIH record 100.
 */
class WfdbRealRecordsTest {
    private static JsonNode golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        golden = new ObjectMapper().readTree(TestData.path("wfdb/gen/real_goldens.json").toFile());
    }

    private static Path mitbih100() {
        return TestData.record("wfdb/100.hea", "wfdb/100.dat", "wfdb/100.atr");
    }

    @Test
    void mitbih100HasTwoChannelsOf650000Samples() throws IOException {
        try (WfdbRecording rec = WfdbReader.open(mitbih100())) {
            assertEquals("WFDB", rec.format());
            assertEquals(List.of("MLII", "V5"), rec.signals().stream().map(SignalInfo::label).toList());
            for (SignalInfo s : rec.signals()) {
                assertEquals(650000, s.sampleCount());
                assertEquals(360.0, s.sampleRate());
                assertEquals("mV", s.unit());
            }
            assertEquals(650000 / 360.0, rec.durationSeconds(), 1e-9);
            assertEquals(SampleFormat.PACKED212, rec.spec(0).format());
            assertEquals(List.of("unnecessary comment", "69 M 1085 1629 x1", "Aldomet, Inderal"), rec.header().comments());
            assertTrue(rec.verifyChecksums().isEmpty(), rec.verifyChecksums().toString());
            checkAgainstGolden(rec, golden.get("100"));
        }
    }

    @Test
    void mitbih100RandomAccessMatchesAFullRead() throws IOException {
        try (WfdbRecording rec = WfdbReader.open(mitbih100())) {
            double[] all = rec.read(1);
            for (long from : new long[] {0, 1, 2, 3, 359, 360_001, 649_990}) {
                double[] part = rec.read(1, from, 7);
                int end = (int) Math.min(all.length, from + 7);
                assertArrayEquals(Arrays.copyOfRange(all, (int) from, end), part, "from " + from);
            }
            assertEquals(0, rec.read(0, 650_000, 5).length, "reads past the end are clamped");
            assertArrayEquals(Arrays.copyOfRange(all, 3600, 3960), rec.readSeconds(1, 10, 1));
        }
    }

    @Test
    void mitbih100Annotations() throws IOException {
        Path atr = TestData.path("wfdb/100.atr");
        mitbih100(); // the header beside the annotations gives 360 Hz
        List<MitAnnotation> anns = MitAnnotationReader.read(atr);
        JsonNode g = golden.get("100.atr");
        assertEquals(g.get("count").asInt(), anns.size());
        List<MitAnnotation> beats = MitAnnotations.beats(anns);
        assertEquals(2273, beats.size());
        assertEquals(Map.of("A", 33, "N", 2239, "V", 1), MitAnnotations.countByLabel(beats));
        assertEquals(Map.of("+", 1, "A", 33, "N", 2239, "V", 1), MitAnnotations.countByLabel(anns));

        MitAnnotation rhythm = anns.get(0);
        assertEquals(18, rhythm.sample());
        assertEquals("+", rhythm.label());
        assertEquals("(N", rhythm.aux());
        assertTrue(rhythm.isRhythmChange());
        assertEquals(18 / 360.0, rhythm.time(), 1e-12);
        for (int i = 0; i < 5; i++) {
            JsonNode want = g.get("first").get(i);
            assertEquals(want.get(0).asLong(), anns.get(i).sample());
            assertEquals(want.get(1).asInt(), anns.get(i).code());
        }
        assertEquals(g.get("last").get(0).asLong(), anns.get(anns.size() - 1).sample());

        List<RhythmInterval> rhythms = MitAnnotations.rhythms(anns, 650000, 360);
        assertEquals(List.of(new RhythmInterval("N", 18, 650000, 18 / 360.0, 650000 / 360.0)), rhythms);

        // the same through the record, with the 360 Hz of its header and as text annotations
        try (WfdbRecording rec = WfdbReader.open(mitbih100())) {
            assertEquals(anns, rec.mitAnnotations());
            assertEquals("+ (N", rec.annotations().get(0).text());
            assertEquals("N", rec.annotations().get(1).text());
            assertEquals(77 / 360.0, rec.annotations().get(1).onset(), 1e-12);
        }
    }

    @Test
    void ptbRecordHas15LeadsFromTwoFiles() throws IOException {
        Path hea = TestData.record("wfdb/s0010_re.hea", "wfdb/s0010_re.dat", "wfdb/s0010_re.xyz");
        try (WfdbRecording rec = WfdbReader.open(hea)) {
            assertEquals(List.of("i", "ii", "iii", "avr", "avl", "avf", "v1", "v2", "v3", "v4", "v5", "v6", "vx", "vy", "vz"),
                    rec.signals().stream().map(SignalInfo::label).toList());
            for (SignalInfo s : rec.signals()) {
                assertEquals(38400, s.sampleCount());
                assertEquals(1000.0, s.sampleRate());
            }
            assertEquals("s0010_re.dat", rec.spec(11).fileName());
            assertEquals("s0010_re.xyz", rec.spec(12).fileName());
            assertTrue(rec.header().comments().contains("Reason for admission: Myocardial infarction"));
            assertTrue(rec.verifyChecksums().isEmpty(), rec.verifyChecksums().toString());
            checkAgainstGolden(rec, golden.get("s0010_re"));
            assertTrue(rec.annotations().isEmpty());
        }
    }

    @Test
    void edfTwinHeaderIsReadWithSamplesPerFrameAndLatin1Units() throws IOException {
        Path hea = TestData.record("edf/test_generator_2.hea", "edf/test_generator_2.dat");
        try (WfdbRecording rec = WfdbReader.open(hea)) {
            // 12 header signals; the "EDF Annotations" byte channel is not a waveform
            assertEquals(12, rec.header().signalCount());
            assertEquals(11, rec.signals().size());
            assertEquals("squarewave", rec.signals().get(0).label());
            assertEquals("sine 1 Hz", rec.signals().get(5).label());
            assertEquals("°", rec.signals().get(8).unit());
            for (SignalInfo s : rec.signals()) {
                assertEquals(200.0, s.sampleRate());
                assertEquals(120000, s.sampleCount());
            }
            assertEquals(java.time.LocalDateTime.of(2009, 12, 10, 12, 44, 2), rec.startTime());
            assertTrue(rec.verifyChecksums().isEmpty(), rec.verifyChecksums().toString());
            // first sample of the ramp is the header's initial value
            assertEquals(-3276, rec.readDigital(1, 0, 1)[0]);
        }
    }

    private static void checkAgainstGolden(WfdbRecording rec, JsonNode g) throws IOException {
        JsonNode sigs = g.get("signals");
        assertEquals(sigs.size(), rec.signals().size());
        for (int s = 0; s < sigs.size(); s++) {
            JsonNode gs = sigs.get(s);
            assertEquals(gs.get("label").asText(), rec.signals().get(s).label());
            assertEquals(gs.get("samples").asLong(), rec.signals().get(s).sampleCount());
            assertEquals(gs.get("checksum").asInt(), rec.spec(s).checksum().getAsInt());
            for (int k = 0; k < gs.get("indices").size(); k++) {
                long i = gs.get("indices").get(k).asLong();
                assertEquals(gs.get("digital").get(k).asInt(), rec.readDigital(s, i, 1)[0], "signal " + s + " sample " + i);
                assertEquals(gs.get("physical").get(k).asDouble(), rec.read(s, i, 1)[0], 0.0, "signal " + s + " sample " + i);
            }
        }
    }
}

package ai.hypnos.core.edf;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader against files written by other software: EDFlib's test generator and a real
 * PhysioNet scoring file. Expected values come from {@code src/test/python/edf_golden.py}, an
 * independent numpy decode (cross-checked with MNE).
 */
class EdfRealFilesTest {

    @Test
    void testGeneratorHeaderMatchesGolden() throws Exception {
        JsonNode g = EdfTestSupport.golden("test_generator_2_golden.json");
        try (EdfRecording rec = EdfReader.open(TestData.path("edf/test_generator_2.edf"))) {
            assertEquals("EDF+C", rec.format());
            assertEquals(LocalDateTime.of(2009, 12, 10, 12, 44, 2), rec.startTime());
            assertEquals(g.at("/header/records").asLong(), rec.recordCount());
            assertEquals(600.0, rec.durationSeconds());
            assertEquals(g.at("/header/patient").asText(), rec.header().patientId());
            assertEquals(g.at("/header/recording").asText(), rec.header().recordingId());
            JsonNode sig = g.at("/header/signal");
            assertEquals(12, rec.header().signals().size());
            assertEquals(11, rec.signals().size());
            for (int i = 0; i < 11; i++) {
                SignalInfo s = rec.signals().get(i);
                assertEquals(sig.at("/label/" + i).asText(), s.label());
                assertEquals(sig.at("/unit/" + i).asText(), s.unit());
                assertEquals(200.0, s.sampleRate());
                assertEquals(120_000, s.sampleCount());
                assertEquals(sig.at("/physical_min/" + i).asDouble(), s.physicalMin());
                assertEquals(sig.at("/physical_max/" + i).asDouble(), s.physicalMax());
                assertEquals(sig.at("/digital_min/" + i).asDouble(), s.digitalMin());
                assertEquals(sig.at("/digital_max/" + i).asDouble(), s.digitalMax());
            }
            assertEquals("°", rec.signals().get(8).unit(), "Latin-1 degree sign in the unit field");
            assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("Latin-1")), rec.warnings().toString());
            assertEquals(List.of(new Annotation(0, Double.NaN, "RECORD START"), new Annotation(600, Double.NaN, "REC STOP")),
                    rec.annotations());
            assertEquals(1, rec.segments().size());
            assertEquals(600.0, rec.segments().get(0).duration());
        }
    }

    @Test
    void testGeneratorSamplesMatchNumpyDecode() throws Exception {
        JsonNode g = EdfTestSupport.golden("test_generator_2_golden.json");
        try (EdfRecording rec = EdfReader.open(TestData.path("edf/test_generator_2.edf"))) {
            float[][] all = rec.readAllFloats();
            for (int i = 0; i < rec.signals().size(); i++) {
                JsonNode s = g.at("/signals/" + i);
                assertEquals(s.get("label").asText(), rec.signals().get(i).label());
                double[] x = rec.read(i);
                assertEquals(s.get("samples").asInt(), x.length);
                double tol = 1e-9 * 1000;
                for (int k = 0; k < s.get("picks").size(); k++) {
                    int p = s.at("/picks/" + k).asInt();
                    assertEquals(s.at("/physical/" + k).asDouble(), x[p], tol, "signal " + i + " sample " + p);
                    assertEquals(s.at("/digital/" + k).asInt(), rec.readDigital(i, p, 1)[0]);
                    assertEquals(x[p], rec.read(i, p, 1)[0], 0.0, "single-sample read");
                }
                double sum = 0;
                double squares = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : x) {
                    sum += v;
                    squares += v * v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertEquals(s.get("sum").asDouble(), sum, 1e-6 * Math.max(1, Math.abs(sum)) + 1e-3);
                assertEquals(s.get("sum_squares").asDouble(), squares, 1e-9 * squares);
                assertEquals(s.get("min").asDouble(), min, tol);
                assertEquals(s.get("max").asDouble(), max, tol);
                float[] f = rec.readFloats(i);
                for (int k = 0; k < x.length; k++) {
                    if (f[k] != (float) x[k] || all[i][k] != f[k]) {
                        throw new AssertionError("float path differs at signal " + i + " sample " + k);
                    }
                }
            }
        }
    }

    @Test
    void hmcScoringFileYieldsTheExpertHypnogram() throws Exception {
        JsonNode g = EdfTestSupport.golden("hmc_sn001_scoring_golden.json");
        try (EdfRecording rec = EdfReader.open(TestData.path("edf/hmc_sn001_scoring.edf"))) {
            assertEquals("EDF+C", rec.format());
            assertEquals(0, rec.signals().size());
            assertEquals(1, rec.recordCount(), "the header says 1 record of duration 0, and it holds all TALs");
            assertEquals(0.0, rec.header().recordDuration());
            assertEquals(0.0, rec.durationSeconds());
            assertEquals(LocalDateTime.of(2001, 1, 1, 23, 59, 30), rec.startTime());
            assertEquals(List.of(), rec.warnings());
            checkHmcAnnotations(rec, g);
        }
    }

    /** The same file with its record count field set to 0 or -1: the count comes from the size, with a warning. */
    @Test
    void hmcWithUnknownRecordCountDerivesItFromTheFileSize(@TempDir Path dir) throws Exception {
        JsonNode g = EdfTestSupport.golden("hmc_sn001_scoring_golden.json");
        byte[] bytes = Files.readAllBytes(TestData.path("edf/hmc_sn001_scoring.edf"));
        for (String count : new String[] {"0", "-1"}) {
            Path p = EdfTestSupport.write(dir, "hmc" + count + ".edf",
                    EdfTestSupport.withField(bytes, EdfTestSupport.RECORD_COUNT, 8, count));
            try (EdfRecording rec = EdfReader.open(p)) {
                assertEquals(1, rec.recordCount());
                assertEquals(1, rec.warnings().size(), rec.warnings().toString());
                assertTrue(rec.warnings().get(0).contains("header gives " + count + " data records; derived 1 from the file size"),
                        rec.warnings().get(0));
                checkHmcAnnotations(rec, g);
            }
        }
    }

    private static void checkHmcAnnotations(EdfRecording rec, JsonNode g) {
        List<Annotation> a = rec.annotations();
        assertEquals(g.get("tal_count").asInt() - 1, a.size(), "857 TALs minus the time-keeping one");
        Map<String, Integer> stages = new TreeMap<>();
        for (Annotation x : a) {
            if (x.text().startsWith("Sleep stage ")) {
                stages.merge(x.text(), 1, Integer::sum);
                assertEquals(30.0, x.duration());
                assertEquals(0.0, x.onset() % 30.0, "stage onsets on the 30-s grid");
            }
        }
        assertEquals(Map.of("Sleep stage N1", 109, "Sleep stage N2", 430, "Sleep stage N3", 23,
                "Sleep stage R", 141, "Sleep stage W", 151), stages);
        assertEquals(854, stages.values().stream().mapToInt(Integer::intValue).sum());
        List<Annotation> events = a.stream().filter(x -> !x.text().startsWith("Sleep stage")).toList();
        assertEquals(List.of(new Annotation(33.43, 0.0, "Lights off@@EEG F4-A1"),
                new Annotation(25618.74, 0.0, "Lights on@@EEG Fpz-Cz")), events);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(g.at("/other_annotations/" + i + "/0").asDouble(), events.get(i).onset());
        }
        double[] onsets = a.stream().mapToDouble(Annotation::onset).toArray();
        double[] sorted = onsets.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, onsets, "annotations come sorted by onset");
    }
}

package ai.hypnos.core.edf;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BDF+C (24-bit, 0.5-s records, inverted physical range, sub-second start in 1999, UTF-8 and
 * multi-text TALs) and EDF+D (gaps, two annotation signals), both crafted byte by byte by
 * {@code src/test/python/edf_fixtures.py}; the BDF values are cross-checked there with MNE.
 */
class EdfFixturesTest {

    @Test
    void bdfPlusC(@TempDir Path dir) throws Exception {
        JsonNode g = EdfTestSupport.golden("fixtures_golden.json").get("bdf_plus_c");
        try (EdfRecording rec = EdfReader.open(EdfTestSupport.resource("bdf_plus_c.bdf", dir))) {
            assertEquals("BDF+C", rec.format());
            assertEquals(EdfFormat.BDF_PLUS_C, rec.header().format());
            assertEquals(LocalDateTime.parse(g.get("start").asText()), rec.startTime());
            assertEquals(g.get("records").asLong(), rec.recordCount());
            assertEquals(0.5, rec.header().recordDuration());
            assertEquals(g.get("patient").asText(), rec.header().patientId());
            assertEquals(List.of(), rec.warnings());
            checkSignals(rec, g);
            assertEquals(-500.0, rec.signalHeader(1).physicalMax(), "inverted physical range kept");
            checkAnnotations(rec, g);
            assertEquals(1.0, rec.recordOnset(2));
        }
    }

    @Test
    void edfPlusDExposesRecordOnsetsAndGaps(@TempDir Path dir) throws Exception {
        JsonNode g = EdfTestSupport.golden("fixtures_golden.json").get("edf_plus_d");
        try (EdfRecording rec = EdfReader.open(EdfTestSupport.resource("edf_plus_d.edf", dir))) {
            assertEquals("EDF+D", rec.format());
            assertEquals(LocalDateTime.parse(g.get("start").asText()), rec.startTime());
            assertEquals(List.of(), rec.warnings());
            for (int r = 0; r < rec.recordCount(); r++) {
                assertEquals(g.at("/record_onsets/" + r).asDouble(), rec.recordOnset(r), 1e-12);
            }
            List<Segment> expected = new ArrayList<>();
            for (JsonNode s : g.get("segments")) {
                expected.add(new Segment(s.get(0).asDouble(), s.get(1).asDouble(), s.get(2).asLong(), s.get(3).asLong()));
            }
            assertEquals(expected, rec.segments());
            assertEquals(3, rec.segments().size());
            assertEquals(16.0, rec.durationSeconds(), "stored data, gaps excluded");
            checkSignals(rec, g);
            checkAnnotations(rec, g);
            assertEquals(2, rec.header().signals().stream().filter(EdfSignalHeader::annotation).count());
        }
    }

    private static void checkSignals(EdfRecording rec, JsonNode g) throws Exception {
        assertEquals(g.get("signals").size(), rec.signals().size());
        for (int i = 0; i < rec.signals().size(); i++) {
            JsonNode s = g.at("/signals/" + i);
            assertEquals(s.get("label").asText(), rec.signals().get(i).label());
            assertEquals(s.get("rate").asDouble(), rec.signals().get(i).sampleRate());
            double[] x = rec.read(i);
            int[] d = rec.readDigital(i, 0, Integer.MAX_VALUE);
            assertEquals(s.get("samples").asInt(), x.length);
            assertEquals(x.length, d.length);
            double scale = Math.max(Math.abs(rec.signals().get(i).physicalMin()), Math.abs(rec.signals().get(i).physicalMax()));
            for (int k = 0; k < s.get("picks").size(); k++) {
                int p = s.at("/picks/" + k).asInt();
                assertEquals(s.at("/digital/" + k).asInt(), d[p]);
                assertEquals(s.at("/physical/" + k).asDouble(), x[p], 1e-12 * scale, rec.signals().get(i).label() + " " + p);
            }
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(s.get("sum").asDouble(), sum, 1e-9 * scale * x.length);
            assertEquals(s.get("min").asDouble(), min, 1e-12 * scale);
            assertEquals(s.get("max").asDouble(), max, 1e-12 * scale);
        }
    }

    private static void checkAnnotations(EdfRecording rec, JsonNode g) {
        List<Annotation> expected = new ArrayList<>();
        for (JsonNode a : g.get("annotations")) {
            expected.add(new Annotation(a.get(0).asDouble(), a.get(1).isNull() ? Double.NaN : a.get(1).asDouble(),
                    a.get(2).asText()));
        }
        List<Annotation> actual = rec.annotations();
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).onset(), actual.get(i).onset(), 1e-12);
            assertEquals(expected.get(i).duration(), actual.get(i).duration());
            assertEquals(expected.get(i).text(), actual.get(i).text());
        }
        assertTrue(actual.stream().anyMatch(a -> a.text().contains("é") || a.text().contains("睡眠")
                || a.text().contains("apnea")), "UTF-8 or event texts present");
    }
}

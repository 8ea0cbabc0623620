package ai.hypnos.cli.info;

import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hypnos info} on EDF, annotation-only EDF+, WFDB and NSRR XML files of the test data. */
class InfoCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JsonNode json(Path file) throws Exception {
        CliRun r = CliRun.of("info", file.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void edfChannelsAndResolution() throws Exception {
        Path edf = TestData.path("golden/rec.edf");
        JsonNode j = json(edf);
        assertEquals("EDF", j.get("format").asText());
        assertEquals(120.0, j.get("duration_s").asDouble());
        assertEquals(120, j.get("records").get("count").asInt());
        JsonNode ch = j.get("channels");
        assertEquals(4, ch.size());
        assertEquals("C3-M2", ch.get(0).get("label").asText());
        assertEquals("uV", ch.get(0).get("unit").asText());
        assertEquals(128.0, ch.get(0).get("sample_rate").asDouble());
        assertEquals(15360, ch.get(0).get("samples").asLong());
        assertEquals(32.0, ch.get(3).get("sample_rate").asDouble());
        JsonNode res = j.get("resolution").get("entries");
        assertEquals(8, res.size());
        assertEquals("eeg_c3", res.get(0).get("modality").asText());
        assertTrue(res.get(0).get("present").asBoolean());
        assertFalse(j.has("hypnogram"), "no stage annotations, no hypnogram");

        CliRun text = CliRun.of("info", edf.toString());
        assertEquals(0, text.code());
        assertTrue(text.out().contains("channels (4)"), text.out());
        assertTrue(text.out().contains("channel resolution"), text.out());
        assertTrue(text.out().matches("(?s).*ABD\\s+uV\\s+32\\s+3840.*"), text.out());
    }

    @Test
    void annotationOnlyScoringEdfGivesTheHypnogram() throws Exception {
        JsonNode j = json(TestData.path("edf/hmc_sn001_scoring.edf"));
        assertEquals(0, j.get("channels").size());
        JsonNode byText = j.get("annotations").get("by_text");
        assertEquals(430, byText.get("Sleep stage N2").asInt());
        assertEquals(151, byText.get("Sleep stage W").asInt());
        assertEquals(141, byText.get("Sleep stage R").asInt());
        assertEquals(109, byText.get("Sleep stage N1").asInt());
        assertEquals(23, byText.get("Sleep stage N3").asInt());
        JsonNode h = j.get("hypnogram");
        assertEquals(854, h.get("epochs").asInt());
        assertEquals(854, h.get("stage_annotations").asInt());
        assertEquals(430, h.get("stages").get("N2").asInt());
        assertEquals(141, h.get("stages").get("REM").asInt());
        assertTrue(h.has("lights_off_s") && h.has("lights_on_s"), h.toString());
        assertTrue(h.get("lights_off_s").asDouble() < h.get("lights_on_s").asDouble());
        assertFalse(j.has("resolution"), "nothing to resolve without signals");
    }

    @Test
    void wfdbRecordWithItsBeatAnnotations() throws Exception {
        Path hea = TestData.record("wfdb/100.hea", "wfdb/100.dat", "wfdb/100.atr");
        JsonNode j = json(hea);
        assertEquals("WFDB", j.get("format").asText());
        assertEquals(650000, j.get("frames").asLong());
        assertEquals(2, j.get("channels").size());
        assertEquals(650000, j.get("channels").get(1).get("samples").asLong());
        JsonNode a = j.get("mit_annotations");
        assertEquals("100.atr", a.get("file").asText());
        assertEquals(2273, a.get("beats").asInt());
        assertEquals(2239, a.get("by_label").get("N").asInt());
        assertEquals(33, a.get("by_label").get("A").asInt());
        assertEquals(1, a.get("by_label").get("V").asInt());
        assertEquals(1, a.get("rhythms").size(), a.toString());
        assertFalse(j.has("hypnogram"), "beat label R is not REM sleep");
        CliRun text = CliRun.of("info", hea.toString());
        assertTrue(text.out().contains("annotations 100.atr (2274, 2273 beats)"), text.out());
    }

    @Test
    void nsrrXmlEventsAndHypnogram() throws Exception {
        JsonNode j = json(TestData.path("annotation/nsrr-example.xml"));
        assertEquals("NSRR XML", j.get("format").asText());
        JsonNode e = j.get("events");
        assertEquals(17, e.get("count").asInt());
        assertEquals(10, e.get("stage_events").asInt());
        assertEquals(1, e.get("by_kind").get("hypopnea").asInt());
        JsonNode h = j.get("hypnogram");
        assertEquals(20, h.get("epochs").asInt());
        int sum = 0;
        for (JsonNode c : h.get("stages")) {
            sum += c.asInt();
        }
        assertEquals(20, sum);
    }

    @Test
    void edfPlusWithElevenSignals() throws Exception {
        JsonNode j = json(TestData.path("edf/test_generator_2.edf"));
        assertTrue(j.get("format").asText().startsWith("EDF+"), j.get("format").asText());
        assertEquals(11, j.get("channels").size());
        assertEquals(600.0, j.get("duration_s").asDouble());
        assertEquals(200.0, j.get("channels").get(0).get("sample_rate").asDouble());
    }

    @Test
    void unknownFilesFailWithOneLine() throws Exception {
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "not a recording");
        CliRun r = CliRun.of("info", txt.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown recording type"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}

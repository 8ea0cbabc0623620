package ai.hypnos.cli;

import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hypnos preprocess} on the reference fixture's EDF reproduces the reference's preprocessed signals. */
class PreprocessCommandTest {

    @Test
    void writesTheReferenceSignalsAndTheResolutionReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("rec.npz");
        int code = HypnosCommand.execute("preprocess", TestData.path("golden/rec.edf").toString(),
                "--out", out.toString(), "--notch", "60", "--threads", "2");
        assertEquals(0, code);
        try (NpzReader ours = NpzReader.open(out); NpzReader golden = NpzReader.open(TestData.path("golden/golden.npz"))) {
            String[] expectedModalities = golden.get("modalities").toStringArray();
            assertArrayEquals(expectedModalities, ours.get("modalities").toStringArray());
            for (String m : expectedModalities) {
                float[] expected = golden.get("signal__" + m).toFloatArray();
                float[] actual = ours.get(m).toFloatArray();
                assertEquals(expected.length, actual.length, m);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-5, m + " sample " + i);
                }
                assertEquals(m.startsWith("resp") ? 32 : 128, ours.get("fs__" + m).longValue());
            }
            assertEquals(60.0, ours.get("notch_freq").doubleValue());
            assertEquals(0, ours.get("resolution_report").ndim(), "0-d, so that str(z[\"resolution_report\"]) is the JSON");
            JsonNode report = new ObjectMapper().readTree(ours.get("resolution_report").toStringArray()[0]);
            assertEquals(8, report.get("entries").size());
            assertFalse(ours.contains("gaps__eeg_c3"));
        }
    }

    @Test
    void modalitySubsetAndBadArguments(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub.npz");
        String rec = TestData.path("golden/rec.edf").toString();
        assertEquals(0, HypnosCommand.execute("preprocess", rec, "--out", out.toString(), "--modalities", "ecg,resp_abd"));
        try (NpzReader z = NpzReader.open(out)) {
            assertEquals(List.of("ecg", "resp_abd"), List.of(z.get("modalities").toStringArray()));
            assertTrue(z.contains("ecg") && !z.contains("eeg_c3"));
        }
        Path bad = dir.resolve("bad.npz");
        assertEquals(2, HypnosCommand.execute("preprocess", rec, "--out", bad.toString(), "--notch", "55"));
        assertEquals(2, HypnosCommand.execute("preprocess", rec, "--out", bad.toString(), "--modalities", "eeg_x"));
        assertFalse(Files.exists(bad), "nothing written on a usage error");
        assertEquals(1, HypnosCommand.execute("preprocess", dir.resolve("missing.edf").toString(), "--out", bad.toString()));
    }
}

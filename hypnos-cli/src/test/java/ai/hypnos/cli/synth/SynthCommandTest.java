package ai.hypnos.cli.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.cli.HypnosCommand;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.synth.AfWindows;
import ai.hypnos.core.synth.CohortManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hypnos synth cohort|af} write readable, deterministic data sets. */
class SynthCommandTest {

    @Test
    void cohortCommandWritesManifestAndReadableNights(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        assertEquals(0, HypnosCommand.execute("synth", "cohort", "--subjects", "2", "--hours", "0.2", "--seed", "5",
                "--out", a.toString(), "--sites", "aasm,shhs"));
        CohortManifest m = CohortManifest.read(a.resolve("manifest.csv"));
        assertEquals(2, m.entries().size());
        assertEquals(List.of("aasm", "shhs"), m.entries().stream().map(CohortManifest.Entry::site).toList());
        assertEquals(List.of(50, 60), m.entries().stream().map(CohortManifest.Entry::notch).toList());
        for (CohortManifest.Entry e : m.entries()) {
            try (EdfRecording r = EdfReader.open(m.recordingPath(e))) {
                assertEquals(720.0, r.durationSeconds(), 1e-9);
            }
            assertTrue(Files.exists(m.annotationsPath(e)));
        }
        Path b = dir.resolve("b");
        assertEquals(0, HypnosCommand.execute("synth", "cohort", "--subjects", "2", "--hours", "0.2", "--seed", "5",
                "--out", b.toString(), "--sites", "aasm,shhs"));
        assertArrayEquals(Files.readAllBytes(a.resolve("edf/sub-0002.edf")), Files.readAllBytes(b.resolve("edf/sub-0002.edf")));
    }

    @Test
    void afCommandWritesLabelledWindows(@TempDir Path dir) throws Exception {
        assertEquals(0, HypnosCommand.execute("synth", "af", "--windows", "6", "--seconds", "30", "--seed", "3",
                "--out", dir.toString()));
        List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
        assertEquals(AfWindows.LABELS_HEADER, lines.get(0));
        assertEquals(7, lines.size());
        long af = lines.stream().skip(1).filter(l -> l.split(",")[2].equals("af")).count();
        assertEquals(2, af);
        assertTrue(Files.exists(dir.resolve("truth.npz")));
    }

    @Test
    void badArgumentsAreRefused(@TempDir Path dir) {
        assertEquals(2, HypnosCommand.execute("synth", "cohort", "--subjects", "0", "--out", dir.toString()));
        assertEquals(2, HypnosCommand.execute("synth", "cohort", "--subjects", "1", "--sites", "nowhere",
                "--out", dir.toString()));
        assertEquals(2, HypnosCommand.execute("synth", "af", "--windows", "3", "--af-fraction", "0.9",
                "--other-fraction", "0.5", "--out", dir.toString()));
    }
}

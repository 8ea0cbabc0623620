package ai.hypnos.core.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HypnogramsTest {
    @TempDir
    Path dir;

    private static Annotation a(double onset, double duration, String text) {
        return new Annotation(onset, duration, text);
    }

    @Test
    void sleepEdfStyleAnnotationsWithRkStagesAndMovement() {
        // Sleep-EDF hypnograms: long runs, R&K 3 and 4, "?" and movement time
        List<Annotation> ann = List.of(
                a(0, 90, "Sleep stage W"), a(90, 30, "Sleep stage 1"), a(120, 60, "Sleep stage 2"),
                a(180, 30, "Sleep stage 3"), a(210, 30, "Sleep stage 4"), a(240, 30, "Movement time"),
                a(270, 60, "Sleep stage R"), a(330, 30, "Sleep stage ?"));
        Hypnogram h = Hypnograms.fromAnnotations(ann, 360);
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 2, 3, 3, -1, 4, 4, -1}, h.labels());
        assertEquals(30.0, h.epochSeconds());
    }

    @Test
    void lightsAreExposedAndOtherAnnotationsIgnored() {
        List<Annotation> ann = List.of(
                a(0, 30, "Sleep stage W"), a(30, 30, "Sleep stage W"), a(33.43, 0, "Lights off@@EEG F4-A1"),
                a(60, 30, "Sleep stage N1"), a(70, 3, "Arousal"), a(90, 30, "Sleep stage N2"),
                a(118.74, 0, "Lights on@@EEG Fpz-Cz"));
        ScoredNight night = Hypnograms.scoredNight(ann, Double.NaN);
        assertArrayEquals(new int[] {0, 0, 1, 2}, night.hypnogram().labels());
        assertEquals(33.43, night.lightsOff().getAsDouble());
        assertEquals(118.74, night.lightsOn().getAsDouble());
        assertEquals(4, night.stages().size());
        assertTrue(night.warnings().isEmpty(), night.warnings().toString());
        // epochs whose midpoint lies outside [lights off, lights on) become unscored
        assertArrayEquals(new int[] {-1, 0, 1, 2}, night.withinLights().labels());
    }

    @Test
    void annotationsWithoutDurationCountAsOneEpoch() {
        Hypnogram h = Hypnograms.fromAnnotations(List.of(a(0, Double.NaN, "Wake"), a(30, Double.NaN, "N2")), 90);
        assertArrayEquals(new int[] {0, 2, -1}, h.labels());
    }

    @Test
    void offGridAnnotationsAreReportedNotShifted() {
        ScoredNight night = Hypnograms.scoredNight(List.of(a(12, 30, "Sleep stage W"), a(42, 30, "Sleep stage N2")), 90);
        assertArrayEquals(new int[] {0, 2, -1}, night.hypnogram().labels());
        // epoch 2 [60, 90) holds only 12 s of N2: no majority, so unscored, and both facts are reported
        assertEquals(2, night.warnings().size(), night.warnings().toString());
        assertTrue(night.warnings().get(0).contains("12.000 s into its epoch"));
        assertTrue(night.warnings().get(1).contains("by none for half"));
        assertEquals(12.0, night.stages().get(0).onset(), "the intervals keep the file's onsets");
    }

    @Test
    void yasaTextHypnogram() throws IOException {
        Hypnogram h = Hypnograms.readText(TestData.path("eeg/yasa_hypnogram_6h_30s.txt"));
        assertEquals(720, h.size());
        assertEquals(Map.of(SleepStage.W, 43, SleepStage.N1, 22, SleepStage.N2, 318, SleepStage.N3, 182,
                SleepStage.REM, 155, SleepStage.UNSCORED, 0), h.counts());
        assertEquals(SleepStage.W, h.get(0));
    }

    @Test
    void letterTextHypnogram() throws IOException {
        Path f = dir.resolve("h.txt");
        Files.writeString(f, "# scorer A\nW\nN1\n\nN2\nN3\nR\nREM\n?\nSleep stage 4\nwake\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 4, -1, 3, 0}, Hypnograms.readText(f).labels());
    }

    @Test
    void numbersAreYasaUnlessRkOnlyNumbersAppear() throws IOException {
        Path yasa = dir.resolve("yasa.txt");
        Files.writeString(yasa, "0\n1\n2\n3\n4\n-1\n-2\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, -1, -1}, Hypnograms.readText(yasa).labels());
        Path rk = dir.resolve("rk.txt");
        Files.writeString(rk, "0\n1\n2\n3\n4\n5\n6\n9\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 3, 4, -1, -1}, Hypnograms.readText(rk).labels());
        assertEquals(20.0, Hypnograms.readText(rk, 20).epochSeconds());
    }

    @Test
    void badTextLabelNamesTheLine() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "W\nN2\ndeep\n");
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> Hypnograms.readText(f));
        assertEquals("line 3", e.field());
        assertEquals("deep", e.value());
        Files.writeString(f, "0\n17\n");
        assertEquals("17", assertThrows(HypnosFormatException.class, () -> Hypnograms.readText(f)).value());
    }

    @Test
    void wfdbBeatLabelsAreNotStages() {
        // MIT-BIH "R" (right bundle branch block beat) and "N" must not read as REM / anything
        ScoredNight night = Hypnograms.scoredNight(List.of(a(0.1, Double.NaN, "R"), a(0.9, Double.NaN, "N"),
                a(1.5, Double.NaN, "+ (AFIB")), 60);
        assertTrue(night.stages().isEmpty());
        assertArrayEquals(new int[] {-1, -1}, night.hypnogram().labels());
    }

    @Test
    void noStagesGivesAnEmptyHypnogramAndAWarning() {
        ScoredNight night = Hypnograms.scoredNight(List.of(a(5, 1, "Arousal")), Double.NaN);
        assertEquals(0, night.hypnogram().size());
        assertTrue(night.warnings().contains("no sleep-stage annotations found"));
    }
}

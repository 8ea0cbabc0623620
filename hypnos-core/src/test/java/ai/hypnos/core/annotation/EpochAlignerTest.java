package ai.hypnos.core.annotation;

import static ai.hypnos.core.annotation.SleepStage.N1;
import static ai.hypnos.core.annotation.SleepStage.N2;
import static ai.hypnos.core.annotation.SleepStage.N3;
import static ai.hypnos.core.annotation.SleepStage.REM;
import static ai.hypnos.core.annotation.SleepStage.UNSCORED;
import static ai.hypnos.core.annotation.SleepStage.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alignment rule: each epoch takes the stage covering at least half of it, never a silent shift. */
class EpochAlignerTest {
    private static StageInterval s(double onset, double duration, SleepStage stage) {
        return new StageInterval(onset, duration, stage, stage.name());
    }

    private static SleepStage[] align(List<StageInterval> in, double seconds, List<String> warnings) {
        return EpochAligner.align(in, seconds, 30, warnings).stages();
    }

    @Test
    void onGridScoringIsCopiedEpochByEpochWithoutWarnings() {
        List<String> w = new ArrayList<>();
        SleepStage[] got = align(List.of(s(0, 60, W), s(60, 30, N1), s(90, 90, N2), s(180, 30, REM)), 210, w);
        assertArrayEquals(new SleepStage[] {W, W, N1, N2, N2, N2, REM}, got);
        assertTrue(w.isEmpty(), w.toString());
    }

    @Test
    void anAbsurdOnsetWithUnknownLengthIsRefusedNotAllocated() {
        // A corrupt TAL onset (+9e9 s): the hypnogram would need 3e8 epochs, gigabytes of arrays.
        List<StageInterval> in = List.of(s(0, 30, W), new StageInterval(9e9, 30, N2, "Sleep stage 2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochAligner.align(in, Double.NaN, 30, new ArrayList<>()));
        assertTrue(e.getMessage().contains("'Sleep stage 2'") && e.getMessage().contains("9.0E9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EpochAligner.align(in, 0, 30, new ArrayList<>()));
        // An absurd duration is the same mistake.
        assertThrows(IllegalArgumentException.class, () -> EpochAligner.align(
                List.of(new StageInterval(0, 1e12, W, "W")), Double.NaN, 30, new ArrayList<>()));
        // A week is still accepted; with a known length the interval is just clipped, with a warning.
        assertEquals(7 * 24 * 120, EpochAligner.align(List.of(s(7 * 24 * 3600 - 30, 30, N1)), Double.NaN, 30,
                new ArrayList<>()).stages().length);
        List<String> w = new ArrayList<>();
        assertArrayEquals(new SleepStage[] {W, UNSCORED}, align(in, 60, w));
        assertTrue(w.stream().anyMatch(x -> x.contains("the rest is dropped")), w.toString());
    }

    @Test
    void onsetsTenSecondsOffTheGridTakeTheMajorityStageAndWarn() {
        // the scorer's epochs start 10 s after the recording: 20 s of each scored epoch lie in our epoch
        List<String> w = new ArrayList<>();
        SleepStage[] got = align(List.of(s(10, 30, W), s(40, 30, N1), s(70, 30, N2), s(100, 30, N3)), 130, w);
        // epoch 0 [0,30): W covers 20 s; epoch 1 [30,60): N1 20 s; epoch 2: N2 20 s; epoch 3 [90,120): N3 20 s
        assertArrayEquals(new SleepStage[] {W, N1, N2, N3}, got);
        String grid = w.stream().filter(x -> x.contains("epoch grid")).findFirst().orElseThrow();
        assertTrue(grid.contains("4 of 4 stage intervals are not on the 30-s epoch grid"), grid);
        assertTrue(grid.contains("10.000 s into its epoch"), grid);
        // the last 10 s of N3 fall in a partial epoch at the end of the 130-s recording
        assertTrue(w.stream().anyMatch(x -> x.contains("4 whole epochs")), w.toString());
    }

    @Test
    void aShortFirstIntervalShiftsTheRestOffTheGrid() {
        List<String> w = new ArrayList<>();
        SleepStage[] got = align(List.of(s(0, 20, W), s(20, 30, N1), s(50, 30, N2)), 80, w);
        // epoch 0: W 20 s, N1 10 s -> W; epoch 1 [30,60): N1 20 s, N2 10 s -> N1
        assertArrayEquals(new SleepStage[] {W, N1}, got);
        assertTrue(w.get(0).contains("3 of 3 stage intervals"), w.toString());
    }

    @Test
    void anExactHalfTieGoesToTheEarlierStage() {
        SleepStage[] got = align(List.of(s(0, 15, W), s(15, 30, N2), s(45, 15, N3)), 60, new ArrayList<>());
        assertArrayEquals(new SleepStage[] {W, N2}, got);
    }

    @Test
    void epochsWithoutAMajorityAreUnscored() {
        List<String> w = new ArrayList<>();
        SleepStage[] got = align(List.of(s(0, 10, W), s(10, 10, N1), s(20, 10, N2), s(30, 30, REM)), 60, w);
        assertArrayEquals(new SleepStage[] {UNSCORED, REM}, got);
        assertTrue(w.stream().anyMatch(x -> x.contains("1 epochs are covered by stages but by none for half")), w.toString());
    }

    @Test
    void gapsAndTheTailBeyondTheScoringAreUnscored() {
        SleepStage[] got = align(List.of(s(30, 30, N2)), 120, new ArrayList<>());
        assertArrayEquals(new SleepStage[] {UNSCORED, N2, UNSCORED, UNSCORED}, got);
    }

    @Test
    void unknownRecordingLengthEndsAtTheLastWholeEpochScored() {
        assertEquals(3, align(List.of(s(0, 90, W)), Double.NaN, new ArrayList<>()).length);
        assertEquals(3, align(List.of(s(0, 100, W)), 0, new ArrayList<>()).length);
    }

    @Test
    void scoringBeyondTheRecordingIsDroppedWithAWarning() {
        List<String> w = new ArrayList<>();
        assertEquals(2, align(List.of(s(0, 120, W)), 75, w).length);
        assertTrue(w.stream().anyMatch(x -> x.contains("dropped")), w.toString());
    }

    @Test
    void overlapsAreReported() {
        List<String> w = new ArrayList<>();
        SleepStage[] got = align(List.of(s(0, 60, W), s(30, 30, N1), s(30, 30, N1)), 60, w);
        // epoch 1: W 30 s first, N1 60 s -> N1
        assertArrayEquals(new SleepStage[] {W, N1}, got);
        assertTrue(w.stream().anyMatch(x -> x.contains("overlap")), w.toString());
    }
}

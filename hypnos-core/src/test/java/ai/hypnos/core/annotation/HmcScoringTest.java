package ai.hypnos.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The expert scoring of HMC night SN001: an annotation-only EDF+ whose header claims 0 records.
 * Published counts: 854 stage annotations (N2 430, W 151, R 141, N1 109, N3 23), lights off and on.
 */
class HmcScoringTest {
    @Test
    void hmcScoringGivesA854EpochHypnogramAndLights() throws IOException {
        try (EdfRecording rec = EdfReader.open(TestData.path("edf/hmc_sn001_scoring.edf"))) {
            ScoredNight night = Hypnograms.scoredNight(rec.annotations(), rec.durationSeconds());
            assertEquals(854, night.stages().size());
            Hypnogram h = night.hypnogram();
            assertEquals(854, h.size());
            assertEquals(Map.of(SleepStage.N2, 430, SleepStage.W, 151, SleepStage.REM, 141, SleepStage.N1, 109,
                    SleepStage.N3, 23, SleepStage.UNSCORED, 0), h.counts());
            assertEquals(33.43, night.lightsOff().getAsDouble(), 1e-6);
            assertEquals(25618.74, night.lightsOn().getAsDouble(), 1e-6);
            assertTrue(night.warnings().isEmpty(), night.warnings().toString());
            assertEquals(SleepStage.W, h.get(0));
            assertEquals(h, Hypnograms.fromAnnotations(rec.annotations(), Double.NaN));
            // epoch 0 (0-30 s) lies before lights off at 33.43 s; everything after is inside
            Hypnogram inside = night.withinLights();
            assertEquals(SleepStage.UNSCORED, inside.get(0));
            assertEquals(h.get(1), inside.get(1));
        }
    }
}

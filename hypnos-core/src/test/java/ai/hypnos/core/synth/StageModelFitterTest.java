package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.Hypnograms;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.synth.stages.StageModel;
import ai.hypnos.core.synth.stages.StageModelFitter;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed stage model is what the fitter makes of the two real hypnograms (HMC SN001 read
 * through our EDF+ reader, the YASA 6-h text hypnogram).
 *
 * <p>To refit after changing the fitter:
 * {@code ./mvnw -pl hypnos-core -am test -Dtest=StageModelFitterTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dhypnos.synth.writeStageModel=$PWD/hypnos-core/src/main/resources/ai/hypnos/core/synth/stage-model.json}
 */
class StageModelFitterTest {

    static List<StageModelFitter.Night> realNights() throws IOException {
        Hypnogram hmc;
        try (EdfRecording r = EdfReader.open(TestData.path("edf/hmc_sn001_scoring.edf"))) {
            hmc = Hypnograms.fromAnnotations(r.annotations(), Double.NaN);
        }
        Hypnogram yasa = Hypnograms.readText(TestData.path("eeg/yasa_hypnogram_6h_30s.txt"));
        return List.of(
                new StageModelFitter.Night("HMC SN001 (hmc_sn001_scoring.edf)", hmc.labels()),
                new StageModelFitter.Night("YASA 6-h hypnogram (yasa_hypnogram_6h_30s.txt)", yasa.labels()));
    }

    @Test
    void committedModelIsTheFitOfTheRealHypnograms() throws IOException {
        List<StageModelFitter.Night> nights = realNights();
        assertEquals(854, nights.get(0).labels().length, "HMC SN001 has 854 scored epochs");
        assertEquals(720, nights.get(1).labels().length, "the YASA hypnogram has 720 epochs");
        StageModel fitted = StageModelFitter.fit(nights);
        String json = fitted.toJson();
        String target = System.getProperty("hypnos.synth.writeStageModel");
        if (target != null && !target.isBlank()) {
            Files.writeString(Path.of(target), json, StandardCharsets.UTF_8);
        }
        String committed;
        try (InputStream in = StageModel.class.getResourceAsStream(StageModel.RESOURCE)) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(committed, json, "stage-model.json is out of date: refit (see class comment)");
        assertEquals(StageModel.fromJson(json.getBytes(StandardCharsets.UTF_8)).toJson(), json, "JSON round trip");
    }

    @Test
    void fittedModelHasPhysiologicalCycles() {
        StageModel m = StageModel.defaults();
        double firstNrem = m.nremPeriod().median(0);
        assertTrue(firstNrem > 50 && firstNrem < 110, "first NREM period median " + firstNrem + " min");
        assertTrue(m.remPeriod().slope() > 0, "REM periods lengthen across the night");
        assertTrue(m.n3CycleDecay() > 0, "N3 declines across cycles");
        for (double[] row : m.nremTransitions()) {
            double sum = 0;
            for (double p : row) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void cyclesAreCutAtRemPeriods() {
        // W W N1 N2 N2 N3 N3 N2, 6 R, N2 N2, 4 R, W W: one REM period of 12 epochs (the two REM
        // runs are under 15 min apart), then no complete NREM period after it
        int[] labels = {0, 0, 1, 2, 2, 3, 3, 2, 4, 4, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 0, 0};
        StageModel m = StageModelFitter.fit(List.of(new StageModelFitter.Night("toy", labels)));
        assertEquals(1, m.counts().nremPeriods());
        assertEquals(1, m.counts().remPeriods());
        // NREM period: N1, N2, N3, N2 = 4 bouts; REM period: R, N2, R = 3 bouts
        assertEquals(4, m.counts().nremBouts());
        assertEquals(3, m.counts().remBouts());
        assertArrayEquals(new String[] {"W", "N1", "N2", "N3"}, m.nremStates().toArray());
    }
}

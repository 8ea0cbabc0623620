package ai.hypnos.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageTextTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        // Sleep-EDF (R&K)
        "Sleep stage W | W", "Sleep stage 1 | N1", "Sleep stage 2 | N2", "Sleep stage 3 | N3",
        "Sleep stage 4 | N3", "Sleep stage R | REM", "Sleep stage ? | UNSCORED", "Movement time | UNSCORED",
        // AASM spellings (HMC), MNE-style underscores, EDF+ channel suffix
        "Sleep stage N1 | N1", "Sleep stage N2 | N2", "Sleep stage N3 | N3", "Sleep_stage_R | REM",
        "Sleep stage W@@EEG F4-A1 | W", "SLEEP STAGE N2 | N2", "Sleep stage  N3 | N3",
        // NSRR concept names, bare labels
        "Wake | W", "Stage 1 sleep | N1", "Stage 2 sleep | N2", "Stage 4 sleep | N3", "REM sleep | REM",
        "N1 | N1", "N2 | N2", "N3 | N3", "N4 | N3", "REM | REM", "Unscored | UNSCORED", "Sleep stage X | UNSCORED",
        // one-letter labels are not stages in annotation lists (a WFDB "R" is a beat)
        "W | NONE", "R | NONE", "? | NONE",
        // not stages
        "Lights off | NONE", "Arousal | NONE", "Arousal from sleep | NONE", "2 | NONE", "Obstructive apnea | NONE",
        "Stage change | NONE",
    })
    void labels(String label, String expected) {
        Optional<SleepStage> got = StageText.parse(label);
        if (expected.equals("NONE")) {
            assertEquals(Optional.empty(), got);
        } else {
            assertEquals(Optional.of(SleepStage.valueOf(expected)), got);
        }
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {"W | W", "R | REM", "? | UNSCORED", "w | W", "N2 | N2", "Sleep stage 3 | N3", "A | NONE"})
    void epochLabelsAlsoTakeOneLetter(String label, String expected) {
        Optional<SleepStage> got = StageText.parseEpochLabel(label);
        assertEquals(expected.equals("NONE") ? Optional.empty() : Optional.of(SleepStage.valueOf(expected)), got);
    }

    @ParameterizedTest
    @CsvSource({"Lights off,true,false", "LIGHTS OUT,true,false", "lights_off,true,false", "Lights off@@EEG F4-A1,true,false",
        "Lights on,false,true", "LIGHTS ON,false,true", "Lights on@@EEG Fpz-Cz,false,true", "Light sleep,false,false"})
    void lights(String label, boolean off, boolean on) {
        assertEquals(off, StageText.isLightsOff(label));
        assertEquals(on, StageText.isLightsOn(label));
        assertTrue(!(off && on));
        assertFalse(StageText.parse(label).isPresent() && (off || on));
    }
}

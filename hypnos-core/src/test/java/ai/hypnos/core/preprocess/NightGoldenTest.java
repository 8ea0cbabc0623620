package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full 8-hour nights against the scipy pipeline: the final normalised signal within 1e-4
 * absolute at ~3,700 indices spread over the night, and its summary statistics. The EEG night
 * (256 Hz in, the acceptance case) runs by default; ECG at 512 Hz and respiration at 10 Hz run
 * with {@code -Plong}.
 */
class NightGoldenTest {

    @Test
    void eightHourEegNightMatchesScipy() {
        check("eeg_c3");
    }

    @Test
    @Tag("long")
    void eightHourEcgAndRespirationNightsMatchScipy() {
        check("ecg");
        check("resp_abd");
    }

    private static void check(String modality) {
        int found = 0;
        for (JsonNode c : Golden.get("night")) {
            if (c.get("modality").asText().equals(modality)) {
                assertEquals(8 * 3600 * c.get("fs_in").asInt(), c.get("n_in").asInt());
                double worst = PipelineGoldens.check(c, 1e-4);
                assertTrue(worst < 1e-4);
                found++;
            }
        }
        assertEquals(1, found, modality);
    }
}

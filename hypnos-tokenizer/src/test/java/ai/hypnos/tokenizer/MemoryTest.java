package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Encoding long signals keeps native memory flat: no NDArray is left behind in the model's or
 * any caller's manager, and the process's resident memory does not grow with the number of
 * signals encoded.
 */
class MemoryTest {

    @Test
    void encodingManyHoursLeavesNoArraysAndFlatResidentMemory() throws IOException {
        try (SignalTokenizer tok = SignalTokenizer.create(TokenizerFixtures.tinyEeg(), Device.cpu(), 2)) {
            NDManager model = tok.manager();
            float[] hour = TokenizerFixtures.eeg(3600, 9);
            tok.encode(hour); // warm-up: engine, allocator pools
            int arrays = model.getManagedArrays().size();
            long rssBefore = residentKb();
            for (int i = 0; i < 6; i++) {
                int[][] tokens = tok.encode(hour);
                assertEquals(3600, tokens.length);
            }
            long growth = residentKb() - rssBefore;
            assertEquals(arrays, model.getManagedArrays().size(), "arrays left in the model's manager");
            // Six more hours through the encoder: allow allocator noise, not a per-hour leak
            // (one hour of activations of this model is tens of MB).
            assertTrue(growth < 40_000, "resident memory grew by " + growth + " kB over 6 h of encoding");
        }
    }

    private static long residentKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0; // not Linux: the NDArray count above still checks the leak
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}

package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
            // Warm-up: engine, libtorch's caching allocator, glibc's malloc arenas and the JVM heap
            // all settle over the first hours; a leak is what keeps growing after that.
            for (int i = 0; i < 3; i++) {
                tok.encode(hour);
            }
            int arrays = model.getManagedArrays().size();
            long rssBefore = outsideTheJvmKb();
            for (int i = 0; i < 6; i++) {
                int[][] tokens = tok.encode(hour);
                assertEquals(3600, tokens.length);
            }
            long growth = outsideTheJvmKb() - rssBefore;
            assertEquals(arrays, model.getManagedArrays().size(), "arrays left in the model's manager");
            // One hour of this model's activations is ~15 MB per layer, so leaking them would add
            // hundreds of MB over six hours; allow allocator noise well below that.
            assertTrue(growth < 64_000, "resident memory grew by " + growth + " kB over 6 h of encoding");
        }
    }

    /**
     * Resident memory less what the JVM has committed for its heap and its own areas: the JVM
     * growing its heap (which other tests in this fork influence) is not a native leak.
     */
    private static long outsideTheJvmKb() throws IOException {
        MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
        long committed = jvm.getHeapMemoryUsage().getCommitted() + jvm.getNonHeapMemoryUsage().getCommitted();
        return residentKb() - committed / 1024;
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

package ai.hypnos.train.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process (Java heap, libtorch's native allocations, mapped shards), from
 * {@code /proc/self/status} on Linux; NaN elsewhere. Logged with the training metrics, so a leak
 * shows up as a rising column.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Current resident set size, MiB. */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    /** Peak resident set size of the process so far, MiB. */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}

package ai.hypnos.cli.bench;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the heap that reading one EDF channel needs. {@link BenchIoCommand} runs it in a
 * fresh JVM whose {@code -Xmx} is the acceptance bound (2 × the channel's float array + 32 MB),
 * so finishing at all shows the bound holds; it also reports two measurements:
 * <ul>
 *   <li>peak: after a full GC the heap pools' peak counters are reset, the channel is read,
 *       and the pools' peaks are summed (an upper bound of the true peak, since pools peak at
 *       different moments), minus the live heap before the read;</li>
 *   <li>allocated: bytes this thread allocated during open + read (HotSpot's per-thread
 *       counter), garbage included.</li>
 * </ul>
 * Prints one line of JSON.
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int signal = Integer.parseInt(args[1]);
        System.gc();
        long baseline = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
                baseline += p.getUsage().getUsed();
            }
        }
        long allocatedBefore = allocatedBytes();
        float[] x;
        try (EdfRecording rec = EdfReader.open(file)) {
            x = rec.readFloats(signal);
        }
        long allocated = allocatedBytes() - allocatedBefore;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"samples\": %d, \"array_bytes\": %d, \"baseline_bytes\": %d, \"peak_bytes\": %d,"
                        + " \"peak_above_baseline_bytes\": %d, \"allocated_bytes\": %d, \"max_heap_bytes\": %d}",
                x.length, 4L * x.length, baseline, peak, peak - baseline, allocated, Runtime.getRuntime().maxMemory()));
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (t instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) t).getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}

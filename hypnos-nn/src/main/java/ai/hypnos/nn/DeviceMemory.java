package ai.hypnos.nn;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

/**
 * Device memory in use, for the benchmarks' reports. DJL exposes no statistics of libtorch's
 * caching allocator (no peak), so this is what the CUDA driver reports as used on the card: the
 * CUDA context plus what the allocator holds, and it keeps its largest reservation, so read after
 * a workload this bounds the workload's peak from above.
 */
public final class DeviceMemory {
    private DeviceMemory() {
    }

    /** MB in use on {@code device} if it is a GPU, else NaN (a CPU's memory is the process's RSS). */
    public static double inUseMb(Device device) {
        return device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() / 1048576.0 : Double.NaN;
    }
}

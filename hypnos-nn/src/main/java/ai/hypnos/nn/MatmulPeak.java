package ai.hypnos.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The practical matmul peak of a device in one precision, through DJL: the denominator of every
 * MFU figure our benchmarks print, measured in the same run as the work it divides.
 *
 * <p>Best of six timed runs of n³ products. On a GPU a run is ten 8192³ products read back once:
 * on an H100 a single 2048³ float16 product should take ~25 µs at the card's peak, less than its
 * launch and the read that waits for it, and it gave a peak so low that MFU came out above 100 %. On a CPU a run is one
 * 2048³ product, or 512³ in float16: libtorch 2.7.1's CPU float16 matmul runs at ~2 GFLOP/s
 * (30× below float32 on the development machine), where 2048³ would take minutes.
 */
public final class MatmulPeak {
    private MatmulPeak() {
    }

    /** The matrix size n of the timed products. */
    public static int size(Device device, DataType dataType) {
        if (device.isGpu()) {
            return 8192;
        }
        return dataType == DataType.FLOAT16 ? 512 : 2048;
    }

    /** Products per timed run: on a GPU several, so that one synchronising read is amortised. */
    static int repeats(Device device) {
        return device.isGpu() ? 10 : 1;
    }

    /** The measured peak in GFLOP/s of {@code dataType} matmuls on {@code device}. */
    public static double gflops(Device device, DataType dataType) {
        int n = size(device, dataType);
        int repeats = repeats(device);
        double best = 0;
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n)).toType(dataType, false);
            NDArray b = m.randomNormal(new Shape(n, n)).toType(dataType, false);
            for (int r = 0; r < 6; r++) {
                long t0 = System.nanoTime();
                try (NDManager run = m.newSubManager()) {
                    NDArray c = null;
                    for (int i = 0; i < repeats; i++) {
                        c = a.matMul(b);
                        c.attach(run);
                    }
                    c.getFloat(0, 0); // waits for the device: its queue runs in order
                }
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, repeats * 2.0 * n * n * n / s / 1e9);
            }
        }
        return best;
    }
}

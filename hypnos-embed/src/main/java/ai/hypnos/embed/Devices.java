package ai.hypnos.embed;

import ai.djl.Device;
import java.util.Locale;

/** Parses the device option every command and options object takes: {@code cpu}, {@code gpu} or {@code gpu:N}. */
public final class Devices {
    private Devices() {
    }

    /**
     * The device named by {@code cpu}, {@code gpu} (= {@code gpu:0}) or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for anything else, or a GPU index past the visible devices
     */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return requireGpu(0);
        }
        for (String prefix : new String[] {"gpu:", "cuda:"}) {
            if (s.startsWith(prefix)) {
                try {
                    return requireGpu(Integer.parseInt(s.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, gpu or gpu:N)");
    }

    private static Device requireGpu(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, got " + index);
        }
        int visible = ai.djl.engine.Engine.getInstance().getGpuCount();
        if (index >= visible) {
            throw new IllegalArgumentException("gpu:" + index + " requested but " + visible + " GPU(s) are visible to "
                    + "libtorch (a CPU build, or CUDA_VISIBLE_DEVICES?); 'hypnos doctor --device gpu' says why (docs/gpu.md)");
        }
        return Device.gpu(index);
    }
}

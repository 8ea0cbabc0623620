package ai.hypnos.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a requested GPU is not visible: each finding names a cause and its fix, most fundamental
 * first (no driver, then no CUDA runtime, hidden devices, then a CPU libtorch and how it got
 * there). docs/gpu.md explains the set-ups the fixes refer to.
 */
final class GpuDiagnosis {
    private GpuDiagnosis() {
    }

    /** The findings for a report in which the requested GPU {@code index} is missing. */
    static List<String> explain(EngineReport r, int index) {
        List<String> out = new ArrayList<>();
        if (!r.gpus().isEmpty()) {
            out.add("gpu:" + index + " was requested but only " + r.gpus().size() + " GPU(s) are visible (gpu:0"
                    + (r.gpus().size() > 1 ? "..gpu:" + (r.gpus().size() - 1) : "") + ")");
            return out;
        }
        if (r.nvidiaDriver() == null) {
            out.add("no NVIDIA kernel driver is loaded (/proc/driver/nvidia/version is missing): this machine or "
                    + "container has no usable GPU (in a container: run it with the GPUs passed through, e.g. "
                    + "docker --gpus all)");
        }
        if (r.cudaRuntime() == null) {
            out.add("DJL finds no CUDA runtime library (libcudart), which it uses to count GPUs: add its folder to "
                    + "LD_LIBRARY_PATH (e.g. /usr/local/cuda/lib64)");
        }
        String visible = r.environment().get("CUDA_VISIBLE_DEVICES");
        if (visible != null && (visible.isBlank() || visible.strip().startsWith("-"))) {
            out.add("CUDA_VISIBLE_DEVICES='" + visible + "' hides every GPU from this process: unset it or list "
                    + "the cards to use (e.g. 0,1)");
        }
        if (!r.cudaBuild() || r.flavour().equals("cpu")) {
            if (r.nativeJar() != null && !r.environment().containsKey("PYTORCH_LIBRARY_PATH")) {
                out.add("the libtorch in use is the CPU build (flavour " + r.flavour() + ") from " + r.nativeJar()
                        + ": DJL takes that jar before it would download a CUDA libtorch (only PYTORCH_LIBRARY_PATH "
                        + "comes first); build with the gpu profile (./mvnw -Pgpu ...), which leaves "
                        + "pytorch-native-cpu out");
            } else {
                out.add("the libtorch in use is a CPU build (flavour " + r.flavour() + ", " + r.libtorchPath()
                        + ", built without CUDA)");
            }
            String lib = r.environment().get("PYTORCH_LIBRARY_PATH");
            if (lib == null) {
                out.add("PYTORCH_LIBRARY_PATH is not set: either point it at a CUDA libtorch's lib folder (with "
                        + "PYTORCH_VERSION and PYTORCH_FLAVOR, e.g. cu124), or, with internet access, set "
                        + "PYTORCH_FLAVOR=cu124 (your CUDA) and let DJL download the matching libtorch");
            } else if (!Files.isDirectory(Path.of(lib))) {
                out.add("PYTORCH_LIBRARY_PATH=" + lib + " is not a folder");
            } else {
                out.add("PYTORCH_LIBRARY_PATH=" + lib + " holds a CPU libtorch, or its PYTORCH_FLAVOR ("
                        + r.environment().getOrDefault("PYTORCH_FLAVOR", "unset") + ") does not say cuXXX");
            }
        }
        if (out.isEmpty()) {
            out.add("libtorch is a CUDA build (" + r.flavour() + ") and a driver is loaded, yet no GPU is visible: "
                    + "check that the driver supports CUDA " + r.cudaRuntime() + " (nvidia-smi) and that the card "
                    + "is not held exclusively by another process");
        }
        return out;
    }
}

package ai.hypnos.cli.doctor;

import ai.hypnos.embed.Precision;
import java.util.List;

/**
 * Which {@code --precision} modes work on a device with this engine, and what each one does
 * there. The facts behind it are in docs/gpu.md (measured with DJL 0.36 and libtorch 2.7.1 on
 * the CPU, libtorch 2.11 on an H100).
 */
final class PrecisionSupport {
    private PrecisionSupport() {
    }

    /**
     * One mode.
     *
     * @param name   {@code fp32}, {@code tf32}, {@code fp16} or {@code bf16}
     * @param usable whether {@code --precision name} is accepted and runs
     * @param effect what it does on this device
     */
    record Mode(String name, boolean usable, String effect) {
    }

    /**
     * The modes on a CPU ({@code gpu} false) or a CUDA device.
     *
     * @param tf32Set whether {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} is in this process's environment
     */
    static List<Mode> on(boolean gpu, boolean tf32Set) {
        String tf32 = gpu
                ? (tf32Set ? "float32 weights; matmuls on TF32 tensor cores (" + Precision.TF32_ENV + "=1 is set)"
                        : "float32 weights; " + Precision.TF32_ENV + " is NOT set, so matmuls stay full float32 "
                                + "(the hypnos launcher sets it for --precision tf32; export it before the JVM starts)")
                : "same as fp32 on a CPU (TF32 is a CUDA tensor-core mode); " + Precision.TF32_ENV + " is "
                        + (tf32Set ? "set" : "not set");
        String fp16 = gpu
                ? "float16 weights and activations (LayerNorm and softmax accumulate in float32 inside libtorch); "
                        + "training keeps float32 master weights with dynamic loss scaling"
                : "float16 weights and activations: every kernel the model uses has a float16 CPU version in "
                        + "libtorch 2.7.1 (tested); useful to check a run before it goes to a GPU";
        return List.of(
                new Mode("fp32", true, "float32 weights and arithmetic"),
                new Mode("tf32", true, tf32),
                new Mode("fp16", true, fp16),
                new Mode("bf16", false, "refused: DJL 0.36's native layer aborts the JVM on BFLOAT16 arrays; "
                        + "bf16 bundles still load (decoded to float32 in Java)"));
    }
}

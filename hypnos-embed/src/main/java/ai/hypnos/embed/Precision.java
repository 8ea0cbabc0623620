package ai.hypnos.embed;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Arithmetic of the RQ-Transformer (issue 12's {@code --precision}). Tokenizers always run in
 * float32: a rounding difference there can flip a nearest-code decision.
 */
public enum Precision {
    /** float32 weights and arithmetic. */
    FP32(DataType.FLOAT32),
    /**
     * float32 weights; on a CUDA device matrix products may use TF32 tensor cores. libtorch only
     * honours this when {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} is in the environment before it
     * loads (the {@code hypnos} launcher sets it for {@code --precision tf32}); on a CPU it is FP32.
     */
    TF32(DataType.FLOAT32),
    /** float16 weights and arithmetic (LayerNorm and softmax accumulate in float32 inside libtorch on CUDA). */
    FP16(DataType.FLOAT16);

    /**
     * The environment variable with which libtorch lets float32 CUDA matmuls use TF32 tensor
     * cores (read once, when libtorch loads; DJL has no Java switch for it).
     */
    public static final String TF32_ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The DJL data type of the transformer's weights. */
    public DataType dataType() {
        return dataType;
    }

    /** Whether {@link #TF32_ENV} is set to {@code 1} in this process's environment. */
    public static boolean tf32OverrideSet() {
        return "1".equals(System.getenv(TF32_ENV));
    }

    /**
     * Parses {@code fp32}, {@code tf32}, {@code fp16} (and {@code float32}, {@code float16}).
     *
     * @throws IllegalArgumentException for {@code bf16}, with the reason, and for anything unknown
     */
    public static Precision parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "fp32", "float32", "f32" -> FP32;
            case "tf32" -> TF32;
            case "fp16", "float16", "f16", "half" -> FP16;
            case "bf16", "bfloat16" -> throw new IllegalArgumentException("precision bf16 is not supported: DJL 0.36's "
                    + "native layer aborts the JVM on BFLOAT16 arrays (bf16 bundles still load: their weights are "
                    + "decoded to float32 in Java); use fp32, tf32 or fp16");
            default -> throw new IllegalArgumentException("unknown precision '" + s + "' (expected fp32, tf32 or fp16)");
        };
    }
}

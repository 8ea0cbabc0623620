package ai.hypnos.spark;

import ai.hypnos.embed.EmbedOptions;
import java.util.Map;

/**
 * An embed run: every recording of a manifest → {@code <out>/<id>.npz}, the file
 * {@code hypnos embed} writes for it (notch from the manifest row).
 *
 * @param manifest    cohort manifest URI (CSV or Parquet)
 * @param model       model bundle URI (a {@code .safetensors} file or a folder holding {@code hypnos.safetensors})
 * @param out         output folder URI
 * @param device      executor device: {@code cpu}, {@code gpu}, {@code gpu:N}
 * @param precision   {@code fp32}, {@code tf32} or {@code fp16}
 * @param dtype       embedding output type: {@code float16} or {@code float32}
 * @param chunkTokens seconds per transformer chunk
 * @throws IllegalArgumentException naming the option and value for an unknown device, precision
 *         or dtype, or a chunk below 1 (checked on the driver, before Spark starts)
 * @param aliases     extra channel labels: file label → modality key
 */
public record EmbedJob(String manifest, String model, String out, String device, String precision, String dtype,
        int chunkTokens, Map<String, String> aliases) {

    public EmbedJob {
        aliases = Map.copyOf(aliases);
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("--chunk-tokens: chunk must be at least 1 token, got " + chunkTokens);
        }
        // Parsed here, on the driver, so a bad value fails the command (exit 2) instead of every task.
        DriverChecks.device("--device", device);
        DriverChecks.precision("--precision", precision);
        DriverChecks.outputType("--dtype", dtype);
    }

    /** CPU, fp32, float16 output, chunks of 2048 s: {@code hypnos embed}'s defaults. */
    public static EmbedJob of(String manifest, String model, String out) {
        return new EmbedJob(manifest, model, out, "cpu", "fp32", "float16", EmbedOptions.DEFAULT_CHUNK_TOKENS, Map.of());
    }
}

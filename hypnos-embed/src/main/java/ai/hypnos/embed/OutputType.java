package ai.hypnos.embed;

import java.util.Locale;

/**
 * Number type of returned embeddings. The reference returns float16 ({@code ctx.to(torch.float16)});
 * float32 keeps the transformer's full output. Either way the mean over modalities and the epoch
 * pooling are computed from the float32 values and rounded last.
 */
public enum OutputType {
    /** IEEE half precision, rounded to nearest even (numpy's {@code astype(np.float16)}). */
    FLOAT16,
    /** The transformer's float32 output as is. */
    FLOAT32;

    /** Parses {@code float16}, {@code f16}, {@code fp16}, {@code half}, {@code float32}, {@code f32}, {@code fp32}. */
    public static OutputType parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "float16", "f16", "fp16", "half" -> FLOAT16;
            case "float32", "f32", "fp32", "float" -> FLOAT32;
            default -> throw new IllegalArgumentException("unknown output dtype '" + s + "' (expected float16 or float32)");
        };
    }

    /** numpy's name of this type. */
    public String numpyName() {
        return this == FLOAT16 ? "float16" : "float32";
    }
}

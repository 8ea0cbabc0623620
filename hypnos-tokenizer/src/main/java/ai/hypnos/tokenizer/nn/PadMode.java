package ai.hypnos.tokenizer.nn;

import java.util.Locale;

/**
 * How a causal conv fills its (k−1)·dilation left context at the start of a sequence
 * ({@code pad_mode} in the reference's kwargs). Mid-stream the context is the real past.
 */
public enum PadMode {
    /** x[p], …, x[1] (PyTorch {@code F.pad(mode="reflect")}); needs at least p+1 inputs. */
    REFLECT("reflect"),
    /** Zeros (PyTorch {@code mode="constant"}). */
    CONSTANT("constant");

    private final String key;

    PadMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static PadMode fromKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.equals("zeros") || k.equals("zero")) {
            return CONSTANT;
        }
        for (PadMode p : values()) {
            if (p.key.equals(k)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pad_mode '" + key + "' is not supported (reflect or constant)");
    }
}

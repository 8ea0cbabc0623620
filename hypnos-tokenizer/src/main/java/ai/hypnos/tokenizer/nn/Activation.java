package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** The reference's activation names ({@code get_activation}), applied elementwise. */
public enum Activation {
    ELU("elu"),
    /** Exact (erf) GELU, PyTorch's {@code nn.GELU()} default. */
    GELU("gelu"),
    RELU("relu"),
    /** PyTorch's {@code nn.LeakyReLU()} default slope 0.01. */
    LEAKY("leaky"),
    SILU("silu"),
    LINEAR("linear");

    private final String key;

    Activation(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public NDArray apply(NDArray x) {
        return switch (this) {
            case ELU -> ai.djl.nn.Activation.elu(x, 1.0f);
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case RELU -> ai.djl.nn.Activation.relu(x);
            case LEAKY -> ai.djl.nn.Activation.leakyRelu(x, 0.01f);
            case SILU -> x.mul(ai.djl.nn.Activation.sigmoid(x));
            case LINEAR -> x;
        };
    }

    public static Activation fromKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.equals("swish")) {
            return SILU;
        }
        for (Activation a : values()) {
            if (a.key.equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation '" + key + "' is not supported (elu, gelu, relu, leaky, silu, linear)");
    }
}

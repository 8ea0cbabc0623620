package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Normalisation of a SEANet convolution ({@code norm} in the reference's kwargs).
 *
 * <ul>
 *   <li>{@link #WEIGHT}: weight normalisation, w = g·v/‖v‖ with the norm over every dimension
 *       but the first (tensors {@code conv.parametrizations.weight.original0} = g and
 *       {@code original1} = v);
 *   <li>{@link #LAYER}: a layer norm over channels after the conv ({@code norm.weight},
 *       {@code norm.bias}, shape [1, C, 1], ε 1e-5);
 *   <li>{@link #RMS}: an RMS norm over channels after the conv ({@code norm.weight});
 *   <li>{@link #NONE}: a plain conv.
 * </ul>
 * The reference's batch and instance norms are not causal-streamable and are not supported.
 */
public enum ConvNorm {
    WEIGHT("weight"),
    LAYER("layer"),
    RMS("rms"),
    NONE(null);

    private final String key;

    ConvNorm(String key) {
        this.key = key;
    }

    /** The kwargs value ({@code null} for {@link #NONE}). */
    public String key() {
        return key;
    }

    /**
     * Applies the channel norm that follows a conv to {@code y} [B, C, L] (identity for
     * {@link #WEIGHT} and {@link #NONE}, whose work is in the kernel). ε = 1e-5 as the reference's
     * {@code ConvLayerNorm}/{@code ConvRMSNorm}.
     */
    public NDArray apply(NDArray y, NDArray weight, NDArray bias) {
        switch (this) {
            case LAYER: {
                NDArray centred = y.sub(y.mean(new int[] {1}, true));
                NDArray var = centred.square().mean(new int[] {1}, true);
                return centred.div(var.add(1e-5f).sqrt()).mul(weight).add(bias);
            }
            case RMS: {
                NDArray ms = y.square().mean(new int[] {1}, true);
                return y.div(ms.add(1e-5f).sqrt()).mul(weight);
            }
            default:
                return y;
        }
    }

    public static ConvNorm fromKey(String key) {
        if (key == null || key.equalsIgnoreCase("none") || key.equalsIgnoreCase("null")) {
            return NONE;
        }
        String k = key.toLowerCase(Locale.ROOT);
        for (ConvNorm n : values()) {
            if (k.equals(n.key)) {
                return n;
            }
        }
        throw new IllegalArgumentException("norm '" + key + "' is not supported (weight, layer, rms or none)");
    }
}

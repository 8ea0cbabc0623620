package ai.hypnos.transformer.weights;

import java.util.Arrays;

/**
 * One tensor of the model's state dict: its reference name, shape, role and initialisation.
 *
 * @param name    state-dict name (without the bundle's {@code model/} prefix)
 * @param shape   tensor shape
 * @param kind    trainable parameter, second name of a tied parameter, or buffer
 * @param init    how a fresh model initialises it (parameters only)
 * @param aliasOf for {@link Kind#TIED_ALIAS}: the parameter it is the same tensor as
 */
public record ParameterSpec(String name, long[] shape, Kind kind, Init init, String aliasOf) {

    /** Role of a state-dict entry. */
    public enum Kind {
        /** A trainable tensor, stored once. */
        PARAMETER,
        /** Another name of a tied parameter: written to bundles under both names, trained once. */
        TIED_ALIAS,
        /** A non-trainable buffer the published layout contains (RoPE tables, modality mask). */
        BUFFER
    }

    /** Initialisation of a fresh parameter (DESIGN §6: GPT-2 conventions, as the reference). */
    public enum Init {
        /** N(0, 0.02): linear and embedding weights, BOS vectors, depth modality embeddings. */
        NORMAL,
        /** Zeros: biases, LayerNorm shifts. */
        ZEROS,
        /** Ones: LayerNorm and RMSNorm gains. */
        ONES,
        /** The configured LayerScale value. */
        LAYER_SCALE,
        /** Not initialised (aliases, buffers). */
        NONE
    }

    static ParameterSpec parameter(String name, Init init, long... shape) {
        return new ParameterSpec(name, shape, Kind.PARAMETER, init, null);
    }

    static ParameterSpec alias(String name, String of, long... shape) {
        return new ParameterSpec(name, shape, Kind.TIED_ALIAS, Init.NONE, of);
    }

    static ParameterSpec buffer(String name, long... shape) {
        return new ParameterSpec(name, shape, Kind.BUFFER, Init.NONE, null);
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (kind == Kind.PARAMETER ? "" : " " + kind);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.kind == kind
                && p.init == init && java.util.Objects.equals(p.aliasOf, aliasOf);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}

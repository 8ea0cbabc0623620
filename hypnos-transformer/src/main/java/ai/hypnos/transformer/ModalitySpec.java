package ai.hypnos.transformer;

import ai.hypnos.core.modality.Modality;
import java.util.Objects;
import java.util.Optional;

/**
 * One modality as the RQ-Transformer sees it: a token stream of {@code numQuantizers} levels,
 * each level a code in {@code [0, codebookSize)}.
 *
 * <p>{@code signalType} decides weight sharing: modalities with the same (signal type, K, V)
 * share one set of token-embedding tables, one BOS vector and one set of output heads, as in the
 * reference (DESIGN §3, §6).
 *
 * @param name          unique modality name, e.g. {@code "eeg_c3"}
 * @param signalType    signal class, e.g. {@code "eeg"}
 * @param numQuantizers K, the number of RVQ levels of its tokenizer
 * @param codebookSize  V, the number of codes per level
 */
public record ModalitySpec(String name, String signalType, int numQuantizers, int codebookSize) {

    public ModalitySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signalType, "signalType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("modality name must not be blank");
        }
        if (numQuantizers < 1) {
            throw new IllegalArgumentException("modality " + name + ": num_quantizers must be >= 1, got " + numQuantizers);
        }
        if (codebookSize < 2) {
            throw new IllegalArgumentException("modality " + name + ": codebook_size must be >= 2, got " + codebookSize);
        }
    }

    /** The spec of one of the eight standard modalities with K levels of V codes. */
    public static ModalitySpec of(Modality modality, int numQuantizers, int codebookSize) {
        return new ModalitySpec(modality.key(), modality.signalType().key(), numQuantizers, codebookSize);
    }

    /** The standard modality of this name, if it is one of the eight. */
    public Optional<Modality> standard() {
        return Modality.fromKey(name);
    }
}

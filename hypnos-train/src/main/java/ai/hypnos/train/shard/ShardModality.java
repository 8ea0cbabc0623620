package ai.hypnos.train.shard;

import ai.hypnos.core.modality.Modality;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One modality's block of token columns in a shard.
 *
 * @param name          modality key ({@code eeg_c3}…), one of the eight standard modalities
 * @param signalType    signal type key ({@code eeg}…)
 * @param tokenizer     stem of the tokenizer that produces its tokens
 * @param numQuantizers K, token columns of this modality
 * @param codebookSize  V, codes per level
 */
public record ShardModality(
        @JsonProperty("name") String name,
        @JsonProperty("signal_type") String signalType,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("num_quantizers") int numQuantizers,
        @JsonProperty("codebook_size") int codebookSize) {

    public ShardModality {
        if (Modality.fromKey(name).isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is not one of the eight standard modalities: "
                    + "shards are built from recordings through channel resolution, which knows only those");
        }
        if (numQuantizers < 1 || codebookSize < 2 || codebookSize > Short.MAX_VALUE + 1) {
            throw new IllegalArgumentException(name + ": K = " + numQuantizers + ", V = " + codebookSize
                    + " (int16 shards hold codebooks of at most 32768 codes)");
        }
    }

    /** The standard modality. */
    public Modality modality() {
        return Modality.fromKey(name).orElseThrow();
    }
}

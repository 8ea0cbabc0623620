package ai.hypnos.train.shard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What identifies a trained tokenizer, independent of where its file lies: a shard records the
 * identities of the tokenizers that made it, so shards made with other weights are recognised
 * (and rebuilt) and a trained model can be checked against the tokenizers it is bundled with.
 *
 * @param stem          tokenizer stem ({@code eeg}…)
 * @param signalType    signal type it encodes
 * @param numQuantizers K
 * @param codebookSize  V
 * @param sampleRate    input rate, Hz
 * @param sha256        SHA-256 (hex) over its configuration and every weight tensor (name, dtype,
 *                      shape and bytes, in name order)
 */
public record TokenizerIdentity(
        @JsonProperty("stem") String stem,
        @JsonProperty("signal_type") String signalType,
        @JsonProperty("num_quantizers") int numQuantizers,
        @JsonProperty("codebook_size") int codebookSize,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("sha256") String sha256) {
}

package ai.hypnos.spark;

import java.util.Map;

/**
 * A tokenize run: every recording of a manifest → a token shard in {@code out}, as
 * {@code ShardBuilder} builds them on one machine.
 *
 * @param manifest   cohort manifest URI (CSV or Parquet: subject, recording, annotations, site, notch, split)
 * @param tokenizers tokenizer bundle ({@code .safetensors}) or folder of tokenizer files, URI
 * @param out        output folder URI (local, {@code hdfs://}, {@code s3a://}…)
 * @param device     executor device: {@code cpu}, {@code gpu}, {@code gpu:N}
 * @param aliases    extra channel labels: file label → modality key
 */
public record TokenizeJob(String manifest, String tokenizers, String out, String device, Map<String, String> aliases) {

    public TokenizeJob {
        aliases = Map.copyOf(aliases);
    }

    /** On CPU, with the built-in channel aliases. */
    public static TokenizeJob of(String manifest, String tokenizers, String out) {
        return new TokenizeJob(manifest, tokenizers, out, "cpu", Map.of());
    }
}

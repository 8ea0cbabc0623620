package ai.hypnos.spark;

import ai.hypnos.train.cohort.SubjectSplitter;
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
 * @param splits     how subjects without a split in the manifest are assigned one (the
 *                   single-machine {@code hypnos tokenize}'s {@code --val-fraction},
 *                   {@code --test-fraction}, {@code --split-seed}); it goes into the shard metadata
 * @throws IllegalArgumentException naming {@code --device} and its value for an unknown device
 *         (checked on the driver, before Spark starts)
 */
public record TokenizeJob(String manifest, String tokenizers, String out, String device, Map<String, String> aliases,
        SubjectSplitter splits) {

    public TokenizeJob {
        aliases = Map.copyOf(aliases);
        java.util.Objects.requireNonNull(splits, "splits");
        // Checked on the driver: otherwise a typo fails every task on the executors instead of the command.
        DriverChecks.device("--device", device);
    }

    /** On CPU, with the built-in channel aliases and the default subject splits (80/10/10, seed 0). */
    public static TokenizeJob of(String manifest, String tokenizers, String out) {
        return new TokenizeJob(manifest, tokenizers, out, "cpu", Map.of(), SubjectSplitter.defaults());
    }
}

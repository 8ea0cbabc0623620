package ai.hypnos.train.pretrain;

import ai.djl.Device;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.embed.bundle.BundleConfig;
import ai.hypnos.embed.bundle.BundleModality;
import ai.hypnos.embed.bundle.BundleTokenizer;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.train.shard.ShardModality;
import ai.hypnos.train.shard.ShardSetInfo;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.transformer.RqTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Saves a trained model with the tokenizers that made its training data as one bundle in the
 * published layout (the embedding engineer's {@link BundleWriter}), so that
 * {@code hypnos embed --model <bundle>} and {@code Hypnos.load} use it like the published model.
 */
public final class TrainedBundle {
    private TrainedBundle() {
    }

    /**
     * Writes the bundle.
     *
     * @param tokenizerSource folder or bundle holding the tokenizers
     * @param shards          what the training shards were built with (the tokenizers must match)
     * @param dtype           F32, F16 or BF16
     * @throws IllegalArgumentException if the tokenizers are not the ones that built the shards
     */
    public static void write(Path target, RqTransformer model, Path tokenizerSource, ShardSetInfo shards, String dtype)
            throws IOException {
        try (TokenizerSet tokenizers = TokenizerSet.open(tokenizerSource, Device.cpu())) {
            if (!tokenizers.identities().equals(shards.tokenizers())) {
                throw new IllegalArgumentException("the tokenizers in " + tokenizerSource + " are not the ones the "
                        + "training shards were built with (their SHA-256 differ); bundle the model with those");
            }
            ShardLayout layout = shards.layout();
            List<BundleModality> modalities = new ArrayList<>();
            Map<String, BundleTokenizer> entries = new LinkedHashMap<>();
            Map<String, SignalTokenizer> used = new LinkedHashMap<>();
            for (ShardModality m : layout.modalities()) {
                modalities.add(BundleModality.standard(m.modality(), m.tokenizer(), m.numQuantizers(), m.codebookSize()));
                SignalTokenizer tok = tokenizers.tokenizer(m.tokenizer());
                entries.computeIfAbsent(m.tokenizer(), s -> BundleTokenizer.of(s, m.signalType(), tok.config()));
                used.put(m.tokenizer(), tok);
            }
            BundleConfig config = BundleConfig.of(model.config(), modalities, new ArrayList<>(entries.values()));
            BundleWriter.write(target, config, model, used,
                    SafetensorsDtype.valueOf(dtype.toUpperCase(Locale.ROOT)));
        }
    }
}

package ai.hypnos.embed.bundle;

import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.io.TokenizerWeights;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.weights.TransformerBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a model and its tokenizers as one weight bundle in the published layout (DESIGN §7):
 * {@code model/<state-dict name>} for the RQ-Transformer (tied tables under both names, the RoPE
 * and modality-mask buffers included), {@code tok/<stem>/<state-dict name>} for each tokenizer
 * (EMA buffers, {@code initialized}, {@code usage_count} included), metadata
 * {@code format_version = "1"} and {@code config} (see {@link BundleConfig}). The file is written
 * to a temporary name and renamed, so a reader never sees half a bundle.
 *
 * <pre>{@code
 * BundleConfig config = BundleConfig.of(model.config(), modalities, tokenizerEntries);
 * BundleWriter.write(Path.of("my-model.safetensors"), config, model, Map.of("eeg", eegTok, ...), SafetensorsDtype.BF16);
 * }</pre>
 */
public final class BundleWriter {
    /** Value of the {@code format_version} metadata entry. */
    public static final String FORMAT_VERSION = "1";

    private static final Logger LOG = LoggerFactory.getLogger(BundleWriter.class);

    private BundleWriter() {
    }

    /**
     * Writes a bundle.
     *
     * @param config     the config JSON to store; its transformer configuration must be the model's
     * @param tokenizers one tokenizer per stem of {@code config.tokenizers()}, each with the
     *                   configuration the config states
     * @param floatType  F32, F16 or BF16 for every floating-point parameter (rounded to nearest even);
     *                   the RoPE tables stay F32 and the integer/bool buffers keep their types
     * @throws IllegalArgumentException if the pieces do not fit together
     */
    public static void write(Path target, BundleConfig config, RqTransformer model,
            Map<String, SignalTokenizer> tokenizers, SafetensorsDtype floatType) throws IOException {
        if (floatType != SafetensorsDtype.F32 && floatType != SafetensorsDtype.F16 && floatType != SafetensorsDtype.BF16) {
            throw new IllegalArgumentException("bundle weights are F32, F16 or BF16, not " + floatType);
        }
        check(config, model, tokenizers);
        long t0 = System.nanoTime();
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("config", config.toJsonString());
        w.metadata("format_version", FORMAT_VERSION);
        TransformerBundle.addTensors(model, w, floatType);
        for (String stem : config.tokenizers().keySet()) {
            TokenizerWeights.write(tokenizers.get(stem), w, BundleReader.TOKENIZER_PREFIX + stem + "/", floatType);
        }
        w.write(target);
        LOG.info("wrote bundle {} ({} weights, {} modalities, tokenizers {}) in {} ms", target, floatType,
                config.modalities().size(), config.tokenizers().keySet(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Writes a loaded bundle again (e.g. to change the weights' float type). */
    public static void write(Path target, Bundle bundle, SafetensorsDtype floatType) throws IOException {
        write(target, bundle.config(), bundle.model(), bundle.tokenizers(), floatType);
    }

    private static void check(BundleConfig config, RqTransformer model, Map<String, SignalTokenizer> tokenizers) {
        String ours = model.config().toModelKwargs().toString();
        String theirs = config.transformer().toModelKwargs().toString();
        if (!ours.equals(theirs) || !model.config().modalities().equals(config.transformer().modalities())) {
            throw new IllegalArgumentException("the config describes another transformer: config " + theirs + " "
                    + config.transformer().modalities() + ", model " + ours + " " + model.config().modalities());
        }
        for (BundleTokenizer t : config.tokenizers().values()) {
            SignalTokenizer tok = tokenizers.get(t.stem());
            if (tok == null) {
                throw new IllegalArgumentException("no tokenizer given for stem '" + t.stem() + "' (given: "
                        + tokenizers.keySet() + ")");
            }
            if (!tok.config().equals(t.config())) {
                throw new IllegalArgumentException("tokenizer '" + t.stem() + "' has configuration " + tok.config()
                        + " but the config states " + t.config());
            }
        }
    }
}

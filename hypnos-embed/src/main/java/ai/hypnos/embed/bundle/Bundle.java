package ai.hypnos.embed.bundle;

import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.transformer.RqTransformer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded weight bundle: its configuration, the RQ-Transformer and one tokenizer per stem, all
 * on one device. Holds native memory: close it (or the {@code HypnosModel} that owns it).
 *
 * <p>Thread safety: the model and tokenizers are only read by inference, so one bundle serves
 * many threads at once; closing it while they run is an error.
 */
public final class Bundle implements AutoCloseable {
    private final Path source;
    private final BundleConfig config;
    private final RqTransformer model;
    private final Map<String, SignalTokenizer> tokenizers;

    /**
     * @param source     where it was read from ({@code null} for a bundle assembled in memory)
     * @param tokenizers one tokenizer per stem of {@code config.tokenizers()}
     */
    public Bundle(Path source, BundleConfig config, RqTransformer model, Map<String, SignalTokenizer> tokenizers) {
        if (!tokenizers.keySet().containsAll(config.usedTokenizers())) {
            throw new IllegalArgumentException("tokenizers " + tokenizers.keySet() + " do not cover the stems "
                    + config.usedTokenizers() + " the modalities use");
        }
        this.source = source;
        this.config = config;
        this.model = model;
        this.tokenizers = Collections.unmodifiableMap(new LinkedHashMap<>(tokenizers));
    }

    /** The file this bundle was read from, or {@code null}. */
    public Path source() {
        return source;
    }

    public BundleConfig config() {
        return config;
    }

    public RqTransformer model() {
        return model;
    }

    /** Tokenizers by stem. */
    public Map<String, SignalTokenizer> tokenizers() {
        return tokenizers;
    }

    /** The tokenizer that encodes a modality. */
    public SignalTokenizer tokenizerOf(String modality) {
        return tokenizers.get(config.modality(modality).tokenizer());
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (SignalTokenizer t : tokenizers.values()) {
            try {
                t.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        model.close();
        if (first != null) {
            throw first;
        }
    }
}

package ai.hypnos.embed.bundle;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TransformerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Randomly initialised bundles in the published layout, for tests, benchmarks and examples: one
 * tokenizer per signal type of the chosen modalities (stems = signal type keys), an
 * RQ-Transformer over those modalities, and the matching config. Deterministic for a seed.
 *
 * <pre>{@code
 * try (Bundle b = RandomBundle.builder(Preset.SMALL::builder, TokenizerPreset.SMALL)
 *         .modalities(List.of(Modality.values())).seed(7).build(Device.cpu())) {
 *     BundleWriter.write(Path.of("small-random.safetensors"), b, SafetensorsDtype.F32);
 * }
 * }</pre>
 */
public final class RandomBundle {
    private final Function<List<ModalitySpec>, TransformerConfig.Builder> transformer;
    private final TokenizerPreset tokenizers;
    private List<Modality> modalities = List.of(Modality.values());
    private UnaryOperator<TokenizerConfig.Builder> tokenizerTweak = UnaryOperator.identity();
    private long seed = 1;
    private DataType weights = DataType.FLOAT32;

    private RandomBundle(Function<List<ModalitySpec>, TransformerConfig.Builder> transformer, TokenizerPreset tokenizers) {
        this.transformer = transformer;
        this.tokenizers = tokenizers;
    }

    /**
     * A builder.
     *
     * @param transformer the transformer's hyper-parameters for a modality list (K and V come from
     *                    the tokenizers), e.g. {@code Preset.SMALL::builder}
     * @param tokenizers  the tokenizer size
     */
    public static RandomBundle builder(Function<List<ModalitySpec>, TransformerConfig.Builder> transformer,
            TokenizerPreset tokenizers) {
        return new RandomBundle(transformer, tokenizers);
    }

    /** The standard modalities to include, in the fixed order (default: all eight). */
    public RandomBundle modalities(List<Modality> mods) {
        this.modalities = mods.stream().sorted().distinct().toList();
        return this;
    }

    /** Changes every tokenizer configuration (e.g. fewer levels). */
    public RandomBundle tokenizerConfig(UnaryOperator<TokenizerConfig.Builder> tweak) {
        this.tokenizerTweak = tweak;
        return this;
    }

    public RandomBundle seed(long s) {
        this.seed = s;
        return this;
    }

    /** FLOAT32 (default) or FLOAT16 transformer weights. */
    public RandomBundle weights(DataType type) {
        this.weights = type;
        return this;
    }

    /** Initialises the bundle on a device. */
    public Bundle build(Device device) {
        Map<String, TokenizerConfig> byStem = new LinkedHashMap<>();
        for (Modality m : modalities) {
            SignalType t = m.signalType();
            byStem.computeIfAbsent(t.key(), k -> tokenizerTweak.apply(tokenizers.config(t).toBuilder()).build());
        }
        List<BundleModality> entries = new ArrayList<>();
        List<ModalitySpec> specs = new ArrayList<>();
        for (Modality m : modalities) {
            TokenizerConfig c = byStem.get(m.signalType().key());
            entries.add(BundleModality.standard(m, m.signalType().key(), c.numQuantizers, c.codebookSize));
            specs.add(ModalitySpec.of(m, c.numQuantizers, c.codebookSize));
        }
        TransformerConfig cfg = transformer.apply(specs).build();
        List<BundleTokenizer> toks = new ArrayList<>();
        byStem.forEach((stem, c) -> toks.add(BundleTokenizer.of(stem, stem, c)));
        BundleConfig config = BundleConfig.of(cfg, entries, toks);
        Map<String, SignalTokenizer> made = new LinkedHashMap<>();
        RqTransformer model = null;
        try {
            long s = seed;
            for (Map.Entry<String, TokenizerConfig> e : byStem.entrySet()) {
                made.put(e.getKey(), SignalTokenizer.create(e.getValue(), device, ++s));
            }
            model = RqTransformer.initialize(cfg, device, weights, seed);
            return new Bundle(null, config, model, made);
        } catch (RuntimeException e) {
            made.values().forEach(SignalTokenizer::close);
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }
}

package ai.hypnos.embed.bundle;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.TransformerConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code config} JSON of a weight bundle (DESIGN §7), as the reference's {@code manifest.py}
 * defines it:
 *
 * <pre>
 * { "model_target": "hypnos.models.rq_transformer.MultiModalRQTransformer",
 *   "model_kwargs": { embed_dim, temporal_depth, … },          // RQ-Transformer constructor arguments
 *   "modalities":   [ {name, signal_type, channels, tokenizer, num_quantizers, codebook_size,
 *                      token_duration_sec, sample_rate, preprocess_modality}, … ],   // token column order
 *   "tokenizers":   { stem: {signal_type, num_quantizers, codebook_size, token_duration_sec,
 *                            sample_rate, tokenizer_kwargs}, … } }
 * </pre>
 *
 * <p>{@link #parse} checks what the reference checks (non-empty modalities, one token cadence, no
 * {@code modality_configs} in the kwargs) and more: every modality names a tokenizer that exists
 * and agrees with it on K, V, rate and signal type; names are unique; the transformer kwargs
 * describe a model this library builds. Immutable.
 */
public final class BundleConfig {
    /** The reference's class name for the model, written into new bundles. */
    public static final String MODEL_TARGET = "hypnos.models.rq_transformer.MultiModalRQTransformer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelTarget;
    private final ObjectNode modelKwargs;
    private final List<BundleModality> modalities;
    private final Map<String, BundleTokenizer> tokenizers;
    private final TransformerConfig transformer;

    private BundleConfig(String modelTarget, ObjectNode modelKwargs, List<BundleModality> modalities,
            Map<String, BundleTokenizer> tokenizers, TransformerConfig transformer) {
        this.modelTarget = modelTarget;
        this.modelKwargs = modelKwargs.deepCopy();
        this.modalities = List.copyOf(modalities);
        this.tokenizers = Collections.unmodifiableMap(new LinkedHashMap<>(tokenizers));
        this.transformer = transformer;
    }

    /**
     * A configuration for a model and its tokenizers (e.g. to save a trained model).
     *
     * @param model      the transformer's configuration; its modalities must match {@code modalities}
     * @param modalities one entry per transformer modality, in the same order
     * @param tokenizers every stem the modalities name
     * @throws IllegalArgumentException when the pieces disagree (names, K, V, stems)
     */
    public static BundleConfig of(TransformerConfig model, List<BundleModality> modalities,
            List<BundleTokenizer> tokenizers) {
        Map<String, BundleTokenizer> byStem = new LinkedHashMap<>();
        for (BundleTokenizer t : tokenizers) {
            if (byStem.put(t.stem(), t) != null) {
                throw new IllegalArgumentException("tokenizer stem '" + t.stem() + "' given twice");
            }
        }
        try {
            check(modalities, byStem, null);
        } catch (HypnosFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<ModalitySpec> specs = model.modalities();
        if (specs.size() != modalities.size()) {
            throw new IllegalArgumentException("the model has " + specs.size() + " modalities, the config lists "
                    + modalities.size());
        }
        for (int i = 0; i < specs.size(); i++) {
            ModalitySpec s = specs.get(i);
            BundleModality m = modalities.get(i);
            if (!s.name().equals(m.name()) || !s.signalType().equals(m.signalType())
                    || s.numQuantizers() != m.numQuantizers() || s.codebookSize() != m.codebookSize()) {
                throw new IllegalArgumentException("modality " + i + " of the model is " + s + " but the config says "
                        + m.name() + " (" + m.signalType() + ", K " + m.numQuantizers() + ", V " + m.codebookSize() + ")");
            }
        }
        return new BundleConfig(MODEL_TARGET, model.toModelKwargs(), modalities, byStem, model);
    }

    /**
     * Parses and checks a bundle's {@code config} metadata entry.
     *
     * @param json the JSON text, {@code null} when the metadata has none
     * @param file the bundle (for messages)
     * @throws HypnosFormatException naming the field and value that are wrong
     */
    public static BundleConfig parse(String json, Path file) throws HypnosFormatException {
        if (json == null) {
            throw new HypnosFormatException(file, "__metadata__.config", null,
                    "missing: not a Hypnos bundle (the config JSON is stored in the safetensors metadata)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HypnosFormatException(file, "__metadata__.config", abbreviate(json),
                    "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new HypnosFormatException(file, "__metadata__.config", abbreviate(json), "must be a JSON object");
        }
        JsonNode target = root.get("model_target");
        String modelTarget = target != null && target.isTextual() ? target.asText() : MODEL_TARGET;
        JsonNode kwargs = root.get("model_kwargs");
        if (kwargs == null || !kwargs.isObject()) {
            throw new HypnosFormatException(file, "config.model_kwargs", kwargs, "missing or not a JSON object");
        }
        if (kwargs.has("modality_configs")) {
            throw new HypnosFormatException(file, "config.model_kwargs.modality_configs", "present",
                    "must not be given: the modalities come from config.modalities");
        }
        JsonNode mods = root.get("modalities");
        if (mods == null || !mods.isArray() || mods.isEmpty()) {
            throw new HypnosFormatException(file, "config.modalities", mods, "must be a non-empty list");
        }
        List<BundleModality> modalities = new ArrayList<>();
        for (int i = 0; i < mods.size(); i++) {
            modalities.add(BundleModality.parse(mods.get(i), file, i));
        }
        JsonNode toks = root.get("tokenizers");
        if (toks == null || !toks.isObject() || toks.isEmpty()) {
            throw new HypnosFormatException(file, "config.tokenizers", toks, "must be a non-empty JSON object");
        }
        Map<String, BundleTokenizer> tokenizers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : toks.properties()) {
            tokenizers.put(e.getKey(), BundleTokenizer.parse(e.getKey(), e.getValue(), file));
        }
        check(modalities, tokenizers, file);
        List<ModalitySpec> specs = modalities.stream()
                .map(m -> new ModalitySpec(m.name(), m.signalType(), m.numQuantizers(), m.codebookSize())).toList();
        TransformerConfig transformer;
        try {
            transformer = TransformerConfig.fromModelKwargs(kwargs, specs);
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file, "config.model_kwargs", abbreviate(kwargs.toString()), e.getMessage(), e);
        }
        return new BundleConfig(modelTarget, (ObjectNode) kwargs, modalities, tokenizers, transformer);
    }

    /** Cross-checks modalities against tokenizers (shared by parse and of). */
    private static void check(List<BundleModality> modalities, Map<String, BundleTokenizer> tokenizers, Path file)
            throws HypnosFormatException {
        if (modalities.isEmpty()) {
            throw new HypnosFormatException(file, "config.modalities", "[]", "must be a non-empty list");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < modalities.size(); i++) {
            BundleModality m = modalities.get(i);
            String field = "config.modalities[" + i + "]";
            if (!names.add(m.name())) {
                throw new HypnosFormatException(file, field + ".name", m.name(), "duplicate modality name");
            }
            if (Math.abs(m.tokenDurationSec() - 1.0) > 1e-6) {
                throw new HypnosFormatException(file, field + ".token_duration_sec", m.tokenDurationSec(),
                        "only one token per second is supported (every modality must share the 1-s cadence)");
            }
            BundleTokenizer t = tokenizers.get(m.tokenizer());
            if (t == null) {
                throw new HypnosFormatException(file, field + ".tokenizer", m.tokenizer(),
                        "no such tokenizer in config.tokenizers " + tokenizers.keySet());
            }
            if (t.numQuantizers() != m.numQuantizers()) {
                throw new HypnosFormatException(file, field + ".num_quantizers", m.numQuantizers(),
                        "tokenizer '" + t.stem() + "' has num_quantizers " + t.numQuantizers());
            }
            if (t.codebookSize() != m.codebookSize()) {
                throw new HypnosFormatException(file, field + ".codebook_size", m.codebookSize(),
                        "tokenizer '" + t.stem() + "' has codebook_size " + t.codebookSize());
            }
            if (t.sampleRate() != m.sampleRate()) {
                throw new HypnosFormatException(file, field + ".sample_rate", m.sampleRate(),
                        "tokenizer '" + t.stem() + "' has sample_rate " + t.sampleRate());
            }
            if (!BundleModality.PREPROCESS_CONFIGS.containsKey(m.preprocessModality())) {
                throw new HypnosFormatException(file, field + ".preprocess_modality", m.preprocessModality(),
                        "unknown preprocessing configuration (expected one of " + BundleModality.PREPROCESS_CONFIGS.keySet() + ")");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    // ------------------------------------------------------------------ accessors

    public String modelTarget() {
        return modelTarget;
    }

    /** {@code model_kwargs} as stored (a copy). */
    public ObjectNode modelKwargs() {
        return modelKwargs.deepCopy();
    }

    /** The modalities in token-column order. */
    public List<BundleModality> modalities() {
        return modalities;
    }

    /** Names of the modalities in order. */
    public List<String> modalityNames() {
        return modalities.stream().map(BundleModality::name).toList();
    }

    /** The modality of this name. */
    public BundleModality modality(String name) {
        for (BundleModality m : modalities) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no modality '" + name + "' in this bundle " + modalityNames());
    }

    /** The tokenizers by stem, in the config's order. */
    public Map<String, BundleTokenizer> tokenizers() {
        return tokenizers;
    }

    /** Distinct tokenizer stems in first-seen modality order (the reference's {@code unique_tokenizers}). */
    public List<String> usedTokenizers() {
        List<String> seen = new ArrayList<>();
        for (BundleModality m : modalities) {
            if (!seen.contains(m.tokenizer())) {
                seen.add(m.tokenizer());
            }
        }
        return seen;
    }

    /** The RQ-Transformer configuration these kwargs and modalities describe. */
    public TransformerConfig transformer() {
        return transformer;
    }

    /** The whole config as JSON, key order as the reference writes it. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model_target", modelTarget);
        root.set("model_kwargs", modelKwargs.deepCopy());
        ArrayNode mods = root.putArray("modalities");
        for (BundleModality m : modalities) {
            mods.add(m.toJson(JSON));
        }
        ObjectNode toks = root.putObject("tokenizers");
        tokenizers.forEach((stem, t) -> toks.set(stem, t.toJson()));
        return root;
    }

    /** {@link #toJson()} as compact text (what goes into the metadata). */
    public String toJsonString() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "BundleConfig" + modalityNames() + " tokenizers " + tokenizers.keySet();
    }
}

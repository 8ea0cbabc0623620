package ai.hypnos.tokenizer.io;

import ai.djl.Device;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokenizers in a weight bundle (DESIGN §7): tensors {@code tok/<stem>/<name>}, configuration in
 * the {@code config} metadata JSON under {@code tokenizers.<stem>.tokenizer_kwargs} (plus the
 * stem's {@code signal_type}, {@code num_quantizers}, {@code codebook_size},
 * {@code token_duration_sec}, {@code sample_rate}). Modalities name their stem in
 * {@code modalities[i].tokenizer}.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(bundle)) {
 *     SignalTokenizer eeg = TokenizerBundle.load(f, "eeg", Device.cpu());
 *     int[][] tokens = eeg.encode(preprocessedC3);
 * }
 * }</pre>
 *
 * A file written by {@link #save} holds one tokenizer in the same layout (a bundle without
 * {@code model/} tensors), so a bundle assembler can copy its tensors and config entry as they are.
 */
public final class TokenizerBundle {
    /** The bundle format version our files carry in their metadata. */
    public static final String FORMAT_VERSION = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerBundle() {}

    /** The stems of all tokenizers in a bundle's config, in order. */
    public static List<String> stems(SafetensorsFile file) throws IOException {
        JsonNode tokenizers = config(file).path("tokenizers");
        if (!tokenizers.isObject()) {
            throw new HypnosFormatException(file.file(), "config.tokenizers", tokenizers, "expected an object of tokenizer stems");
        }
        List<String> out = new java.util.ArrayList<>();
        tokenizers.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The stem of the tokenizer that the bundle assigns to {@code modality} (e.g. "eeg_c3" → "eeg"). */
    public static String stemOf(SafetensorsFile file, String modality) throws IOException {
        for (JsonNode m : config(file).path("modalities")) {
            if (modality.equals(m.path("name").asText())) {
                String stem = m.path("tokenizer").asText(null);
                if (stem == null) {
                    throw new HypnosFormatException(file.file(), "config.modalities[" + modality + "].tokenizer", "missing", "modality names no tokenizer");
                }
                return stem;
            }
        }
        throw new HypnosFormatException(file.file(), "config.modalities", modality, "no such modality in the bundle");
    }

    /** The configuration of tokenizer {@code stem} from the bundle's config JSON. */
    public static TokenizerConfig config(SafetensorsFile file, String stem) throws IOException {
        JsonNode kwargs = config(file).path("tokenizers").path(stem).path("tokenizer_kwargs");
        if (!kwargs.isObject()) {
            throw new HypnosFormatException(file.file(), "config.tokenizers." + stem + ".tokenizer_kwargs", "missing",
                    "no tokenizer with this stem in the bundle (stems: " + stems(file) + ")");
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(kwargs, LinkedHashMap.class);
            return TokenizerConfig.fromKwargs(map);
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file.file(), "config.tokenizers." + stem + ".tokenizer_kwargs", kwargs, e.getMessage(), e);
        }
    }

    /** Builds tokenizer {@code stem} from a bundle and loads its weights onto {@code device}. */
    public static SignalTokenizer load(SafetensorsFile file, String stem, Device device) throws IOException {
        return load(file, stem, device, SignalTokenizer.DEFAULT_CHUNK_TOKENS);
    }

    /** As {@link #load(SafetensorsFile, String, Device)} with a chosen encoding chunk. */
    public static SignalTokenizer load(SafetensorsFile file, String stem, Device device, int chunkTokens) throws IOException {
        TokenizerConfig cfg = config(file, stem);
        SignalTokenizer tok = SignalTokenizer.create(cfg, device, 0L, chunkTokens);
        try {
            TokenizerWeights.load(tok, file, "tok/" + stem + "/");
            return tok;
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** Opens {@code bundle} and loads tokenizer {@code stem} (see {@link #load(SafetensorsFile, String, Device)}). */
    public static SignalTokenizer load(Path bundle, String stem, Device device) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(bundle)) {
            return load(f, stem, device);
        }
    }

    /**
     * Writes one tokenizer as a bundle-layout file: tensors {@code tok/<stem>/…} and metadata
     * {@code format_version} and {@code config} with {@code tokenizers.<stem>} (atomically).
     *
     * @param signalType the signal type key ({@code "eeg"}, {@code "resp"}…)
     * @param extraMetadata more metadata entries (e.g. training provenance), may be empty
     */
    public static void save(SignalTokenizer tok, String stem, String signalType, Path target,
            SafetensorsDtype floatType, Map<String, String> extraMetadata) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        TokenizerWeights.write(tok, w, "tok/" + stem + "/", floatType);
        ObjectNode root = JSON.createObjectNode();
        root.set("tokenizers", JSON.createObjectNode().set(stem, configEntry(tok.config(), signalType)));
        w.metadata("format_version", FORMAT_VERSION);
        w.metadata("config", JSON.writeValueAsString(root));
        w.metadata(extraMetadata);
        w.write(target);
    }

    /** The {@code tokenizers.<stem>} entry of a bundle config for this configuration. */
    public static ObjectNode configEntry(TokenizerConfig c, String signalType) {
        ObjectNode e = JSON.createObjectNode();
        e.put("signal_type", signalType);
        e.put("num_quantizers", c.numQuantizers);
        e.put("codebook_size", c.codebookSize);
        e.put("token_duration_sec", c.tokenDurationSec);
        e.put("sample_rate", c.sampleRate);
        e.set("tokenizer_kwargs", JSON.valueToTree(c.toKwargs()));
        return e;
    }

    private static JsonNode config(SafetensorsFile file) throws IOException {
        String text = file.metadata().get("config");
        if (text == null) {
            throw new HypnosFormatException(file.file(), "__metadata__.config", "missing", "not a Hypnos bundle (no config JSON)");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new HypnosFormatException(file.file(), "__metadata__.config", e.getOriginalMessage(), "config is not valid JSON", e);
        }
    }
}

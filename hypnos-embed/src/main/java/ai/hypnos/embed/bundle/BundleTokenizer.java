package ai.hypnos.embed.bundle;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a bundle's {@code config.tokenizers} object (the reference's {@code TokenizerSpec}):
 * the stem's signal type, K, V, token duration, sample rate and the tokenizer's constructor
 * arguments ({@code tokenizer_kwargs}).
 *
 * @param stem   key in {@code config.tokenizers}, and the {@code tok/<stem>/} tensor prefix
 * @param config the tokenizer configuration parsed from {@code tokenizer_kwargs}
 * @param kwargs {@code tokenizer_kwargs} as stored (written back verbatim)
 */
public record BundleTokenizer(String stem, String signalType, int numQuantizers, int codebookSize,
        double tokenDurationSec, int sampleRate, TokenizerConfig config, ObjectNode kwargs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BundleTokenizer {
        Objects.requireNonNull(stem, "stem");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(kwargs, "kwargs");
    }

    /** The entry for a tokenizer configuration (K, V, rate and duration taken from it). */
    public static BundleTokenizer of(String stem, String signalType, TokenizerConfig config) {
        ObjectNode entry = TokenizerBundle.configEntry(config, signalType);
        return new BundleTokenizer(stem, signalType, config.numQuantizers, config.codebookSize,
                config.tokenDurationSec, config.sampleRate, config, (ObjectNode) entry.get("tokenizer_kwargs"));
    }

    /** This entry as the bundle's JSON object. */
    public ObjectNode toJson() {
        ObjectNode e = JSON.createObjectNode();
        e.put("signal_type", signalType);
        e.put("num_quantizers", numQuantizers);
        e.put("codebook_size", codebookSize);
        e.put("token_duration_sec", tokenDurationSec);
        e.put("sample_rate", sampleRate);
        e.set("tokenizer_kwargs", kwargs.deepCopy());
        return e;
    }

    /** Parses {@code config.tokenizers.<stem>}. */
    static BundleTokenizer parse(String stem, JsonNode t, Path file) throws HypnosFormatException {
        String field = "config.tokenizers." + stem;
        if (t == null || !t.isObject()) {
            throw new HypnosFormatException(file, field, t, "must be a JSON object");
        }
        JsonNode kw = t.get("tokenizer_kwargs");
        if (kw == null || !kw.isObject()) {
            throw new HypnosFormatException(file, field + ".tokenizer_kwargs", kw, "missing or not a JSON object");
        }
        TokenizerConfig config;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(kw, LinkedHashMap.class);
            config = TokenizerConfig.fromKwargs(map);
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file, field + ".tokenizer_kwargs", kw, e.getMessage(), e);
        }
        BundleTokenizer out = new BundleTokenizer(stem,
                Json.text(t, "signal_type", file, field),
                Json.positiveInt(t, "num_quantizers", file, field),
                Json.positiveInt(t, "codebook_size", file, field),
                Json.positiveNumber(t, "token_duration_sec", file, field),
                Json.positiveInt(t, "sample_rate", file, field),
                config, (ObjectNode) kw);
        out.checkAgainstKwargs(file);
        return out;
    }

    /** The summary fields must agree with the constructor arguments. */
    private void checkAgainstKwargs(Path file) throws HypnosFormatException {
        String field = "config.tokenizers." + stem;
        if (numQuantizers != config.numQuantizers) {
            throw new HypnosFormatException(file, field + ".num_quantizers", numQuantizers,
                    "disagrees with tokenizer_kwargs.num_quantizers = " + config.numQuantizers);
        }
        if (codebookSize != config.codebookSize) {
            throw new HypnosFormatException(file, field + ".codebook_size", codebookSize,
                    "disagrees with tokenizer_kwargs.codebook_size = " + config.codebookSize);
        }
        if (sampleRate != config.sampleRate) {
            throw new HypnosFormatException(file, field + ".sample_rate", sampleRate,
                    "disagrees with tokenizer_kwargs.sample_rate = " + config.sampleRate);
        }
        if (Math.abs(tokenDurationSec - config.tokenDurationSec) > 1e-9) {
            throw new HypnosFormatException(file, field + ".token_duration_sec", tokenDurationSec,
                    "disagrees with tokenizer_kwargs.token_duration_sec = " + config.tokenDurationSec);
        }
    }
}

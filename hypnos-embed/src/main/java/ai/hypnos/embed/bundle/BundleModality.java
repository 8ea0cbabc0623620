package ai.hypnos.embed.bundle;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a bundle's {@code config.modalities} list (the reference's {@code ModalitySpec}):
 * which signal feeds the modality, which tokenizer encodes it and how it is preprocessed. The
 * list's order is the column order of the token tensor.
 *
 * @param name               unique modality name, e.g. {@code "eeg_c3"}
 * @param signalType         weight-sharing group, e.g. {@code "eeg"}
 * @param channels           canonical channel names; the first one feeds the modality (e.g. {@code ["C3"]})
 * @param tokenizer          stem of its tokenizer in {@code config.tokenizers} (and in {@code tok/<stem>/…})
 * @param numQuantizers      K, RVQ levels of that tokenizer
 * @param codebookSize       V, codes per level
 * @param tokenDurationSec   seconds per token (1.0)
 * @param sampleRate         Hz the signal is resampled to before tokenizing
 * @param preprocessModality the reference's preprocessing configuration ({@code eeg}, {@code emg},
 *                           {@code ecg}, {@code respiratory}; EOG uses {@code eeg})
 */
public record BundleModality(String name, String signalType, List<String> channels, String tokenizer,
        int numQuantizers, int codebookSize, double tokenDurationSec, int sampleRate, String preprocessModality) {

    /**
     * The reference's canonical channel names ({@code CHANNEL_REGISTRY}); the position is the
     * channel id, the row of the transformer's channel-embedding table.
     */
    public static final List<String> CHANNEL_REGISTRY = List.of("C3", "C4", "E1", "E2", "Chin", "ECG", "ABD", "THX");

    public BundleModality {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signalType, "signalType");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(preprocessModality, "preprocessModality");
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("modality " + name + " names no channel");
        }
    }

    /**
     * The entry the published bundle uses for one of the eight standard modalities.
     *
     * @param stem tokenizer stem (the published model uses e.g. {@code "eeg-q8-causal"}; ours the signal type)
     */
    public static BundleModality standard(Modality m, String stem, int numQuantizers, int codebookSize) {
        SignalType t = m.signalType();
        String preprocess = switch (t) {
            case EEG, EOG -> "eeg";
            case EMG -> "emg";
            case ECG -> "ecg";
            case RESP -> "respiratory";
        };
        return new BundleModality(m.key(), t.key(), List.of(CHANNEL_REGISTRY.get(m.id())), stem, numQuantizers,
                codebookSize, 1.0, m.sampleRate(), preprocess);
    }

    /**
     * The standard modality this entry stands for: the one whose canonical channel is
     * {@code channels[0]} (as the reference resolves it), else the one of the same name.
     */
    public Optional<Modality> modality() {
        int id = CHANNEL_REGISTRY.indexOf(channels.get(0));
        if (id >= 0) {
            return Optional.of(Modality.values()[id]);
        }
        return Modality.fromKey(name);
    }

    /** The channel id the reference feeds the transformer: {@code CHANNEL_REGISTRY[channels[0]]}, if known. */
    public Optional<Integer> channelId() {
        int id = CHANNEL_REGISTRY.indexOf(channels.get(0));
        return id >= 0 ? Optional.of(id) : Modality.fromKey(name).map(Modality::id);
    }

    /** This entry as the bundle's JSON object (key order as the reference writes it). */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("name", name);
        o.put("signal_type", signalType);
        ArrayNode ch = o.putArray("channels");
        channels.forEach(ch::add);
        o.put("tokenizer", tokenizer);
        o.put("num_quantizers", numQuantizers);
        o.put("codebook_size", codebookSize);
        o.put("token_duration_sec", tokenDurationSec);
        o.put("sample_rate", sampleRate);
        o.put("preprocess_modality", preprocessModality);
        return o;
    }

    /** Parses {@code config.modalities[index]}, naming the field and value that are wrong. */
    static BundleModality parse(JsonNode m, Path file, int index) throws HypnosFormatException {
        String field = "config.modalities[" + index + "]";
        if (m == null || !m.isObject()) {
            throw new HypnosFormatException(file, field, m, "must be a JSON object");
        }
        JsonNode ch = m.get("channels");
        if (ch == null || !ch.isArray() || ch.isEmpty()) {
            throw new HypnosFormatException(file, field + ".channels", ch, "must be a non-empty list of channel names");
        }
        List<String> channels = new java.util.ArrayList<>();
        for (JsonNode c : ch) {
            if (!c.isTextual()) {
                throw new HypnosFormatException(file, field + ".channels", ch, "must hold strings");
            }
            channels.add(c.asText());
        }
        return new BundleModality(
                Json.text(m, "name", file, field),
                Json.text(m, "signal_type", file, field),
                channels,
                Json.text(m, "tokenizer", file, field),
                Json.positiveInt(m, "num_quantizers", file, field),
                Json.positiveInt(m, "codebook_size", file, field),
                Json.positiveNumber(m, "token_duration_sec", file, field),
                Json.positiveInt(m, "sample_rate", file, field),
                Json.text(m, "preprocess_modality", file, field));
    }

    /** The preprocessing configurations the reference knows, by name. */
    static final Map<String, SignalType> PREPROCESS_CONFIGS = Map.of(
            "eeg", SignalType.EEG, "eog", SignalType.EOG, "emg", SignalType.EMG, "ecg", SignalType.ECG,
            "respiratory", SignalType.RESP, "resp", SignalType.RESP);
}

package ai.hypnos.transformer.weights;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.nn.Rope;
import ai.hypnos.transformer.weights.ParameterSpec.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the RQ-Transformer part of a weight bundle in the published layout (DESIGN §7):
 * tensors {@code model/<state-dict name>} and metadata {@code format_version = "1"} plus
 * {@code config} (JSON with {@code model_kwargs} and the ordered {@code modalities}).
 *
 * <p>Loading checks every tensor the configuration implies — presence, dtype, shape — and fails
 * with a {@link HypnosFormatException} naming the tensor, the expected and the found value; an
 * unexpected {@code model/} tensor (e.g. a CLS head this library does not implement) fails too.
 * F32, F16 and BF16 weights are decoded to float in Java. Tied tables may appear under both names
 * (the published layout) and must then be equal. The RoPE tables stored in the bundle are used as
 * stored; {@code tok/…} tensors are left to the tokenizer code.
 */
public final class TransformerBundle {
    /** Metadata key and value of the layout version. */
    public static final String FORMAT_VERSION = "1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TransformerBundle() {
    }

    /** Loads the model of a bundle onto a device with float32 or float16 weights, trainable. */
    public static RqTransformer load(Path file, Device device, DataType dataType) throws IOException {
        return load(file, device, dataType, false);
    }

    /**
     * Loads the model of a bundle onto a device with float32 or float16 weights.
     *
     * @param inferenceOnly the model will never be trained: fused weights are stored once
     *                      ({@link ModelParameters#inferenceOnly()}), which saves their per-pass copies
     */
    public static RqTransformer load(Path file, Device device, DataType dataType, boolean inferenceOnly)
            throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            TransformerConfig config = readConfig(st);
            ParameterLayout layout = ParameterLayout.of(config);
            checkTensors(st, layout);
            ModelParameters params = ModelParameters.fromValues(layout, device, dataType, spec -> {
                try {
                    return st.floats(ParameterNames.BUNDLE_PREFIX + spec.name());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                float[] cos = null;
                float[] sin = null;
                String cosName = ParameterNames.BUNDLE_PREFIX + ParameterNames.rope("cos_cached");
                String sinName = ParameterNames.BUNDLE_PREFIX + ParameterNames.rope("sin_cached");
                if (st.contains(cosName) && st.contains(sinName)) {
                    cos = st.floats(cosName);
                    sin = st.floats(sinName);
                }
                if (inferenceOnly) {
                    params.inferenceOnly();
                }
                return RqTransformer.of(config, params, cos, sin);
            } catch (RuntimeException e) {
                params.close();
                throw e;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The configuration stored in a bundle's metadata. */
    public static TransformerConfig readConfig(SafetensorsFile st) throws HypnosFormatException {
        Path file = st.file();
        String version = st.metadata().get("format_version");
        // Trimmed as the bundle reader of hypnos-embed does, so both accept the same files.
        if (version != null && !FORMAT_VERSION.equals(version.trim())) {
            throw new HypnosFormatException(file, "__metadata__.format_version", version,
                    "unsupported bundle format version (expected \"" + FORMAT_VERSION + "\")");
        }
        String json = st.metadata().get("config");
        if (json == null) {
            throw new HypnosFormatException(file, "__metadata__.config", null, "missing: not a Hypnos bundle");
        }
        JsonNode config;
        try {
            config = JSON.readTree(json);
        } catch (IOException e) {
            throw new HypnosFormatException(file, "__metadata__.config", json, "not valid JSON: " + e.getMessage(), e);
        }
        JsonNode mods = config.get("modalities");
        if (mods == null || !mods.isArray() || mods.isEmpty()) {
            throw new HypnosFormatException(file, "config.modalities", mods, "must be a non-empty list");
        }
        List<ModalitySpec> specs = new ArrayList<>();
        for (int i = 0; i < mods.size(); i++) {
            JsonNode m = mods.get(i);
            String field = "config.modalities[" + i + "]";
            try {
                specs.add(new ModalitySpec(text(m, "name", file, field), text(m, "signal_type", file, field),
                        integer(m, "num_quantizers", file, field), integer(m, "codebook_size", file, field)));
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(file, field, m, e.getMessage(), e);
            }
        }
        try {
            return TransformerConfig.fromModelKwargs(config.get("model_kwargs"), specs);
        } catch (TransformerConfig.InvalidValueException e) {
            throw new HypnosFormatException(file, "config." + e.field(), e.value(), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file, "config.model_kwargs", config.get("model_kwargs"), e.getMessage(), e);
        }
    }

    private static String text(JsonNode m, String key, Path file, String field) throws HypnosFormatException {
        JsonNode v = m.get(key);
        if (v == null || !v.isTextual()) {
            throw new HypnosFormatException(file, field + "." + key, v, "missing or not a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode m, String key, Path file, String field) throws HypnosFormatException {
        JsonNode v = m.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new HypnosFormatException(file, field + "." + key, v, "missing or not an integer");
        }
        return v.asInt();
    }

    /** Every expected tensor present with the right dtype and shape, no unexpected ones, ties equal. */
    private static void checkTensors(SafetensorsFile st, ParameterLayout layout) throws IOException {
        Path file = st.file();
        for (ParameterSpec spec : layout.all()) {
            String name = ParameterNames.BUNDLE_PREFIX + spec.name();
            boolean required = spec.kind() == Kind.PARAMETER;
            if (!st.contains(name)) {
                if (required) {
                    throw new HypnosFormatException(file, name, "missing",
                            "tensor required by the configuration (expected shape " + Arrays.toString(spec.shape())
                                    + ")");
                }
                continue;
            }
            TensorInfo t = st.info(name);
            boolean mask = spec.name().equals(ParameterNames.modalityAttnMask());
            boolean dtypeOk = mask ? t.dtype() == SafetensorsDtype.BOOL
                    : t.dtype() == SafetensorsDtype.F32 || t.dtype() == SafetensorsDtype.F16
                            || t.dtype() == SafetensorsDtype.BF16;
            if (!dtypeOk) {
                throw new HypnosFormatException(file, name, t.dtype() + " " + Arrays.toString(t.shape()),
                        "expected dtype " + (mask ? "BOOL" : "F32, F16 or BF16"));
            }
            // Every tensor, the RoPE tables included, has exactly the configuration's shape: the
            // reference registers cos_cached/sin_cached as [max_seq_len, head_dim/2] (the golden
            // bundle: [4096, 8] with max_seq_len 4096), and a table of another length would
            // disagree with the config the model is rebuilt from.
            if (!Arrays.equals(t.shape(), spec.shape())) {
                boolean ropeTable = spec.kind() == Kind.BUFFER && spec.name().endsWith("_cached");
                throw new HypnosFormatException(file, name, t.dtype() + " " + Arrays.toString(t.shape()),
                        "expected shape " + Arrays.toString(spec.shape())
                                + (ropeTable ? " ([max_seq_len, head_dim/2] of config.model_kwargs)" : ""));
            }
            if (spec.kind() == Kind.TIED_ALIAS) {
                float[] a = st.floats(name);
                float[] b = st.floats(ParameterNames.BUNDLE_PREFIX + spec.aliasOf());
                if (!Arrays.equals(a, b)) {
                    throw new HypnosFormatException(file, name, "differs from " + spec.aliasOf(),
                            "tied tables must be equal (the depth tables share the temporal tables when widths match)");
                }
            }
        }
        for (String name : st.tensorNames()) {
            if (name.startsWith(ParameterNames.BUNDLE_PREFIX)
                    && layout.get(name.substring(ParameterNames.BUNDLE_PREFIX.length())) == null) {
                TensorInfo t = st.info(name);
                throw new HypnosFormatException(file, name, t.dtype() + " " + Arrays.toString(t.shape()),
                        "unexpected tensor: the configuration has no such parameter"
                                + (name.contains("cls_head") || name.contains("cls_context") ? " (CLS heads are not supported)" : ""));
            }
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes the model alone as a bundle in the published layout (float32, no tokenizers). */
    public static void save(RqTransformer model, Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("format_version", FORMAT_VERSION);
        w.metadata("config", configJson(model.config(), JSON.createObjectNode()).toString());
        addTensors(model, w, SafetensorsDtype.F32);
        w.write(file);
    }

    /**
     * Adds every {@code model/…} tensor of the published layout — parameters, tied tables under
     * both names, RoPE buffers, the modality mask — to a writer (for bundle assembly with
     * tokenizers).
     *
     * @param dtype F32, F16 or BF16 for the float tensors
     */
    public static void addTensors(RqTransformer model, SafetensorsWriter w, SafetensorsDtype dtype) {
        if (!dtype.isFloatingPoint() || dtype == SafetensorsDtype.F64) {
            throw new IllegalArgumentException("model tensors are written as F32, F16 or BF16, not " + dtype);
        }
        TransformerConfig c = model.config();
        Map<String, float[]> host = model.parameters().toHost();
        Rope rope = model.rope();
        for (ParameterSpec spec : ParameterLayout.of(c).all()) {
            String name = ParameterNames.BUNDLE_PREFIX + spec.name();
            switch (spec.kind()) {
                case PARAMETER -> w.add(name, dtype, spec.shape(), host.get(spec.name()));
                case TIED_ALIAS -> w.add(name, dtype, spec.shape(), host.get(spec.aliasOf()));
                case BUFFER -> {
                    if (spec.name().equals(ParameterNames.modalityAttnMask())) {
                        boolean[] ones = new boolean[Math.toIntExact(spec.size())];
                        Arrays.fill(ones, true);
                        w.add(name, spec.shape(), ones);
                    } else if (spec.name().equals(ParameterNames.rope("freqs"))) {
                        w.add(name, SafetensorsDtype.F32, spec.shape(), rope.freqs());
                    } else if (spec.name().equals(ParameterNames.rope("cos_cached"))) {
                        w.add(name, SafetensorsDtype.F32, spec.shape(), rope.cosTable(c.maxSeqLen()));
                    } else if (spec.name().equals(ParameterNames.rope("sin_cached"))) {
                        w.add(name, SafetensorsDtype.F32, spec.shape(), rope.sinTable(c.maxSeqLen()));
                    } else {
                        throw new IllegalStateException("unknown buffer " + spec.name());
                    }
                }
            }
        }
    }

    /**
     * The bundle's {@code config} JSON for this model: {@code model_target}, {@code model_kwargs},
     * {@code modalities} (standard modalities get their channel, tokenizer stem, sample rate and
     * preprocessing names) and the given {@code tokenizers} object.
     */
    public static ObjectNode configJson(TransformerConfig c, ObjectNode tokenizers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model_target", "hypnos.models.rq_transformer.MultiModalRQTransformer");
        root.set("model_kwargs", c.toModelKwargs());
        ArrayNode mods = root.putArray("modalities");
        for (ModalitySpec s : c.modalities()) {
            ObjectNode m = mods.addObject();
            m.put("name", s.name());
            m.put("signal_type", s.signalType());
            ArrayNode channels = m.putArray("channels");
            s.standard().ifPresent(std -> channels.add(channelName(std)));
            m.put("tokenizer", s.signalType());
            m.put("num_quantizers", s.numQuantizers());
            m.put("codebook_size", s.codebookSize());
            m.put("token_duration_sec", 1.0);
            s.standard().ifPresent(std -> {
                m.put("sample_rate", std.sampleRate());
                m.put("preprocess_modality", std.signalType() == ai.hypnos.core.modality.SignalType.RESP
                        ? "respiratory" : std.signalType().key());
            });
        }
        root.set("tokenizers", tokenizers);
        return root;
    }

    /** The reference's canonical channel name of a standard modality ({@code CHANNEL_REGISTRY}). */
    static String channelName(Modality m) {
        return switch (m) {
            case EEG_C3 -> "C3";
            case EEG_C4 -> "C4";
            case EOG_E1 -> "E1";
            case EOG_E2 -> "E2";
            case EMG_CHIN -> "Chin";
            case ECG -> "ECG";
            case RESP_ABD -> "ABD";
            case RESP_THX -> "THX";
        };
    }
}

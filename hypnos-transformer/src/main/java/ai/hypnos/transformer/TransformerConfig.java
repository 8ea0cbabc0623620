package ai.hypnos.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hyper-parameters of the multi-modal RQ-Transformer, named and defaulted as the reference's
 * {@code MultiModalRQTransformer} constructor ({@code config.model_kwargs} of a bundle), plus the
 * ordered modality list.
 *
 * <p>Read one from a bundle with {@link #fromModelKwargs(JsonNode, List)}, write it back with
 * {@link #toModelKwargs()}; start from a {@link Preset} or {@link #builder(List)} in code. Options
 * the reference has but this library does not implement ({@code use_cls}, {@code tie_depth_io},
 * {@code share_trunk_depth_emb}, {@code causal = false}) are rejected with a message naming them.
 */
public final class TransformerConfig {
    /** Rows of the channel-embedding table: the reference's {@code NUM_KNOWN_CHANNELS}. */
    public static final int NUM_KNOWN_CHANNELS = 8;

    // Upper limits on the sizes a configuration may ask for. A bundle's config is read before any
    // tensor is checked, and the parameter layout, the RoPE tables and the KV caches are sized from
    // it: without limits one absurd number in a hand-edited or corrupt bundle becomes an
    // OutOfMemoryError or an int overflow instead of a message. The limits are far above any
    // model this library targets (published: width 768, 12 blocks, 12 heads, 4096 positions).

    /** Largest {@code embed_dim} / {@code depth_dim}. */
    public static final int MAX_WIDTH = 1 << 16;
    /** Largest {@code temporal_depth} / {@code depth_depth}. */
    public static final int MAX_LAYERS = 1024;
    /** Largest {@code temporal_heads} / {@code depth_heads}. */
    public static final int MAX_HEADS = 4096;
    /** Largest {@code max_seq_len}, and largest attention window: 2^20 one-second tokens, 12 days. */
    public static final int MAX_SEQ_LEN = 1 << 20;
    /** Largest {@code max_seq_len · head_dim / 2}: the values of each stored RoPE buffer (1 GiB in F32). */
    public static final long MAX_ROPE_BUFFER = 1L << 28;
    /** Largest number of modalities. */
    public static final int MAX_MODALITIES = 256;
    /** Largest {@code num_quantizers} (K) of a modality. */
    public static final int MAX_QUANTIZERS = 256;
    /** Largest {@code codebook_size} (V) of a modality. */
    public static final int MAX_CODEBOOK = 1 << 20;
    /** Largest FFN expansion ratio. */
    public static final double MAX_MLP_RATIO = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ModalitySpec> modalities;
    private final int embedDim;
    private final int temporalDepth;
    private final int temporalHeads;
    private final double temporalMlpRatio;
    private final int depthDim;
    private final int depthDepth;
    private final int depthHeads;
    private final double depthMlpRatio;
    private final int modalityAttnEveryN;
    private final int modalityAttnStartLayer;
    private final Double modalityGroupingAlpha;
    private final boolean randomSubsetMasking;
    private final Double modalityDropoutP;
    private final boolean disableCrossModalAttention;
    private final double layerScaleInit;
    private final int maxSeqLen;
    private final double dropout;
    private final Integer slidingWindow;
    private final Integer globalEveryN;
    private final Integer globalWindow;
    private final boolean qkNorm;
    private final boolean channelEmbeddings;
    private final Map<String, Double> modalityLossWeights;
    private final boolean swiglu;
    private final boolean xsa;
    private final boolean modalityUseFfn;

    private TransformerConfig(Builder b) {
        this.modalities = List.copyOf(b.modalities);
        this.embedDim = b.embedDim;
        this.temporalDepth = b.temporalDepth;
        this.temporalHeads = b.temporalHeads;
        this.temporalMlpRatio = b.temporalMlpRatio;
        this.depthDim = b.depthDim == null ? b.embedDim : b.depthDim;
        this.depthDepth = b.depthDepth;
        this.depthHeads = b.depthHeads;
        this.depthMlpRatio = b.depthMlpRatio;
        this.modalityAttnEveryN = b.modalityAttnEveryN;
        this.modalityAttnStartLayer = b.modalityAttnStartLayer;
        this.modalityGroupingAlpha = b.modalityGroupingAlpha;
        this.randomSubsetMasking = b.randomSubsetMasking;
        this.modalityDropoutP = b.modalityDropoutP;
        this.disableCrossModalAttention = b.disableCrossModalAttention;
        this.layerScaleInit = b.layerScaleInit;
        this.maxSeqLen = b.maxSeqLen;
        this.dropout = b.dropout;
        this.slidingWindow = b.slidingWindow;
        this.globalEveryN = b.globalEveryN;
        this.globalWindow = b.globalWindow;
        this.qkNorm = b.qkNorm;
        this.channelEmbeddings = b.channelEmbeddings;
        this.modalityLossWeights = b.modalityLossWeights == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.modalityLossWeights));
        this.swiglu = b.swiglu;
        this.xsa = b.xsa;
        this.modalityUseFfn = b.modalityUseFfn;
        validate();
    }

    private void validate() {
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("at least one modality is required");
        }
        if (modalities.size() > MAX_MODALITIES) {
            throw new InvalidValueException("modalities", modalities.size() + " entries",
                    "at most " + MAX_MODALITIES + " modalities are supported, got " + modalities.size());
        }
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < modalities.size(); i++) {
            ModalitySpec m = modalities.get(i);
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("duplicate modality name '" + m.name() + "'");
            }
            String field = "modalities[" + i + "]";
            atMost(field + ".num_quantizers", m.numQuantizers(), MAX_QUANTIZERS);
            atMost(field + ".codebook_size", m.codebookSize(), MAX_CODEBOOK);
        }
        bounded("embed_dim", embedDim, MAX_WIDTH);
        bounded("temporal_depth", temporalDepth, MAX_LAYERS);
        bounded("temporal_heads", temporalHeads, MAX_HEADS);
        bounded("depth_dim", depthDim, MAX_WIDTH);
        bounded("depth_depth", depthDepth, MAX_LAYERS);
        bounded("depth_heads", depthHeads, MAX_HEADS);
        positive("modality_attn_every_n", modalityAttnEveryN);
        bounded("max_seq_len", maxSeqLen, MAX_SEQ_LEN);
        if (modalityAttnStartLayer < 0) {
            throw new InvalidValueException("model_kwargs.modality_attn_start_layer", modalityAttnStartLayer,
                    "modality_attn_start_layer must be >= 0, got " + modalityAttnStartLayer);
        }
        if (embedDim % temporalHeads != 0) {
            throw new IllegalArgumentException("embed_dim " + embedDim + " is not divisible by temporal_heads " + temporalHeads);
        }
        if ((embedDim / temporalHeads) % 2 != 0) {
            throw new IllegalArgumentException("head dimension embed_dim/temporal_heads = " + embedDim / temporalHeads
                    + " must be even for rotary position embeddings");
        }
        if (depthDim % depthHeads != 0) {
            throw new IllegalArgumentException("depth_dim " + depthDim + " is not divisible by depth_heads " + depthHeads);
        }
        // Written as !(in range) so that NaN fails too.
        if (!(temporalMlpRatio > 0 && temporalMlpRatio <= MAX_MLP_RATIO)) {
            throw new InvalidValueException("model_kwargs.temporal_mlp_ratio", temporalMlpRatio,
                    "temporal_mlp_ratio must be in (0, " + MAX_MLP_RATIO + "], got " + temporalMlpRatio);
        }
        if (!(depthMlpRatio > 0 && depthMlpRatio <= MAX_MLP_RATIO)) {
            throw new InvalidValueException("model_kwargs.depth_mlp_ratio", depthMlpRatio,
                    "depth_mlp_ratio must be in (0, " + MAX_MLP_RATIO + "], got " + depthMlpRatio);
        }
        // The reference registers cos_cached/sin_cached as [max_seq_len, head_dim/2] buffers, which
        // every bundle of this configuration stores: bound their size, not only the two factors.
        long ropeBuffer = (long) maxSeqLen * (headDim() / 2);
        if (ropeBuffer > MAX_ROPE_BUFFER) {
            throw new InvalidValueException("model_kwargs.max_seq_len", maxSeqLen, "max_seq_len " + maxSeqLen
                    + " × head_dim/2 " + headDim() / 2 + " = " + ropeBuffer + " values per RoPE buffer, more than "
                    + MAX_ROPE_BUFFER);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        // Windows size the streaming KV caches.
        if (slidingWindow != null) {
            bounded("sliding_window", slidingWindow, MAX_SEQ_LEN);
        }
        if (globalWindow != null) {
            bounded("global_window", globalWindow, MAX_SEQ_LEN);
        }
        if (globalEveryN != null) {
            positive("global_every_n", globalEveryN);
        }
        if (modalityGroupingAlpha != null && !(modalityGroupingAlpha > 0)) {
            throw new IllegalArgumentException("modality_grouping_alpha must be > 0 when set, got " + modalityGroupingAlpha);
        }
        if (randomSubsetMasking && modalityGroupingAlpha == null) {
            throw new IllegalArgumentException("random_subset_masking=true requires modality_grouping_alpha");
        }
        if (disableCrossModalAttention && randomSubsetMasking) {
            throw new IllegalArgumentException("disable_cross_modal_attention and random_subset_masking are mutually exclusive");
        }
        if (modalityDropoutP != null) {
            if (modalityDropoutP < 0 || modalityDropoutP > 1) {
                throw new IllegalArgumentException("modality_dropout_p must be in [0, 1], got " + modalityDropoutP);
            }
            if (modalityGroupingAlpha != null || randomSubsetMasking || disableCrossModalAttention) {
                throw new IllegalArgumentException("modality_dropout_p excludes modality_grouping_alpha, "
                        + "random_subset_masking and disable_cross_modal_attention");
            }
        }
        if (modalityLossWeights != null) {
            for (ModalitySpec m : modalities) {
                Double w = modalityLossWeights.get(m.name());
                if (w == null || w < 0) {
                    throw new IllegalArgumentException("modality_loss_weights needs a weight >= 0 for '" + m.name()
                            + "', got " + w);
                }
            }
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new InvalidValueException("model_kwargs." + field, v, field + " must be > 0, got " + v);
        }
    }

    private static void bounded(String field, int v, int max) {
        positive(field, v);
        atMost("model_kwargs." + field, v, max);
    }

    private static void atMost(String field, int v, int max) {
        if (v > max) {
            String key = field.substring(field.lastIndexOf('.') + 1);
            throw new InvalidValueException(field, v, key + " must be at most " + max + ", got " + v);
        }
    }

    /**
     * A configuration value out of its range, with the key it was read from ({@code
     * model_kwargs.max_seq_len}, {@code modalities[2].codebook_size}, relative to a bundle's
     * {@code config} JSON) so that a bundle reader can name the exact field.
     */
    public static final class InvalidValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String field;
        private final transient Object value;

        InvalidValueException(String field, Object value, String message) {
            super(message);
            this.field = field;
            this.value = value;
        }

        /** The key, relative to the bundle's {@code config} object. */
        public String field() {
            return field;
        }

        /** The offending value. */
        public Object value() {
            return value;
        }
    }

    /** A builder with the reference's defaults for these modalities. */
    public static Builder builder(List<ModalitySpec> modalities) {
        return new Builder(modalities);
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder(modalities);
        b.embedDim = embedDim;
        b.temporalDepth = temporalDepth;
        b.temporalHeads = temporalHeads;
        b.temporalMlpRatio = temporalMlpRatio;
        b.depthDim = depthDim;
        b.depthDepth = depthDepth;
        b.depthHeads = depthHeads;
        b.depthMlpRatio = depthMlpRatio;
        b.modalityAttnEveryN = modalityAttnEveryN;
        b.modalityAttnStartLayer = modalityAttnStartLayer;
        b.modalityGroupingAlpha = modalityGroupingAlpha;
        b.randomSubsetMasking = randomSubsetMasking;
        b.modalityDropoutP = modalityDropoutP;
        b.disableCrossModalAttention = disableCrossModalAttention;
        b.layerScaleInit = layerScaleInit;
        b.maxSeqLen = maxSeqLen;
        b.dropout = dropout;
        b.slidingWindow = slidingWindow;
        b.globalEveryN = globalEveryN;
        b.globalWindow = globalWindow;
        b.qkNorm = qkNorm;
        b.channelEmbeddings = channelEmbeddings;
        b.modalityLossWeights = modalityLossWeights;
        b.swiglu = swiglu;
        b.xsa = xsa;
        b.modalityUseFfn = modalityUseFfn;
        return b;
    }

    // ------------------------------------------------------------------ JSON (model_kwargs)

    /**
     * Reads {@code config.model_kwargs} of a bundle. Missing keys take the reference's defaults;
     * unknown keys and options this library does not implement are rejected.
     *
     * @throws IllegalArgumentException naming the key and value that cannot be honoured
     */
    public static TransformerConfig fromModelKwargs(JsonNode kwargs, List<ModalitySpec> modalities) {
        if (kwargs == null || !kwargs.isObject()) {
            throw new IllegalArgumentException("model_kwargs must be a JSON object, got " + kwargs);
        }
        Builder b = new Builder(modalities);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : kwargs.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "embed_dim" -> b.embedDim = intValue(k, v);
                case "temporal_depth" -> b.temporalDepth = intValue(k, v);
                case "temporal_heads" -> b.temporalHeads = intValue(k, v);
                case "temporal_mlp_ratio" -> b.temporalMlpRatio = doubleValue(k, v);
                case "depth_dim" -> b.depthDim = v.isNull() ? null : intValue(k, v);
                case "depth_depth" -> b.depthDepth = intValue(k, v);
                case "depth_heads" -> b.depthHeads = intValue(k, v);
                case "depth_mlp_ratio" -> b.depthMlpRatio = doubleValue(k, v);
                case "modality_attn_every_n" -> b.modalityAttnEveryN = intValue(k, v);
                case "modality_attn_start_layer" -> b.modalityAttnStartLayer = intValue(k, v);
                case "modality_grouping_alpha" -> b.modalityGroupingAlpha = v.isNull() ? null : doubleValue(k, v);
                case "random_subset_masking" -> b.randomSubsetMasking = boolValue(k, v);
                case "modality_dropout_p" -> b.modalityDropoutP = v.isNull() ? null : doubleValue(k, v);
                case "disable_cross_modal_attention" -> b.disableCrossModalAttention = boolValue(k, v);
                case "layer_scale_init" -> b.layerScaleInit = doubleValue(k, v);
                case "max_seq_len" -> b.maxSeqLen = intValue(k, v);
                case "dropout" -> b.dropout = doubleValue(k, v);
                case "sliding_window" -> b.slidingWindow = v.isNull() ? null : intValue(k, v);
                case "global_every_n" -> b.globalEveryN = v.isNull() ? null : intValue(k, v);
                case "global_window" -> b.globalWindow = v.isNull() ? null : intValue(k, v);
                case "qk_norm" -> b.qkNorm = boolValue(k, v);
                case "channel_embeddings" -> b.channelEmbeddings = boolValue(k, v);
                case "swiglu" -> b.swiglu = boolValue(k, v);
                case "xsa" -> b.xsa = boolValue(k, v);
                case "modality_use_ffn" -> b.modalityUseFfn = boolValue(k, v);
                case "modality_loss_weights" -> {
                    if (v.isNull()) {
                        b.modalityLossWeights = null;
                    } else {
                        Map<String, Double> w = new LinkedHashMap<>();
                        v.properties().forEach(f -> w.put(f.getKey(), doubleValue(k + "." + f.getKey(), f.getValue())));
                        b.modalityLossWeights = w;
                    }
                }
                // Accepted and without effect here: memory/compile switches of the reference's trainer, and
                // options that only act together with the CLS head (rejected below when enabled).
                case "use_activation_checkpointing", "mod_context_dropout_p" -> { }
                case "use_cls", "cls_independent_crp", "tie_depth_io", "share_trunk_depth_emb" -> {
                    if (boolValue(k, v)) {
                        throw new IllegalArgumentException("model_kwargs." + k + " = true is not supported by this "
                                + "library (the published model has it false)");
                    }
                }
                case "causal" -> {
                    if (!boolValue(k, v)) {
                        throw new IllegalArgumentException("model_kwargs.causal = false is not supported: the temporal "
                                + "transformer is causal");
                    }
                }
                default -> unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown model_kwargs " + unknown);
        }
        // A missing use_cls means the reference default (true): the bundle loader then finds the CLS head's
        // tensors and rejects them by name, so no silent mismatch is possible here.
        return new TransformerConfig(b);
    }

    private static int intValue(String k, JsonNode v) {
        if (!v.canConvertToInt() || (v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble()))) {
            throw new InvalidValueException("model_kwargs." + k, v, "model_kwargs." + k + " must be an integer"
                    + (v.isIntegralNumber() ? " of at most " + Integer.MAX_VALUE : "") + ", got " + v);
        }
        return v.asInt();
    }

    private static double doubleValue(String k, JsonNode v) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException("model_kwargs." + k + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static boolean boolValue(String k, JsonNode v) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("model_kwargs." + k + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /** {@code model_kwargs} as the reference constructor takes them (every key explicit). */
    public ObjectNode toModelKwargs() {
        ObjectNode o = JSON.createObjectNode();
        o.put("embed_dim", embedDim);
        o.put("temporal_depth", temporalDepth);
        o.put("temporal_heads", temporalHeads);
        o.put("temporal_mlp_ratio", temporalMlpRatio);
        o.put("depth_dim", depthDim);
        o.put("depth_depth", depthDepth);
        o.put("depth_heads", depthHeads);
        o.put("depth_mlp_ratio", depthMlpRatio);
        o.put("modality_attn_every_n", modalityAttnEveryN);
        o.put("modality_attn_start_layer", modalityAttnStartLayer);
        putNullable(o, "modality_grouping_alpha", modalityGroupingAlpha);
        o.put("random_subset_masking", randomSubsetMasking);
        putNullable(o, "modality_dropout_p", modalityDropoutP);
        o.put("disable_cross_modal_attention", disableCrossModalAttention);
        o.put("layer_scale_init", layerScaleInit);
        o.put("max_seq_len", maxSeqLen);
        o.put("dropout", dropout);
        putNullable(o, "sliding_window", slidingWindow);
        putNullable(o, "global_every_n", globalEveryN);
        putNullable(o, "global_window", globalWindow);
        o.put("qk_norm", qkNorm);
        o.put("channel_embeddings", channelEmbeddings);
        if (modalityLossWeights == null) {
            o.putNull("modality_loss_weights");
        } else {
            ObjectNode w = o.putObject("modality_loss_weights");
            modalityLossWeights.forEach(w::put);
        }
        o.put("swiglu", swiglu);
        o.put("xsa", xsa);
        o.put("use_cls", false);
        o.put("modality_use_ffn", modalityUseFfn);
        o.put("causal", true);
        return o;
    }

    private static void putNullable(ObjectNode o, String k, Number v) {
        if (v == null) {
            o.putNull(k);
        } else if (v instanceof Integer i) {
            o.put(k, i);
        } else {
            o.put(k, v.doubleValue());
        }
    }

    // ------------------------------------------------------------------ derived quantities

    /** Number of modalities M. */
    public int numModalities() {
        return modalities.size();
    }

    /** Head dimension of the temporal and modality attention. */
    public int headDim() {
        return embedDim / temporalHeads;
    }

    /** Hidden width of the temporal FFN before the SwiGLU adjustment: {@code int(D·ratio)}. */
    public int temporalFeedForward() {
        return (int) (embedDim * temporalMlpRatio);
    }

    /** Hidden width of the depth FFN: {@code int(depth_dim·ratio)}. */
    public int depthFeedForward() {
        return (int) (depthDim * depthMlpRatio);
    }

    /**
     * Attention window of temporal layer {@code i} in tokens (query q sees keys k with
     * {@code 0 <= q-k < window}), or 0 for plain causal attention over the whole chunk. Layer i is
     * "global" when {@code (i+1) % global_every_n == 0}, as in the reference.
     */
    public int windowOfLayer(int i) {
        if (slidingWindow == null && globalWindow == null) {
            return 0;
        }
        boolean global = globalEveryN != null && (i + 1) % globalEveryN == 0;
        Integer w = global ? globalWindow : slidingWindow;
        return w == null ? 0 : w;
    }

    /** Whether temporal layer {@code i} is followed by a modality-attention layer. */
    public boolean hasModalityLayerAfter(int i) {
        if (i < modalityAttnStartLayer) {
            return false;
        }
        return (i - modalityAttnStartLayer + 1) % modalityAttnEveryN == 0;
    }

    /** Number of modality-attention layers. */
    public int numModalityLayers() {
        int n = 0;
        for (int i = 0; i < temporalDepth; i++) {
            if (hasModalityLayerAfter(i)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the depth transformer's code tables are the temporal tables (same width). */
    public boolean depthTablesTied() {
        return depthDim == embedDim;
    }

    public List<ModalitySpec> modalities() {
        return modalities;
    }

    public int embedDim() {
        return embedDim;
    }

    public int temporalDepth() {
        return temporalDepth;
    }

    public int temporalHeads() {
        return temporalHeads;
    }

    public double temporalMlpRatio() {
        return temporalMlpRatio;
    }

    public int depthDim() {
        return depthDim;
    }

    public int depthDepth() {
        return depthDepth;
    }

    public int depthHeads() {
        return depthHeads;
    }

    public double depthMlpRatio() {
        return depthMlpRatio;
    }

    public int modalityAttnEveryN() {
        return modalityAttnEveryN;
    }

    public int modalityAttnStartLayer() {
        return modalityAttnStartLayer;
    }

    /** CRP concentration for training-time modality grouping, or {@code null} when off. */
    public Double modalityGroupingAlpha() {
        return modalityGroupingAlpha;
    }

    public boolean randomSubsetMasking() {
        return randomSubsetMasking;
    }

    /** Independent per-modality dropout probability for training, or {@code null} when off. */
    public Double modalityDropoutP() {
        return modalityDropoutP;
    }

    /** Ablation: every modality attends only to itself, in training and inference. */
    public boolean disableCrossModalAttention() {
        return disableCrossModalAttention;
    }

    public double layerScaleInit() {
        return layerScaleInit;
    }

    public int maxSeqLen() {
        return maxSeqLen;
    }

    public double dropout() {
        return dropout;
    }

    public Integer slidingWindow() {
        return slidingWindow;
    }

    public Integer globalEveryN() {
        return globalEveryN;
    }

    public Integer globalWindow() {
        return globalWindow;
    }

    public boolean qkNorm() {
        return qkNorm;
    }

    public boolean channelEmbeddings() {
        return channelEmbeddings;
    }

    /** Per-modality loss weights, or {@code null} for the unweighted mean. */
    public Map<String, Double> modalityLossWeights() {
        return modalityLossWeights;
    }

    public boolean swiglu() {
        return swiglu;
    }

    /** Exclusive self-attention (the reference's {@code xsa}) in the temporal layers. */
    public boolean xsa() {
        return xsa;
    }

    public boolean modalityUseFfn() {
        return modalityUseFfn;
    }

    @Override
    public String toString() {
        return "TransformerConfig" + toModelKwargs() + " modalities=" + modalities;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerConfig c && c.modalities.equals(modalities)
                && c.toModelKwargs().equals(toModelKwargs());
    }

    @Override
    public int hashCode() {
        return toModelKwargs().hashCode() * 31 + modalities.hashCode();
    }

    /** Mutable builder; fields default to the reference constructor's defaults. */
    public static final class Builder {
        private final List<ModalitySpec> modalities;
        private int embedDim = 512;
        private int temporalDepth = 8;
        private int temporalHeads = 8;
        private double temporalMlpRatio = 4.0;
        private Integer depthDim;
        private int depthDepth = 4;
        private int depthHeads = 4;
        private double depthMlpRatio = 4.0;
        private int modalityAttnEveryN = 1;
        private int modalityAttnStartLayer;
        private Double modalityGroupingAlpha;
        private boolean randomSubsetMasking;
        private Double modalityDropoutP;
        private boolean disableCrossModalAttention;
        private double layerScaleInit = 0.01;
        private int maxSeqLen = 2048;
        private double dropout = 0.1;
        private Integer slidingWindow;
        private Integer globalEveryN;
        private Integer globalWindow;
        private boolean qkNorm;
        private boolean channelEmbeddings;
        private Map<String, Double> modalityLossWeights;
        private boolean swiglu;
        private boolean xsa;
        private boolean modalityUseFfn = true;

        private Builder(List<ModalitySpec> modalities) {
            this.modalities = List.copyOf(modalities);
        }

        public Builder embedDim(int v) {
            embedDim = v;
            return this;
        }

        public Builder temporalDepth(int v) {
            temporalDepth = v;
            return this;
        }

        public Builder temporalHeads(int v) {
            temporalHeads = v;
            return this;
        }

        public Builder temporalMlpRatio(double v) {
            temporalMlpRatio = v;
            return this;
        }

        /** Depth transformer width; {@code null} means the temporal width. */
        public Builder depthDim(Integer v) {
            depthDim = v;
            return this;
        }

        public Builder depthDepth(int v) {
            depthDepth = v;
            return this;
        }

        public Builder depthHeads(int v) {
            depthHeads = v;
            return this;
        }

        public Builder depthMlpRatio(double v) {
            depthMlpRatio = v;
            return this;
        }

        public Builder modalityAttnEveryN(int v) {
            modalityAttnEveryN = v;
            return this;
        }

        public Builder modalityAttnStartLayer(int v) {
            modalityAttnStartLayer = v;
            return this;
        }

        public Builder modalityGroupingAlpha(Double v) {
            modalityGroupingAlpha = v;
            return this;
        }

        public Builder randomSubsetMasking(boolean v) {
            randomSubsetMasking = v;
            return this;
        }

        public Builder modalityDropoutP(Double v) {
            modalityDropoutP = v;
            return this;
        }

        public Builder disableCrossModalAttention(boolean v) {
            disableCrossModalAttention = v;
            return this;
        }

        public Builder layerScaleInit(double v) {
            layerScaleInit = v;
            return this;
        }

        public Builder maxSeqLen(int v) {
            maxSeqLen = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        /** Local attention window in tokens; {@code null} for plain causal attention. */
        public Builder slidingWindow(Integer v) {
            slidingWindow = v;
            return this;
        }

        public Builder globalEveryN(Integer v) {
            globalEveryN = v;
            return this;
        }

        public Builder globalWindow(Integer v) {
            globalWindow = v;
            return this;
        }

        public Builder qkNorm(boolean v) {
            qkNorm = v;
            return this;
        }

        public Builder channelEmbeddings(boolean v) {
            channelEmbeddings = v;
            return this;
        }

        public Builder modalityLossWeights(Map<String, Double> v) {
            modalityLossWeights = v;
            return this;
        }

        public Builder swiglu(boolean v) {
            swiglu = v;
            return this;
        }

        public Builder xsa(boolean v) {
            xsa = v;
            return this;
        }

        public Builder modalityUseFfn(boolean v) {
            modalityUseFfn = v;
            return this;
        }

        public TransformerConfig build() {
            return new TransformerConfig(this);
        }
    }
}

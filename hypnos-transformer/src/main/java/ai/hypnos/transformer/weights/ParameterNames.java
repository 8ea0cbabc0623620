package ai.hypnos.transformer.weights;

/**
 * The one place that spells parameter names. They are the reference modules' state-dict names
 * ({@code MultiModalRQTransformer.state_dict()}); a bundle stores them under {@code model/}.
 * {@code docs/transformer.md} tabulates the mapping.
 */
public final class ParameterNames {
    /** Prefix of the RQ-Transformer's tensors in a bundle. */
    public static final String BUNDLE_PREFIX = "model/";

    static final String TEMPORAL = "temporal_transformer.";
    static final String DEPTH = "depth_transformer.";

    private ParameterNames() {
    }

    /** Level-{@code k} code table of the group led by {@code leader}: {@code [V, D]}. */
    public static String tokenEmbedding(String leader, int k) {
        return "token_embeddings." + leader + "." + k + ".weight";
    }

    /** Learned BOS vector of a group: {@code [D]}. */
    public static String bos(String leader) {
        return "bos_embeds." + leader;
    }

    /** Channel-embedding table {@code [8, D]}. */
    public static String channelEmbedding() {
        return "channel_embed.weight";
    }

    /** A tensor of temporal block {@code i}, e.g. {@code temporalLayer(0, "q_proj.weight")}. */
    public static String temporalLayer(int i, String leaf) {
        return temporalLayerPrefix(i) + "." + leaf;
    }

    /** Name prefix of temporal block {@code i}. */
    public static String temporalLayerPrefix(int i) {
        return TEMPORAL + "temporal_layers." + i;
    }

    /** A tensor of modality layer {@code j} (j counts modality layers, not temporal blocks). */
    public static String modalityLayer(int j, String leaf) {
        return modalityLayerPrefix(j) + "." + leaf;
    }

    /** Name prefix of modality layer {@code j}. */
    public static String modalityLayerPrefix(int j) {
        return TEMPORAL + "modality_layers." + j;
    }

    /** Final LayerNorm of the temporal transformer ({@code weight}/{@code bias}). */
    public static String temporalNorm(String leaf) {
        return temporalNormPrefix() + "." + leaf;
    }

    /** Name prefix of the temporal transformer's final LayerNorm. */
    public static String temporalNormPrefix() {
        return TEMPORAL + "norm";
    }

    /** RoPE buffers: {@code freqs} [hd/2], {@code cos_cached}/{@code sin_cached} [max_seq_len, hd/2]. */
    public static String rope(String leaf) {
        return TEMPORAL + "rope." + leaf;
    }

    /** The all-true {@code [M, M]} bool buffer of the reference. */
    public static String modalityAttnMask() {
        return TEMPORAL + "modality_attn_mask";
    }

    /** Level-{@code k} code table of the depth transformer ({@code [V, depth_dim]}). */
    public static String depthEmbedding(String leader, int k) {
        return DEPTH + "per_group_embeddings." + leader + "." + k + ".weight";
    }

    /** Level-{@code k} output head of a group ({@code weight} [V, depth_dim] / {@code bias} [V]). */
    public static String depthHead(String leader, int k, String leaf) {
        return DEPTH + "per_group_output_heads." + leader + "." + k + "." + leaf;
    }

    /** Projection from the temporal to the depth width (only when they differ). */
    public static String depthContextProjection(String leaf) {
        return DEPTH + "context_proj." + leaf;
    }

    /** Depth position table {@code [max K, depth_dim]}. */
    public static String depthPositions() {
        return DEPTH + "pos_embed.weight";
    }

    /** Per-modality conditioning vectors {@code [M, depth_dim]}. */
    public static String depthModalityEmbeddings() {
        return DEPTH + "modality_embeddings";
    }

    /** A tensor of depth layer {@code l}. */
    public static String depthLayer(int l, String leaf) {
        return depthLayerPrefix(l) + "." + leaf;
    }

    /** Name prefix of depth layer {@code l}. */
    public static String depthLayerPrefix(int l) {
        return DEPTH + "layers." + l;
    }

    /** Final LayerNorm of the depth transformer. */
    public static String depthNorm(String leaf) {
        return depthNormPrefix() + "." + leaf;
    }

    /** Name prefix of the depth transformer's final LayerNorm. */
    public static String depthNormPrefix() {
        return DEPTH + "norm";
    }
}

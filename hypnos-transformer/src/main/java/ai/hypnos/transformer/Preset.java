package ai.hypnos.transformer;

import ai.hypnos.core.modality.Modality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Named model sizes (DESIGN §6). All use QK-norm, channel embeddings, LayerScale 0.01, GELU
 * FFNs of ratio 4, a modality layer after every temporal block, no dropout, and the reference's
 * depth-transformer defaults (width = temporal width, tables tied). {@link #config()} uses the
 * eight standard modalities with K = 8 levels of 2048 codes; {@link #config(List)} any others.
 */
public enum Preset {
    /** D 32, 2 blocks, 2 heads, window 8; one 1-head depth layer. For tests. */
    TINY(32, 2, 2, 8, null, null, 1, 1),
    /** D 256, 4 blocks, 4 heads, window 64; 4 depth layers of 4 heads. Runs on a laptop CPU. */
    SMALL(256, 4, 4, 64, null, null, 4, 4),
    /** D 768, 12 blocks, 12 heads, window 64 with a 256-token window every 4th block; 4 depth layers. */
    BASE(768, 12, 12, 64, 4, 256, 4, 4);

    /** Levels per modality and codes per level of the standard presets (the published tokenizers). */
    public static final int STANDARD_K = 8;
    public static final int STANDARD_V = 2048;

    private final int dim;
    private final int blocks;
    private final int heads;
    private final int window;
    private final Integer globalEveryN;
    private final Integer globalWindow;
    private final int depthLayers;
    private final int depthHeads;

    Preset(int dim, int blocks, int heads, int window, Integer globalEveryN, Integer globalWindow, int depthLayers,
            int depthHeads) {
        this.dim = dim;
        this.blocks = blocks;
        this.heads = heads;
        this.window = window;
        this.globalEveryN = globalEveryN;
        this.globalWindow = globalWindow;
        this.depthLayers = depthLayers;
        this.depthHeads = depthHeads;
    }

    /** The eight standard modalities, each with K levels of V codes. */
    public static List<ModalitySpec> standardModalities(int k, int v) {
        List<ModalitySpec> out = new ArrayList<>();
        for (Modality m : Modality.values()) {
            out.add(ModalitySpec.of(m, k, v));
        }
        return out;
    }

    /** This preset over the eight standard modalities (K 8, V 2048). */
    public TransformerConfig config() {
        return config(standardModalities(STANDARD_K, STANDARD_V));
    }

    /** This preset over the given modalities. */
    public TransformerConfig config(List<ModalitySpec> modalities) {
        return builder(modalities).build();
    }

    /** A builder holding this preset's values, to change a few before {@code build()}. */
    public TransformerConfig.Builder builder(List<ModalitySpec> modalities) {
        return TransformerConfig.builder(modalities)
                .embedDim(dim)
                .temporalDepth(blocks)
                .temporalHeads(heads)
                .slidingWindow(window)
                .globalEveryN(globalEveryN)
                .globalWindow(globalWindow)
                .depthDepth(depthLayers)
                .depthHeads(depthHeads)
                .qkNorm(true)
                .channelEmbeddings(true)
                .dropout(0.0)
                .maxSeqLen(4096);
    }

    /** Parses {@code tiny}, {@code small} or {@code base} (any case). */
    public static Preset parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown preset '" + name + "' (expected tiny, small or base)", e);
        }
    }
}

package ai.hypnos.transformer.weights;

import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.weights.ParameterSpec.Init;
import ai.hypnos.transformer.weights.ParameterSpec.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every state-dict entry a configuration implies, in the reference's registration order: the
 * contract between a {@link TransformerConfig} and a bundle's {@code model/…} tensors.
 */
public final class ParameterLayout {
    private final Map<String, ParameterSpec> specs;

    private ParameterLayout(Map<String, ParameterSpec> specs) {
        this.specs = Collections.unmodifiableMap(specs);
    }

    /** The layout of a model with this configuration. */
    public static ParameterLayout of(TransformerConfig c) {
        ModalityLayout layout = new ModalityLayout(c.modalities());
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        long d = c.embedDim();
        long dd = c.depthDim();
        int m = c.numModalities();

        for (int g = 0; g < layout.numGroups(); g++) {
            ModalitySpec s = layout.groupSpec(g);
            for (int k = 0; k < s.numQuantizers(); k++) {
                add(out, ParameterSpec.parameter(ParameterNames.tokenEmbedding(layout.leader(g), k), Init.NORMAL,
                        s.codebookSize(), d));
            }
        }
        for (int g = 0; g < layout.numGroups(); g++) {
            add(out, ParameterSpec.parameter(ParameterNames.bos(layout.leader(g)), Init.NORMAL, d));
        }
        if (c.channelEmbeddings()) {
            add(out, ParameterSpec.parameter(ParameterNames.channelEmbedding(), Init.NORMAL,
                    TransformerConfig.NUM_KNOWN_CHANNELS, d));
        }

        // Temporal transformer: own buffer, then rope, temporal layers, modality layers, norm.
        add(out, ParameterSpec.buffer(ParameterNames.modalityAttnMask(), m, m));
        long half = c.headDim() / 2;
        add(out, ParameterSpec.buffer(ParameterNames.rope("freqs"), half));
        add(out, ParameterSpec.buffer(ParameterNames.rope("cos_cached"), c.maxSeqLen(), half));
        add(out, ParameterSpec.buffer(ParameterNames.rope("sin_cached"), c.maxSeqLen(), half));
        long hd = c.headDim();
        for (int i = 0; i < c.temporalDepth(); i++) {
            final int layer = i;
            Function<String, String> n = leaf -> ParameterNames.temporalLayer(layer, leaf);
            layerNorm(out, n.apply("norm1"), d);
            layerNorm(out, n.apply("norm2"), d);
            for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                add(out, ParameterSpec.parameter(n.apply(p + ".weight"), Init.NORMAL, d, d));
            }
            if (c.qkNorm()) {
                add(out, ParameterSpec.parameter(n.apply("q_norm.weight"), Init.ONES, hd));
                add(out, ParameterSpec.parameter(n.apply("k_norm.weight"), Init.ONES, hd));
            }
            ffn(out, n.apply("ffn"), d, c.temporalFeedForward(), c.swiglu());
            add(out, ParameterSpec.parameter(n.apply("layer_scale_attn"), Init.LAYER_SCALE, d));
            add(out, ParameterSpec.parameter(n.apply("layer_scale_ffn"), Init.LAYER_SCALE, d));
        }
        for (int j = 0; j < c.numModalityLayers(); j++) {
            final int layer = j;
            Function<String, String> n = leaf -> ParameterNames.modalityLayer(layer, leaf);
            layerNorm(out, n.apply("norm1"), d);
            for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                add(out, ParameterSpec.parameter(n.apply(p + ".weight"), Init.NORMAL, d, d));
            }
            add(out, ParameterSpec.parameter(n.apply("pos_embed.weight"), Init.NORMAL, m, d));
            add(out, ParameterSpec.parameter(n.apply("layer_scale_attn"), Init.LAYER_SCALE, d));
            if (c.modalityUseFfn()) {
                layerNorm(out, n.apply("norm2"), d);
                ffn(out, n.apply("ffn"), d, c.temporalFeedForward(), c.swiglu());
                add(out, ParameterSpec.parameter(n.apply("layer_scale_ffn"), Init.LAYER_SCALE, d));
            }
        }
        layerNorm(out, ParameterNames.temporalNormPrefix(), d);

        // Depth transformer: own parameter, then tables, heads, projection, positions, layers, norm.
        add(out, ParameterSpec.parameter(ParameterNames.depthModalityEmbeddings(), Init.NORMAL, m, dd));
        for (int g = 0; g < layout.numGroups(); g++) {
            ModalitySpec s = layout.groupSpec(g);
            for (int k = 0; k < s.numQuantizers(); k++) {
                String name = ParameterNames.depthEmbedding(layout.leader(g), k);
                if (c.depthTablesTied()) {
                    add(out, ParameterSpec.alias(name, ParameterNames.tokenEmbedding(layout.leader(g), k),
                            s.codebookSize(), dd));
                } else {
                    add(out, ParameterSpec.parameter(name, Init.NORMAL, s.codebookSize(), dd));
                }
            }
        }
        for (int g = 0; g < layout.numGroups(); g++) {
            ModalitySpec s = layout.groupSpec(g);
            for (int k = 0; k < s.numQuantizers(); k++) {
                add(out, ParameterSpec.parameter(ParameterNames.depthHead(layout.leader(g), k, "weight"), Init.NORMAL,
                        s.codebookSize(), dd));
                add(out, ParameterSpec.parameter(ParameterNames.depthHead(layout.leader(g), k, "bias"), Init.ZEROS,
                        s.codebookSize()));
            }
        }
        if (!c.depthTablesTied()) {
            add(out, ParameterSpec.parameter(ParameterNames.depthContextProjection("weight"), Init.NORMAL, dd, d));
            add(out, ParameterSpec.parameter(ParameterNames.depthContextProjection("bias"), Init.ZEROS, dd));
        }
        add(out, ParameterSpec.parameter(ParameterNames.depthPositions(), Init.NORMAL, layout.maxK(), dd));
        for (int l = 0; l < c.depthDepth(); l++) {
            final int layer = l;
            Function<String, String> n = leaf -> ParameterNames.depthLayer(layer, leaf);
            layerNorm(out, n.apply("norm1"), dd);
            layerNorm(out, n.apply("norm2"), dd);
            for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                add(out, ParameterSpec.parameter(n.apply(p + ".weight"), Init.NORMAL, dd, dd));
            }
            ffn(out, n.apply("ffn"), dd, c.depthFeedForward(), c.swiglu());
        }
        layerNorm(out, ParameterNames.depthNormPrefix(), dd);
        return new ParameterLayout(out);
    }

    private static void layerNorm(Map<String, ParameterSpec> out, String prefix, long d) {
        add(out, ParameterSpec.parameter(prefix + ".weight", Init.ONES, d));
        add(out, ParameterSpec.parameter(prefix + ".bias", Init.ZEROS, d));
    }

    private static void ffn(Map<String, ParameterSpec> out, String prefix, long d, int hidden, boolean swiglu) {
        if (swiglu) {
            long h = (long) (2.0 * hidden / 3.0);
            add(out, ParameterSpec.parameter(prefix + ".w_gate.weight", Init.NORMAL, h, d));
            add(out, ParameterSpec.parameter(prefix + ".w_up.weight", Init.NORMAL, h, d));
            add(out, ParameterSpec.parameter(prefix + ".w_down.weight", Init.NORMAL, d, h));
        } else {
            add(out, ParameterSpec.parameter(prefix + ".0.weight", Init.NORMAL, hidden, d));
            add(out, ParameterSpec.parameter(prefix + ".0.bias", Init.ZEROS, hidden));
            add(out, ParameterSpec.parameter(prefix + ".2.weight", Init.NORMAL, d, hidden));
            add(out, ParameterSpec.parameter(prefix + ".2.bias", Init.ZEROS, d));
        }
    }

    private static void add(Map<String, ParameterSpec> out, ParameterSpec s) {
        if (out.put(s.name(), s) != null) {
            throw new IllegalStateException("duplicate parameter name " + s.name());
        }
    }

    /** Every entry, in state-dict order. */
    public List<ParameterSpec> all() {
        return new ArrayList<>(specs.values());
    }

    /** Trainable parameters only (each tied tensor once), in state-dict order. */
    public List<ParameterSpec> parameters() {
        return specs.values().stream().filter(s -> s.kind() == Kind.PARAMETER).toList();
    }

    /** The entry of this name, or {@code null}. */
    public ParameterSpec get(String name) {
        return specs.get(name);
    }

    /** Total number of trainable elements. */
    public long parameterCount() {
        return parameters().stream().mapToLong(ParameterSpec::size).sum();
    }
}

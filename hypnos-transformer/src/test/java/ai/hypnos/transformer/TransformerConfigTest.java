package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.transformer.weights.ParameterLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TransformerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void readsTheReferenceTinyKwargsWithReferenceDefaults() throws Exception {
        TransformerConfig c = TransformerConfig.fromModelKwargs(json("{\"embed_dim\": 32, \"temporal_depth\": 2, "
                + "\"temporal_heads\": 2, \"depth_depth\": 1, \"depth_heads\": 1, \"max_seq_len\": 4096, "
                + "\"dropout\": 0.0, \"sliding_window\": 8, \"channel_embeddings\": true, \"use_cls\": false, "
                + "\"qk_norm\": true, \"causal\": true}"), TestModels.fourModalities());
        assertEquals(32, c.embedDim());
        assertEquals(32, c.depthDim());
        assertTrue(c.depthTablesTied());
        assertEquals(128, c.temporalFeedForward());
        assertEquals(8, c.windowOfLayer(0));
        assertEquals(8, c.windowOfLayer(1));
        assertEquals(2, c.numModalityLayers());
        assertEquals(0.01, c.layerScaleInit());
        assertNull(c.modalityGroupingAlpha());
        // Round trip through our explicit kwargs.
        assertEquals(c, TransformerConfig.fromModelKwargs(c.toModelKwargs(), c.modalities()));
    }

    @Test
    void globalLayersAndModalityLayerScheduleFollowTheReference() throws Exception {
        TransformerConfig c = TransformerConfig.fromModelKwargs(json("{\"temporal_depth\": 6, \"sliding_window\": 64,"
                + " \"global_every_n\": 3, \"global_window\": 256, \"modality_attn_every_n\": 2, "
                + "\"modality_attn_start_layer\": 1, \"use_cls\": false}"), TestModels.fourModalities());
        int[] windows = new int[6];
        for (int i = 0; i < 6; i++) {
            windows[i] = c.windowOfLayer(i);
        }
        assertEquals("[64, 64, 256, 64, 64, 256]", java.util.Arrays.toString(windows));
        // Layers i >= 1 with (i - 1 + 1) % 2 == 0: 2 and 4.
        assertFalse(c.hasModalityLayerAfter(0));
        assertFalse(c.hasModalityLayerAfter(1));
        assertTrue(c.hasModalityLayerAfter(2));
        assertTrue(c.hasModalityLayerAfter(4));
        assertEquals(2, c.numModalityLayers());
        TransformerConfig full = TransformerConfig.fromModelKwargs(json("{\"use_cls\": false}"),
                TestModels.fourModalities());
        assertEquals(0, full.windowOfLayer(3), "no windows configured: plain causal attention");
        assertEquals(512, full.embedDim());
    }

    @Test
    void rejectsWhatItCannotHonour() throws Exception {
        var mods = TestModels.fourModalities();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromModelKwargs(json("{\"use_cls\": true}"), mods)).getMessage().contains("use_cls"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromModelKwargs(json("{\"use_cls\": false, \"fancy\": 1}"), mods)).getMessage()
                .contains("fancy"));
        assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromModelKwargs(json("{\"use_cls\": false, \"causal\": false}"), mods));
        assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromModelKwargs(json("{\"use_cls\": false, \"embed_dim\": 30, "
                        + "\"temporal_heads\": 4}"), mods));
        assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromModelKwargs(json("{\"use_cls\": false, \"embed_dim\": \"big\"}"), mods));
    }

    @Test
    void presetsHaveTheDesignSizes() {
        TransformerConfig small = Preset.SMALL.config();
        assertEquals(256, small.embedDim());
        assertEquals(4, small.temporalDepth());
        assertEquals(4, small.temporalHeads());
        assertEquals(64, small.windowOfLayer(0));
        assertEquals(8, small.numModalities());
        TransformerConfig base = Preset.BASE.config();
        assertEquals(768, base.embedDim());
        assertEquals(12, base.temporalDepth());
        assertEquals(256, base.windowOfLayer(3));
        assertEquals(64, base.windowOfLayer(4));
        assertEquals(Preset.TINY, Preset.parse(" Tiny"));
        assertTrue(ParameterLayout.of(Preset.TINY.config()).parameterCount() > 0);
    }

    @Test
    void layoutGroupsModalitiesByTokenizer() {
        ModalityLayout l = new ModalityLayout(Preset.standardModalities(8, 2048));
        assertEquals(5, l.numGroups());
        assertEquals("eeg_c3", l.leader(l.groupOf(1)));
        assertEquals("resp_abd", l.leader(l.groupOf(7)));
        assertEquals(64, l.totalK());
        assertEquals(16, l.columnOffset(2));
        assertEquals(5 * 8 * 2048, l.tableRows());
    }

    @Test
    void sizesAreBoundedWithMessagesNamingTheKey() {
        var mods = TestModels.fourModalities();
        // The two RoPE buffers are [max_seq_len, head_dim/2]: both factors within their limits, the product not.
        TransformerConfig.InvalidValueException rope = assertThrows(TransformerConfig.InvalidValueException.class,
                () -> TransformerConfig.builder(mods).embedDim(1024).temporalHeads(1).depthDim(64).depthHeads(1)
                        .maxSeqLen(TransformerConfig.MAX_SEQ_LEN).build());
        assertEquals("model_kwargs.max_seq_len", rope.field());
        assertTrue(rope.getMessage().contains("1048576 × head_dim/2 512 = 536870912 values"), rope.getMessage());
        TransformerConfig.InvalidValueException nan = assertThrows(TransformerConfig.InvalidValueException.class,
                () -> TransformerConfig.builder(mods).depthMlpRatio(Double.NaN).build());
        assertEquals("model_kwargs.depth_mlp_ratio", nan.field());
        TransformerConfig.InvalidValueException layers = assertThrows(TransformerConfig.InvalidValueException.class,
                () -> TransformerConfig.builder(mods).temporalDepth(TransformerConfig.MAX_LAYERS + 1).build());
        assertEquals("model_kwargs.temporal_depth", layers.field());
        assertEquals(TransformerConfig.MAX_LAYERS + 1, layers.value());
        TransformerConfig.InvalidValueException v = assertThrows(TransformerConfig.InvalidValueException.class,
                () -> TransformerConfig.builder(java.util.List.of(mods.get(0),
                        new ModalitySpec("x", "eeg", 1, TransformerConfig.MAX_CODEBOOK + 1))).build());
        assertEquals("modalities[1].codebook_size", v.field());

        // The limits themselves are accepted, and the layout they imply is built without trouble.
        TransformerConfig edge = TransformerConfig.builder(mods).embedDim(32).temporalHeads(2).depthDepth(1)
                .temporalDepth(TransformerConfig.MAX_LAYERS).maxSeqLen(TransformerConfig.MAX_SEQ_LEN)
                .slidingWindow(TransformerConfig.MAX_SEQ_LEN).build();
        ParameterLayout layout = ParameterLayout.of(edge);
        assertEquals((long) TransformerConfig.MAX_SEQ_LEN * 8,
                layout.get("temporal_transformer.rope.cos_cached").size());
    }
}

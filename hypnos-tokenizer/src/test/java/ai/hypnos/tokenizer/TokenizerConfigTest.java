package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.tokenizer.nn.Activation;
import ai.hypnos.tokenizer.nn.ConvNorm;
import ai.hypnos.tokenizer.nn.PadMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tokenizer_kwargs parsing: the reference's defaults, round trip, clear errors. */
class TokenizerConfigTest {

    private static Map<String, Object> goldenEegKwargs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_channels", 1);
        m.put("sample_rate", 128);
        m.put("token_duration_sec", 1.0);
        m.put("embed_dim", 16);
        m.put("n_filters", 4);
        m.put("ratios", List.of(4, 4, 4, 2));
        m.put("n_residual_layers", 1);
        m.put("mode", "discrete");
        m.put("codebook_size", 16);
        m.put("codebook_dim", 8);
        m.put("num_quantizers", 2);
        m.put("attention_depth", 0);
        m.put("causal", true);
        m.put("norm", "weight");
        m.put("activation", "elu");
        return m;
    }

    /**
     * Every key left out takes the default of the reference's {@code SignalTokenizer.__init__}
     * (hypnos/models/tokenizer/tokenizer.py). Those defaults do not form a valid tokenizer on
     * their own (ratios 4·4·4·4 = 256 samples, but 128 Hz × 1 s = 128), so each fixture sets the
     * one key that reconciles them and checks all the others.
     */
    @Test
    void missingKeysTakeTheReferenceDefaults() {
        // Only token_duration_sec given: 128 Hz × 2 s matches the default ratios.
        TokenizerConfig c = TokenizerConfig.fromKwargs(Map.of("token_duration_sec", 2.0));
        assertEquals(12, c.inChannels);
        assertEquals(128, c.sampleRate);
        assertEquals(512, c.embedDim);
        assertEquals(64, c.nFilters);
        assertArrayEquals(new int[] {4, 4, 4, 4}, c.ratios);
        assertEquals(1, c.nResidualLayers);
        assertEquals(1, c.dilationBase);
        assertEquals(512, c.codebookSize);
        assertEquals(512, c.codebookDim, "codebook_dim None = embed_dim");
        assertEquals(4, c.numQuantizers);
        assertEquals(0.25, c.commitmentCost);
        assertEquals(0.0, c.quantizationDropout);
        assertEquals(0.0, c.quantizerDropout);
        assertEquals(0.99, c.emaDecay);
        assertEquals(0, c.attentionDepth);
        assertEquals(8, c.attentionHeads);
        assertEquals(250, c.windowSize);
        assertEquals(2048, c.transformerDimFeedforward);
        assertEquals(0.01, c.layerScaleInit);
        assertEquals(Activation.GELU, c.activation);
        assertEquals(ConvNorm.LAYER, c.norm);
        assertEquals(7, c.lastKernelSize);
        assertEquals(2, c.strideKernelMultiplier);
        assertEquals(PadMode.REFLECT, c.padMode);
        assertFalse(c.useActivationCheckpointing);
        assertFalse(c.rotationTrick);
        assertEquals(c, TokenizerConfig.fromKwargs(c.toKwargs()));

        // Only ratios given: the default 128 Hz and 1 s per token.
        TokenizerConfig d = TokenizerConfig.fromKwargs(Map.of("ratios", List.of(4, 4, 4, 2)));
        assertEquals(1.0, d.tokenDurationSec);
        assertEquals(128, d.sampleRate);
        assertEquals(128, d.hopLength());
    }

    @Test
    void badKwargsFailClearly() {
        Map<String, Object> m = goldenEegKwargs();
        m.put("ratios", List.of(4, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerConfig.fromKwargs(m));
        assertTrue(e.getMessage().contains("product of ratios"), e.getMessage());
        Map<String, Object> m2 = goldenEegKwargs();
        m2.put("mode", "vae");
        assertThrows(IllegalArgumentException.class, () -> TokenizerConfig.fromKwargs(m2));
        Map<String, Object> m3 = goldenEegKwargs();
        m3.put("causal", false);
        assertThrows(IllegalArgumentException.class, () -> TokenizerConfig.fromKwargs(m3));
        Map<String, Object> m4 = goldenEegKwargs();
        m4.put("emebd_dim", 3);
        e = assertThrows(IllegalArgumentException.class, () -> TokenizerConfig.fromKwargs(m4));
        assertTrue(e.getMessage().contains("emebd_dim"));
    }
}

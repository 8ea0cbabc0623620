package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.tokenizer.nn.Activation;
import ai.hypnos.tokenizer.nn.ConvNorm;
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

    @Test
    void missingKeysTakeTheReferenceDefaults() {
        TokenizerConfig c = TokenizerConfig.fromKwargs(goldenEegKwargs());
        assertEquals(128, c.hopLength());
        assertEquals(1, c.dilationBase);
        assertEquals(7, c.lastKernelSize);
        assertEquals(2, c.strideKernelMultiplier);
        assertEquals(0.99, c.emaDecay);
        assertEquals(0.25, c.commitmentCost);
        assertEquals(250, c.windowSize);
        assertEquals(Activation.ELU, c.activation);
        assertEquals(ConvNorm.WEIGHT, c.norm);
        assertArrayEquals(new int[] {4, 4, 4, 2}, c.ratios);
        assertEquals(c, TokenizerConfig.fromKwargs(c.toKwargs()));
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

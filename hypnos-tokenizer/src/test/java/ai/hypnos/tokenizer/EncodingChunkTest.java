package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/**
 * The encoding chunk changes only the shapes of the kernels, not the tokens: the causal state
 * of every layer (conv history, attention keys and values) is carried from chunk to chunk, so
 * a night may be encoded in large chunks where small kernels are slow to launch (a GPU) and
 * still give the tokens of the default chunk. (Exact here; in general float rounding could
 * flip an exact near-tie of the nearest-code search.)
 */
class EncodingChunkTest {

    @Test
    void tokensDoNotDependOnTheEncodingChunk() {
        for (TokenizerConfig config : new TokenizerConfig[] {TokenizerFixtures.tinyEeg(),
                TokenizerFixtures.tinyWithAttention()}) {
            float[] signal = java.util.Arrays.copyOf(TokenizerFixtures.eeg(301, 6), 300 * 128 + 50);
            int[][] reference = null;
            for (int chunk : new int[] {64, 8, 16, 100, 512}) {
                try (SignalTokenizer tok = SignalTokenizer.create(config, Device.cpu(), 9, chunk)) {
                    int[][] tokens = tok.encode(signal);
                    if (reference == null) {
                        reference = tokens;
                        assertEquals(301, tokens.length);
                        continue;
                    }
                    assertEquals(reference.length, tokens.length);
                    for (int t = 0; t < tokens.length; t++) {
                        assertArrayEquals(reference[t], tokens[t], "chunk " + chunk + ", token " + t);
                    }
                }
            }
        }
    }
}

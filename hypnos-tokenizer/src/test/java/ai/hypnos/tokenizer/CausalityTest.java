package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Token t depends on samples up to (t+1)·hop and on nothing later, except for the documented
 * look-ahead of the first tokens through the reflection padding.
 */
class CausalityTest {

    @Test
    void changingSamplesAfterSecondTChangesNoEarlierToken() {
        try (SignalTokenizer tok = SignalTokenizer.create(TokenizerFixtures.tinyEeg(), Device.cpu(), 11, 16)) {
            int hop = tok.hopLength();
            float[] x = TokenizerFixtures.eeg(60, 3);
            int[][] base = tok.encode(x);
            Random r = new Random(4);
            int changedAfter = 0;
            for (int t : new int[] {8, 15, 16, 31, 47, 58}) {
                float[] y = x.clone();
                for (int i = (t + 1) * hop; i < y.length; i++) {
                    y[i] = (float) (r.nextGaussian() * 3);
                }
                int[][] other = tok.encode(y);
                for (int s = 0; s < t; s++) {
                    assertArrayEquals(base[s], other[s], "token " + s + " changed by samples after second " + t);
                }
                for (int s = t + 1; s < base.length; s++) {
                    changedAfter += Arrays.equals(base[s], other[s]) ? 0 : 1;
                }
            }
            assertTrue(changedAfter > 20, "later tokens do react to the change (" + changedAfter + ")");
        }
    }

    @Test
    void eachTokenIgnoresEverySampleBeyondTheOneItNeeds() {
        try (SignalTokenizer tok = SignalTokenizer.create(TokenizerFixtures.tinyEeg(), Device.cpu(), 12, 16)) {
            int hop = tok.hopLength();
            // Beyond the start, token t needs exactly sample (t+1)·hop: one sample into the next second.
            for (int t = 8; t < 40; t++) {
                assertEquals((t + 1) * hop, tok.lastSampleNeeded(t));
            }
            // The first tokens see further through the left reflections; that look-ahead is bounded
            // and documented (the tiny and the published geometry: ratios 4·4·4·2, k 7).
            int lookahead = tok.startupLookahead();
            assertTrue(lookahead > 0 && lookahead <= 6 * hop, "startup look-ahead " + lookahead);
            float[] x = TokenizerFixtures.eeg(40, 5);
            int[][] base = tok.encode(x);
            Random r = new Random(6);
            for (int t : new int[] {0, 1, 3, 10, 25}) {
                float[] y = x.clone();
                for (int i = tok.lastSampleNeeded(t) + 1; i < y.length; i++) {
                    y[i] += (float) r.nextGaussian();
                }
                int[][] other = tok.encode(y);
                for (int s = 0; s <= t; s++) {
                    assertArrayEquals(base[s], other[s], "token " + s + " after perturbing beyond sample " + tok.lastSampleNeeded(t));
                }
            }
            // And the first token really does look ahead: a change just inside its reach can move it.
            assertFalse(tok.lastSampleNeeded(0) <= hop, "token 0 reaches past the first second");
        }
    }
}

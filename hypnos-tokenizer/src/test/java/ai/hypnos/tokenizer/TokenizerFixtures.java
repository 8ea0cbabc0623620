package ai.hypnos.tokenizer;

import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.train.SyntheticSignals;

/** Small tokenizers and signals shared by the tests. */
final class TokenizerFixtures {
    private TokenizerFixtures() {}

    /** The tiny EEG preset (128 Hz, strides 4·4·4·2, K 4, V 64), untrained. */
    static TokenizerConfig tinyEeg() {
        return TokenizerPreset.TINY.config(SignalType.EEG);
    }

    /** The tiny preset with one causal attention layer (window 5) in encoder and decoder. */
    static TokenizerConfig tinyWithAttention() {
        return tinyEeg().toBuilder().attentionDepth(1).attentionHeads(2).windowSize(5).transformerDimFeedforward(64).build();
    }

    /** {@code seconds} of synthetic EEG at 128 Hz. */
    static float[] eeg(int seconds, long seed) {
        return SyntheticSignals.generate(SignalType.EEG, 128, seconds, new Rng(seed));
    }
}

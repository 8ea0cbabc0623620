package ai.hypnos.tokenizer;

import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.nn.Activation;
import ai.hypnos.tokenizer.nn.ConvNorm;
import ai.hypnos.tokenizer.train.TrainingConfig;
import java.util.Locale;

/**
 * Our tokenizer sizes: {@code tiny} for tests, {@code small} for CPU training, {@code base} for
 * the scale of the reference's measured tokenizer (DESIGN §11: 32 filters, D 256, K 8, V 2048).
 * All are causal SEANets with ELU and weight norm, one residual unit per stage, strides
 * 4·4·4·2 at 128 Hz (EEG, EOG, EMG, ECG) and 4·4·2 at 32 Hz (respiration): one token per second.
 *
 * <p>Levels K per signal type: 8 for EEG and EOG (as the published model), 4 for EMG, ECG and
 * respiration in {@code small} and {@code base} — our choice, configurable
 * ({@link TokenizerConfig#toBuilder()}).
 */
public enum TokenizerPreset {
    TINY(8, 32, 8, 64, 4, 2, 8, 8, 3e-3, 20),
    SMALL(16, 128, 64, 1024, 8, 4, 16, 10, 1e-3, 200),
    BASE(32, 256, 256, 2048, 8, 4, 16, 10, 3e-4, 1000);

    private final int filters;
    private final int embedDim;
    private final int codebookDim;
    private final int codebookSize;
    private final int levelsEegEog;
    private final int levelsOther;
    private final int batch;
    private final int windowSeconds;
    private final double lr;
    private final int warmup;

    TokenizerPreset(int filters, int embedDim, int codebookDim, int codebookSize, int levelsEegEog, int levelsOther,
            int batch, int windowSeconds, double lr, int warmup) {
        this.filters = filters;
        this.embedDim = embedDim;
        this.codebookDim = codebookDim;
        this.codebookSize = codebookSize;
        this.levelsEegEog = levelsEegEog;
        this.levelsOther = levelsOther;
        this.batch = batch;
        this.windowSeconds = windowSeconds;
        this.lr = lr;
        this.warmup = warmup;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenizerPreset fromKey(String key) {
        for (TokenizerPreset p : values()) {
            if (p.key().equalsIgnoreCase(key.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + key + "' (tiny, small, base)");
    }

    /** Sample rate of a signal type after preprocessing (DESIGN §3). */
    public static int sampleRate(SignalType type) {
        return type == SignalType.RESP ? 32 : 128;
    }

    /** The tokenizer configuration of this preset for {@code type}. */
    public TokenizerConfig config(SignalType type) {
        int rate = sampleRate(type);
        int[] ratios = rate == 32 ? new int[] {4, 4, 2} : new int[] {4, 4, 4, 2};
        int levels = type == SignalType.EEG || type == SignalType.EOG ? levelsEegEog : levelsOther;
        return TokenizerConfig.builder()
                .inChannels(1)
                .sampleRate(rate)
                .tokenDurationSec(1.0)
                .embedDim(embedDim)
                .nFilters(filters)
                .ratios(ratios)
                .nResidualLayers(1)
                .dilationBase(2)
                .codebookSize(codebookSize)
                .codebookDim(codebookDim)
                .numQuantizers(levels)
                .activation(Activation.ELU)
                .norm(ConvNorm.WEIGHT)
                .build();
    }

    /** Training hyper-parameters of this preset. */
    public TrainingConfig training() {
        // Spectral weight 0.1: on synthetic EEG a weight of 1 made the decoder match spectra with
        // the wrong phase for hundreds of steps (negative SNR), 0.1 learns the waveform.
        return new TrainingConfig(batch, windowSeconds, lr, warmup, 0.1, 0.9, 0.95, 1e-8, 0.01, 1.0, 0.1,
                20, 50, 0, 0L);
    }
}

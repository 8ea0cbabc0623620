package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One modality after preprocessing: the float32 samples the tokenizer sees, and what was done
 * to get them.
 *
 * @param modality   the modality
 * @param samples    preprocessed signal at {@code sampleRate} (the modality's target rate)
 * @param sampleRate output rate, Hz
 * @param sourceRate input rate, Hz
 * @param ratio      resampling factors used (identity when the rates agree)
 * @param gaps       runs of non-finite input samples that were filled before filtering, in source samples
 * @param flat       true when every finite input sample had the same value (the output is then ~0)
 */
public record PreprocessedSignal(
        Modality modality,
        float[] samples,
        int sampleRate,
        double sourceRate,
        RateRatio ratio,
        List<SampleGap> gaps,
        boolean flat) {

    public PreprocessedSignal {
        gaps = List.copyOf(gaps);
    }

    /** Duration of the output in seconds. */
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    /** Human-readable remarks (rate approximation, filled gaps, flat channel); empty for a clean signal. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (ratio.relativeError() > 0) {
            notes.add(String.format(Locale.ROOT, "%s: source rate %.9g Hz resampled as %.9g Hz (%.2g ppm)",
                    modality.key(), sourceRate, ratio.effectiveSourceRate(), ratio.relativeError() * 1e6));
        }
        if (!gaps.isEmpty()) {
            long missing = gaps.stream().mapToLong(SampleGap::length).sum();
            notes.add(String.format(Locale.ROOT, "%s: %d non-finite samples (%.3f s) in %d run(s) filled by interpolation",
                    modality.key(), missing, missing / sourceRate, gaps.size()));
        }
        if (flat) {
            notes.add(modality.key() + ": flat channel (constant value); output is ~0 after the variance floor");
        }
        return notes;
    }
}

package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The preprocessed modalities of one recording, in modality order, plus the modalities that
 * were present but could not be preprocessed (and why).
 */
public final class PreprocessResult {
    private final Map<Modality, PreprocessedSignal> signals;
    private final Map<Modality, String> skipped;

    PreprocessResult(Map<Modality, PreprocessedSignal> signals, Map<Modality, String> skipped) {
        EnumMap<Modality, PreprocessedSignal> s = new EnumMap<>(Modality.class);
        s.putAll(signals);
        EnumMap<Modality, String> k = new EnumMap<>(Modality.class);
        k.putAll(skipped);
        this.signals = Collections.unmodifiableMap(s);
        this.skipped = Collections.unmodifiableMap(k);
    }

    /** The preprocessed signals with their provenance, in modality order. */
    public Map<Modality, PreprocessedSignal> signals() {
        return signals;
    }

    /** Just the float32 arrays, in modality order. */
    public Map<Modality, float[]> arrays() {
        EnumMap<Modality, float[]> out = new EnumMap<>(Modality.class);
        signals.forEach((m, s) -> out.put(m, s.samples()));
        return Collections.unmodifiableMap(out);
    }

    /** Modalities present in the recording that could not be preprocessed, with the reason. */
    public Map<Modality, String> skipped() {
        return skipped;
    }

    /** Every remark: per-signal notes (filled gaps, rate approximations, flat channels) and skips. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (PreprocessedSignal s : signals.values()) {
            notes.addAll(s.notes());
        }
        skipped.forEach((m, why) -> notes.add(m.key() + ": skipped: " + why));
        return notes;
    }
}

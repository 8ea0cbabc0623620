package ai.hypnos.eval.data;

import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which modalities' embeddings a probe sees: all of them (the model's own mean {@code z_t} over
 * present modalities) or a subset (the mean over the present modalities of the subset), e.g.
 * "EEG only" or "ECG + belts" for restricted-sensor evaluation.
 *
 * @param modalities the chosen modalities (all eight for {@link #all()})
 * @param full       whether this is the full set, read from the file's {@code mean} array when present
 */
public record ModalitySelection(Set<Modality> modalities, boolean full) {

    public ModalitySelection {
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("a modality selection needs at least one modality");
        }
        modalities = Set.copyOf(EnumSet.copyOf(modalities));
    }

    /** Every modality: the mean over whatever is present. */
    public static ModalitySelection all() {
        return new ModalitySelection(EnumSet.allOf(Modality.class), true);
    }

    /** Exactly these modalities. */
    public static ModalitySelection of(Set<Modality> modalities) {
        boolean full = modalities.containsAll(EnumSet.allOf(Modality.class));
        return new ModalitySelection(modalities, full);
    }

    /** Exactly these modalities. */
    public static ModalitySelection of(Modality first, Modality... rest) {
        return of(EnumSet.of(first, rest));
    }

    /**
     * Parses {@code all}, or modality keys and signal types joined by {@code +} or {@code ,}:
     * {@code eeg_c3+eeg_c4}, {@code eeg} (both EEG channels), {@code ecg+resp} (ECG and both belts).
     */
    public static ModalitySelection parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all") || t.equals("mean")) {
            return all();
        }
        EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
        for (String part : t.split("[+,]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            var m = Modality.fromKey(p);
            if (m.isPresent()) {
                set.add(m.get());
                continue;
            }
            SignalType type;
            try {
                type = SignalType.fromKey(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown modality or signal type '" + p + "' in '" + text
                        + "' (expected all, a modality key such as eeg_c3, or a type such as eeg)");
            }
            for (Modality mm : Modality.values()) {
                if (mm.signalType() == type) {
                    set.add(mm);
                }
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("empty modality selection '" + text + "'");
        }
        return of(set);
    }

    /** Whether the modality is chosen. */
    public boolean contains(Modality m) {
        return modalities.contains(m);
    }

    /** A stable name for reports: {@code all} or keys joined by {@code +} in modality order. */
    public String name() {
        if (full) {
            return "all";
        }
        return EnumSet.copyOf(modalities).stream().map(Modality::key).collect(Collectors.joining("+"));
    }

    @Override
    public String toString() {
        return name();
    }
}

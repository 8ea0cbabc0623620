package ai.hypnos.core.modality;

import java.util.Locale;

/** How a modality's signal is derived from the file's channels. */
public enum Derivation {
    /** The label names its reference ({@code C3-M2}) or is a known derivation (SHHS {@code EEG(sec)}): used as is. */
    PRE_REFERENCED,
    /** A bare electrode minus its contralateral mastoid from the same file. */
    RE_REFERENCED,
    /** A bare electrode in a file with no reference electrodes at all: taken as referenced at acquisition. */
    ACQUISITION_REFERENCED,
    /** A bipolar chin label ({@code Chin1-Chin2}): used as is. */
    BIPOLAR_PRE_COMPUTED,
    /** The difference of a chin electrode pair ({@code Chin1} minus {@code Chin2}). */
    BIPOLAR_DERIVED,
    /** A channel that needs no referencing (ECG, belts, a single chin EMG channel): used as is. */
    DIRECT;

    /** Lower-case name used in reports ({@code "re_referenced"}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the signal is a difference of two channels. */
    public boolean isDifference() {
        return this == RE_REFERENCED || this == BIPOLAR_DERIVED;
    }
}

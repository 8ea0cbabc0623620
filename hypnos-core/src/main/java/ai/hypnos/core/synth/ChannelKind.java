package ai.hypnos.core.synth;

/**
 * What a channel of a synthetic recording carries. Referenced derivations ({@link #C3_M2}...)
 * are what most cohorts store; bare electrodes ({@link #C3}, {@link #M2}...) are stored by some
 * sites and must be re-referenced by channel resolution; the rest are sensors that are not one
 * of the eight Hypnos modalities but sit in every real PSG file.
 */
public enum ChannelKind {
    /** C3 referenced to the right mastoid. */
    C3_M2,
    /** C4 referenced to the left mastoid. */
    C4_M1,
    /** Left EOG referenced to the right mastoid. */
    E1_M2,
    /** Right EOG referenced to the left mastoid. */
    E2_M1,
    /** Bipolar chin EMG. */
    CHIN,
    /** Single-lead ECG (lead II-like). */
    ECG,
    /** Abdominal respiratory effort belt. */
    ABD,
    /** Thoracic respiratory effort belt. */
    THX,
    /** Frontal-central EEG derivation (Fz-Cz), not a Hypnos modality. */
    FZ_CZ,
    /** Central-occipital EEG derivation (Cz-Oz), not a Hypnos modality. */
    CZ_OZ,
    /** Bare C3 against the amplifier's common reference. */
    C3,
    /** Bare C4 against the amplifier's common reference. */
    C4,
    /** Bare left EOG electrode. */
    E1,
    /** Bare right EOG electrode. */
    E2,
    /** Left mastoid (reference electrode). */
    M1,
    /** Right mastoid (reference electrode). */
    M2,
    /** First chin electrode. */
    CHIN1,
    /** Second chin electrode. */
    CHIN2,
    /** Oronasal airflow (thermistor). */
    FLOW,
    /** Oxygen saturation, percent, 1 Hz. */
    SPO2,
    /** Heart rate from the oximeter or ECG, beats per minute, 1 Hz. */
    HR,
    /** Body position code (0 right, 1 supine, 2 left, 3 prone), 1 Hz. */
    POSITION,
    /** Room light (1 on, 0 off), 1 Hz. */
    LIGHT
}

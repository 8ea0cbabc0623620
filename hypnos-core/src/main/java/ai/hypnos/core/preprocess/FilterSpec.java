package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.SignalType;

/**
 * The band filter and notch of one signal type (DESIGN §3, the reference's
 * {@code MODALITY_CONFIGS}): EEG, EOG and EMG band-pass 0.5–45 Hz with notch; ECG band-pass
 * 0.05–45 Hz with notch; respiration high-pass 0.05 Hz without notch. The reference maps EOG
 * to its "eeg" configuration and EMG to "emg", which holds the same numbers.
 *
 * @param highPassHz lower edge (high-pass cut-off), Hz
 * @param lowPassHz  upper edge (low-pass cut-off), Hz, or {@code Double.NaN} for a pure high-pass
 * @param notch      whether the power-line notch applies
 */
public record FilterSpec(double highPassHz, double lowPassHz, boolean notch) {
    /** Butterworth order per band edge, as the reference. */
    public static final int DEFAULT_ORDER = 4;

    /** The specification for a signal type. */
    public static FilterSpec of(SignalType type) {
        return switch (type) {
            case EEG, EOG, EMG -> new FilterSpec(0.5, 45.0, true);
            case ECG -> new FilterSpec(0.05, 45.0, true);
            case RESP -> new FilterSpec(0.05, Double.NaN, false);
        };
    }

    /** True when there is an upper edge (band-pass rather than high-pass). */
    public boolean isBandPass() {
        return !Double.isNaN(lowPassHz);
    }

    /** The Butterworth sections at sample rate {@code fs}. */
    public Sos design(int order, double fs) {
        return isBandPass()
                ? Butterworth.bandpass(order, highPassHz, lowPassHz, fs)
                : Butterworth.highpass(order, highPassHz, fs);
    }
}

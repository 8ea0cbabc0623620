package ai.hypnos.core.modality;

import java.util.Locale;

/**
 * The kind of physiological signal. Modalities of one type share a tokenizer and, in the
 * transformer, one set of token-embedding tables (DESIGN §3).
 */
public enum SignalType {
    EEG, EOG, EMG, ECG, RESP;

    /** Lower-case name used in configs and bundle keys ({@code "eeg"}, {@code "resp"}...). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "eeg"}, {@code "EEG"}, {@code "respiratory"}... */
    public static SignalType fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        if (k.equals("respiratory") || k.equals("respiration")) {
            return RESP;
        }
        for (SignalType t : values()) {
            if (t.key().equals(k)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown signal type '" + key + "' (expected one of eeg, eog, emg, ecg, resp)");
    }
}

package ai.hypnos.core.modality;

import java.util.Locale;
import java.util.Optional;

/**
 * The eight Hypnos modalities, in the fixed order that defines the column layout of token
 * tensors (DESIGN §3).
 */
public enum Modality {
    EEG_C3("eeg_c3", SignalType.EEG, 128),
    EEG_C4("eeg_c4", SignalType.EEG, 128),
    EOG_E1("eog_e1", SignalType.EOG, 128),
    EOG_E2("eog_e2", SignalType.EOG, 128),
    EMG_CHIN("emg_chin", SignalType.EMG, 128),
    ECG("ecg", SignalType.ECG, 128),
    RESP_ABD("resp_abd", SignalType.RESP, 32),
    RESP_THX("resp_thx", SignalType.RESP, 32);

    /** Number of modalities (M). */
    public static final int COUNT = values().length;

    private final String key;
    private final SignalType signalType;
    private final int sampleRate;

    Modality(String key, SignalType signalType, int sampleRate) {
        this.key = key;
        this.signalType = signalType;
        this.sampleRate = sampleRate;
    }

    /** Name used in files and configs ({@code "eeg_c3"}...). */
    public String key() {
        return key;
    }

    public SignalType signalType() {
        return signalType;
    }

    /** Sample rate after resampling, in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Position in the fixed modality order (0..7). */
    public int id() {
        return ordinal();
    }

    /** The modality with this key ({@code "eeg_c3"}) or enum name ({@code "EEG_C3"}), if any. */
    public static Optional<Modality> fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Modality m : values()) {
            if (m.key.equals(k)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

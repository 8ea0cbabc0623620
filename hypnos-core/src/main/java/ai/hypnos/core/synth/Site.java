package ai.hypnos.core.synth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A recording "site": the montage, channel labels, sample rates, units, amplifier ranges and
 * mains frequency of one kind of sleep laboratory. Cohorts mix sites so that channel resolution
 * and preprocessing meet the variety of real cohorts.
 *
 * <ul>
 *   <li>{@link #SHHS}: Sleep Heart Health Study-like. {@code EEG(sec)} is C3-A2 and {@code EEG}
 *       is C4-A1 at 125 Hz, EOG at 50 Hz, {@code EKG} at 250 Hz, belts at 10 Hz; 60 Hz mains.</li>
 *   <li>{@link #MESA}: MESA-like. No C3: {@code EEG1} (Fz-Cz), {@code EEG2} (Cz-Oz) and
 *       {@code EEG3} (C4-M1), all at 256 Hz, belts at 32 Hz; 60 Hz mains.</li>
 *   <li>{@link #AASM}: a European clinic following AASM labels ({@code EEG C3-M2}...), EEG/EOG at
 *       256 Hz, chin EMG and ECG at 512 Hz, belts at 25 Hz; 50 Hz mains.</li>
 *   <li>{@link #RAW}: a recorder that stores bare electrodes against its common reference
 *       ({@code C3}, {@code C4}, {@code A1}, {@code A2}, {@code E1}, {@code E2}, {@code Chin1},
 *       {@code Chin2}) at 256 Hz, belts at 32 Hz; the reader must re-reference; 50 Hz mains.</li>
 * </ul>
 */
public enum Site {
    SHHS(60, List.of(
            ch(ChannelKind.SPO2, "SaO2", 1, "%", 0, 100, "Oximeter", ""),
            ch(ChannelKind.HR, "H.R.", 1, "bpm", 0, 250, "Oximeter", ""),
            ch(ChannelKind.C3_M2, "EEG(sec)", 125, "uV", -250, 250, "AgAgCl electrode", "HP:0.15Hz LP:64Hz"),
            ch(ChannelKind.ECG, "EKG", 250, "mV", -2.5, 2.5, "AgAgCl electrode", "HP:0.05Hz LP:100Hz"),
            ch(ChannelKind.CHIN, "EMG", 125, "uV", -125, 125, "AgAgCl electrode", "HP:10Hz LP:62Hz"),
            ch(ChannelKind.E1_M2, "EOG(L)", 50, "uV", -500, 500, "AgAgCl electrode", "HP:0.3Hz LP:25Hz"),
            ch(ChannelKind.E2_M1, "EOG(R)", 50, "uV", -500, 500, "AgAgCl electrode", "HP:0.3Hz LP:25Hz"),
            ch(ChannelKind.C4_M1, "EEG", 125, "uV", -250, 250, "AgAgCl electrode", "HP:0.15Hz LP:64Hz"),
            ch(ChannelKind.THX, "THOR RES", 10, "V", -1, 1, "Inductance belt", ""),
            ch(ChannelKind.ABD, "ABDO RES", 10, "V", -1, 1, "Inductance belt", ""),
            ch(ChannelKind.POSITION, "POSITION", 1, "", 0, 3, "", ""),
            ch(ChannelKind.LIGHT, "LIGHT", 1, "", 0, 1, "", ""),
            ch(ChannelKind.FLOW, "AIRFLOW", 10, "V", -1, 1, "Thermistor", ""))),
    MESA(60, List.of(
            ch(ChannelKind.ECG, "EKG", 256, "mV", -3, 3, "AgAgCl electrode", ""),
            ch(ChannelKind.E1_M2, "EOG-L", 256, "uV", -800, 800, "AgAgCl electrode", ""),
            ch(ChannelKind.E2_M1, "EOG-R", 256, "uV", -800, 800, "AgAgCl electrode", ""),
            ch(ChannelKind.CHIN, "EMG", 256, "uV", -200, 200, "AgAgCl electrode", ""),
            ch(ChannelKind.FZ_CZ, "EEG1", 256, "uV", -400, 400, "AgAgCl electrode", ""),
            ch(ChannelKind.CZ_OZ, "EEG2", 256, "uV", -400, 400, "AgAgCl electrode", ""),
            ch(ChannelKind.C4_M1, "EEG3", 256, "uV", -400, 400, "AgAgCl electrode", ""),
            ch(ChannelKind.FLOW, "Flow", 32, "", -2, 2, "Thermistor", ""),
            ch(ChannelKind.THX, "Thor", 32, "", -2, 2, "Inductance belt", ""),
            ch(ChannelKind.ABD, "Abdo", 32, "", -2, 2, "Inductance belt", ""),
            ch(ChannelKind.POSITION, "Pos", 1, "", 0, 3, "", ""),
            ch(ChannelKind.SPO2, "SpO2", 1, "%", 0, 100, "Oximeter", ""),
            ch(ChannelKind.HR, "HR", 1, "bpm", 0, 250, "Oximeter", ""))),
    AASM(50, List.of(
            ch(ChannelKind.C3_M2, "EEG C3-M2", 256, "uV", -500, 500, "AgAgCl electrode", "HP:0.3Hz LP:70Hz"),
            ch(ChannelKind.C4_M1, "EEG C4-M1", 256, "uV", -500, 500, "AgAgCl electrode", "HP:0.3Hz LP:70Hz"),
            ch(ChannelKind.E1_M2, "EOG E1-M2", 256, "uV", -800, 800, "AgAgCl electrode", "HP:0.3Hz LP:35Hz"),
            ch(ChannelKind.E2_M1, "EOG E2-M1", 256, "uV", -800, 800, "AgAgCl electrode", "HP:0.3Hz LP:35Hz"),
            ch(ChannelKind.CHIN, "EMG Chin1-Chin2", 512, "uV", -300, 300, "AgAgCl electrode", "HP:10Hz LP:100Hz"),
            ch(ChannelKind.ECG, "ECG", 512, "mV", -4, 4, "AgAgCl electrode", "HP:0.3Hz LP:70Hz"),
            ch(ChannelKind.FLOW, "Flow Patient", 25, "", -2, 2, "Thermistor", ""),
            ch(ChannelKind.THX, "Resp Thoracic", 25, "", -2, 2, "RIP belt", ""),
            ch(ChannelKind.ABD, "Resp Abdominal", 25, "", -2, 2, "RIP belt", ""),
            ch(ChannelKind.SPO2, "SpO2", 1, "%", 0, 100, "Oximeter", ""))),
    RAW(50, List.of(
            ch(ChannelKind.C3, "C3", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.C4, "C4", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.M1, "A1", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.M2, "A2", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.E1, "E1", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.E2, "E2", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.CHIN1, "Chin1", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.CHIN2, "Chin2", 256, "uV", -3000, 3000, "AgAgCl electrode", "DC"),
            ch(ChannelKind.ECG, "ECG", 256, "mV", -5, 5, "AgAgCl electrode", ""),
            ch(ChannelKind.THX, "Thorax", 32, "", -3, 3, "RIP belt", ""),
            ch(ChannelKind.ABD, "Abdomen", 32, "", -3, 3, "RIP belt", ""),
            ch(ChannelKind.SPO2, "SpO2", 1, "%", 0, 100, "Oximeter", "")));

    private final int mainsHz;
    private final List<SiteChannel> channels;

    Site(int mainsHz, List<SiteChannel> channels) {
        this.mainsHz = mainsHz;
        this.channels = channels;
    }

    private static SiteChannel ch(ChannelKind kind, String label, double fs, String unit, double min, double max,
                                  String transducer, String prefiltering) {
        return new SiteChannel(kind, label, fs, unit, min, max, transducer, prefiltering);
    }

    /** Mains frequency (50 or 60 Hz): the notch the preprocessing should use for this site. */
    public int mainsHz() {
        return mainsHz;
    }

    /** The full montage, in file order (a subject may lack some of these, see {@link SubjectProfile}). */
    public List<SiteChannel> channels() {
        return channels;
    }

    /**
     * The file label under which this site stores a channel kind: the channel itself, or for a
     * referenced derivation at a bare-electrode site, its active electrode (C3 for C3-M2).
     */
    public Optional<String> label(ChannelKind kind) {
        ChannelKind electrode = switch (kind) {
            case C3_M2 -> ChannelKind.C3;
            case C4_M1 -> ChannelKind.C4;
            case E1_M2 -> ChannelKind.E1;
            case E2_M1 -> ChannelKind.E2;
            case CHIN -> ChannelKind.CHIN1;
            default -> kind;
        };
        for (SiteChannel c : channels) {
            if (c.kind() == kind || c.kind() == electrode) {
                return Optional.of(c.label());
            }
        }
        return Optional.empty();
    }

    /** Lower-case name used in manifests and on the command line. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "shhs"}, {@code "MESA"}... */
    public static Site fromKey(String key) {
        for (Site s : values()) {
            if (s.key().equalsIgnoreCase(key.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown site '" + key + "' (expected one of shhs, mesa, aasm, raw)");
    }
}

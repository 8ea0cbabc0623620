package ai.hypnos.core.modality;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in channel-label knowledge: each modality's canonical label, the labels cohorts use
 * for it, the electrode pairs a chin EMG can be derived from, and the names of the mastoid
 * reference electrodes. {@link ChannelResolver} applies it; {@code docs/channels.md} prints it.
 *
 * <p>Sources: the reference library's alias table ({@code hypnos/data/edf.py}) and the channel
 * lists of SHHS, MESA, MrOS, CFS, HMC and Sleep-EDF recordings.
 */
public final class ChannelAliases {

    /** How a matched label relates to referencing. */
    public enum Kind {
        /** An EEG/EOG electrode named alone ({@code C3}, {@code LOC}): referencing rules apply. */
        ELECTRODE,
        /**
         * A derivation: the label is already referenced or bipolar ({@code C3-M2}, SHHS
         * {@code EEG(sec)} = C3-A2, {@code Chin1-Chin2}); used as is.
         */
        DERIVATION,
        /** A signal that needs no referencing (ECG, belts, a single chin EMG channel); used as is. */
        SIGNAL
    }

    /** One label a modality may appear under. */
    public record Alias(String label, Kind kind) {
    }

    /** An electrode pair whose difference {@code positive - negative} gives a bipolar derivation. */
    public record Pair(String positive, String negative) {
    }

    /** AASM contralateral mastoid: M1 (left) for right-side electrodes, M2 (right) for left-side ones. */
    public static final String M1 = "M1";
    /** The right mastoid reference. */
    public static final String M2 = "M2";

    private static final Map<Modality, String> CANONICAL = new EnumMap<>(Modality.class);
    private static final Map<Modality, Kind> CANONICAL_KIND = new EnumMap<>(Modality.class);
    private static final Map<Modality, List<Alias>> BEFORE_PAIRS = new EnumMap<>(Modality.class);
    private static final Map<Modality, List<Pair>> PAIRS = new EnumMap<>(Modality.class);
    private static final Map<Modality, List<Alias>> AFTER_PAIRS = new EnumMap<>(Modality.class);
    private static final Map<Modality, String> REFERENCE = new EnumMap<>(Modality.class);
    private static final Map<String, List<String>> REFERENCE_LABELS = Map.of(
            M1, List.of("M1", "A1", "TP9", "EEG M1", "EEG A1", "EEG TP9", "M1-REF", "A1-REF", "EEG M1-REF", "EEG A1-REF"),
            M2, List.of("M2", "A2", "TP10", "EEG M2", "EEG A2", "EEG TP10", "M2-REF", "A2-REF", "EEG M2-REF", "EEG A2-REF"));
    /** Names of reference electrodes: a label containing one of them names its reference. */
    private static final List<String> REFERENCE_NAMES = List.of("M1", "M2", "A1", "A2", "TP9", "TP10");

    static {
        table(Modality.EEG_C3, "C3", Kind.ELECTRODE, M2,
                derivations("C3-M2", "C3-A2", "C3_M2", "C3_A2", "EEG C3-M2", "EEG C3-A2", "C3-TP10",
                        "EEG(sec) C3", "EEG(sec)"),
                electrodes("EEG C3", "C3-REF", "EEG C3-REF"));
        table(Modality.EEG_C4, "C4", Kind.ELECTRODE, M1,
                derivations("C4-M1", "C4-A1", "C4_M1", "C4_A1", "EEG C4-M1", "EEG C4-A1", "C4-TP9",
                        "EEG(sec) C4", "EEG", "EEG3"),
                electrodes("EEG C4", "C4-REF", "EEG C4-REF"));
        table(Modality.EOG_E1, "E1", Kind.ELECTRODE, M2,
                derivations("E1-M2", "E1-A2", "EOG E1-M2", "EOG E1-A2", "EOG LOC-M2", "LOC-M2", "LOC-A2"),
                electrodes("EOG(L)", "LOC", "EOG-L", "EOGl", "EOG E1", "EOG LOC", "E1-REF", "LOC-REF"));
        table(Modality.EOG_E2, "E2", Kind.ELECTRODE, M1,
                derivations("E2-M1", "E2-M2", "E2-A1", "EOG E2-M1", "EOG E2-M2", "EOG E2-A1", "EOG ROC-M1",
                        "ROC-M1", "EEG ROC-M1", "ROC-A1", "ROC-M2"),
                electrodes("EOG(R)", "ROC", "EOG-R", "EOGr", "EOG E2", "EOG ROC", "E2-REF", "ROC-REF"));
        table(Modality.EMG_CHIN, "Chin1-Chin2", Kind.DERIVATION, null,
                derivations("EMG Chin1-Chin2", "EMG Chin2-Chin1", "Chin2-Chin1", "EEG Chin1-Chin2",
                        "Chin1-Chin3", "Chin2-Chin3", "EMG Chin1-Chin3", "EMG Chin2-Chin3"),
                List.of());
        PAIRS.put(Modality.EMG_CHIN, List.of(new Pair("ChinR", "ChinL"), new Pair("Chin1", "Chin2"),
                new Pair("cchin_r", "cchin_l"), new Pair("R Chin", "L Chin"), new Pair("Rchin", "Lchin"),
                new Pair("EMG3", "EMG2"), new Pair("EMG2", "EMG1")));
        AFTER_PAIRS.put(Modality.EMG_CHIN, signals("Chin", "ChinA", "Cchin", "Chin EMG", "EMG", "EMG Chin",
                "EMG submental", "Submental EMG"));
        table(Modality.ECG, "ECG", Kind.SIGNAL, null,
                signals("EKG", "ECG1", "ECG L", "ECGL", "ECG L-ECG R", "ECG EKG2-EKG", "EKG2-EKG", "ECG LA-RA", "LA-RA",
                        "ECG II", "ECG I", "EKG1", "ECG 1",
                        // Bare lead names of ECG databases (MIT-BIH "MLII", PTB "ii"): lead II first,
                        // the rhythm lead a Holter or PSG ECG channel usually approximates.
                        "MLII", "II", "ML II", "Lead II", "ECG2", "I", "Lead I"),
                List.of());
        table(Modality.RESP_ABD, "ABD", Kind.SIGNAL, null,
                signals("Abdo", "ABDO RES", "ABDO EFFORT", "Abdominal", "Abdomen", "Resp Abdominal", "Resp Abdomen",
                        "Resp ABD", "ABD RES", "Effort ABD"),
                List.of());
        table(Modality.RESP_THX, "THX", Kind.SIGNAL, null,
                signals("Thor", "THOR RES", "THOR EFFORT", "Thoracic", "Thorax", "Chest", "Resp Thoracic", "Resp Chest",
                        "Resp THX", "Resp Thorax", "Effort THO", "THO"),
                List.of());
    }

    private ChannelAliases() {
    }

    private static void table(Modality m, String canonical, Kind kind, String reference, List<Alias> first,
            List<Alias> second) {
        CANONICAL.put(m, canonical);
        List<Alias> all = new ArrayList<>(first);
        all.addAll(second);
        BEFORE_PAIRS.put(m, List.copyOf(all));
        if (reference != null) {
            REFERENCE.put(m, reference);
        }
        CANONICAL_KIND.put(m, kind);
    }

    private static List<Alias> derivations(String... labels) {
        return of(Kind.DERIVATION, labels);
    }

    private static List<Alias> electrodes(String... labels) {
        return of(Kind.ELECTRODE, labels);
    }

    private static List<Alias> signals(String... labels) {
        return of(Kind.SIGNAL, labels);
    }

    private static List<Alias> of(Kind kind, String... labels) {
        List<Alias> out = new ArrayList<>();
        for (String l : labels) {
            out.add(new Alias(l, kind));
        }
        return out;
    }

    /** The modality's canonical label ({@code C3}, {@code E1}, {@code Chin1-Chin2}, {@code ECG}, {@code ABD}, {@code THX}). */
    public static Alias canonical(Modality m) {
        return new Alias(CANONICAL.get(m), CANONICAL_KIND.get(m));
    }

    /** Built-in aliases tried before electrode pairs (all aliases for modalities without pairs), in order. */
    public static List<Alias> aliases(Modality m) {
        return BEFORE_PAIRS.getOrDefault(m, List.of());
    }

    /** Electrode pairs a bipolar derivation can be computed from (chin EMG), in order. */
    public static List<Pair> pairs(Modality m) {
        return PAIRS.getOrDefault(m, List.of());
    }

    /** Single-channel aliases tried after the pairs (chin EMG: {@code EMG}, {@code Chin}...). */
    public static List<Alias> fallbackAliases(Modality m) {
        return AFTER_PAIRS.getOrDefault(m, List.of());
    }

    /** The contralateral mastoid reference of an EEG/EOG modality ({@code M1} or {@code M2}). */
    public static Optional<String> reference(Modality m) {
        return Optional.ofNullable(REFERENCE.get(m));
    }

    /** Labels a reference electrode appears under ({@code M1}: M1, A1, TP9...), in order of preference. */
    public static List<String> referenceLabels(String reference) {
        List<String> l = REFERENCE_LABELS.get(reference);
        if (l == null) {
            throw new IllegalArgumentException("unknown reference '" + reference + "' (M1 or M2)");
        }
        return l;
    }

    /**
     * Normalises a label for tolerant matching: upper case, trimmed, runs of spaces as one,
     * {@code :} and {@code /} as {@code -}, and the device suffixes {@code _PDS}, {@code _EG}
     * dropped ({@code "c3:m2"}, {@code "C3/M2"} and {@code "C3-M2_PDS"} all give {@code "C3-M2"}).
     */
    public static String normalise(String label) {
        String t = label.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (String suffix : new String[] {"_PDS", "_EG"}) {
            if (t.endsWith(suffix)) {
                t = t.substring(0, t.length() - suffix.length());
            }
        }
        return t.replace(':', '-').replace('/', '-').strip();
    }

    /**
     * Whether a label names a mastoid reference ({@code M1}, {@code M2}, {@code A1}, {@code A2},
     * {@code TP9}, {@code TP10}) besides being one, as in {@code C3-M2} or {@code EOG E1-A2}.
     */
    public static boolean namesReference(String label) {
        String t = normalise(label);
        for (String r : REFERENCE_NAMES) {
            if (t.contains(r) && !t.equals(r)) {
                return true;
            }
        }
        return false;
    }
}

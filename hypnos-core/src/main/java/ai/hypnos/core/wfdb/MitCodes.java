package ai.hypnos.core.wfdb;

/**
 * The standard WFDB annotation codes ({@code ecgcodes.h}): mnemonic, description, and which
 * codes are beats (WFDB's {@code isqrs}).
 */
public final class MitCodes {
    /** Largest annotation code of the standard table. */
    public static final int ACMAX = 49;
    /** Normal beat. */
    public static final int NORMAL = 1;
    /** Premature ventricular contraction. */
    public static final int PVC = 5;
    /** Atrial premature beat. */
    public static final int APC = 8;
    /** Comment annotation (also carries the "## time resolution" note). */
    public static final int NOTE = 22;
    /** Rhythm change; the new rhythm is the aux text, e.g. {@code "(AFIB"}. */
    public static final int RHYTHM = 28;

    private static final String[] MNEMONIC = new String[ACMAX + 1];
    private static final String[] DESCRIPTION = new String[ACMAX + 1];
    private static final boolean[] BEAT = new boolean[ACMAX + 1];

    static {
        define(0, " ", "not-QRS (not a getann/putann code)", false);
        define(1, "N", "Normal beat", true);
        define(2, "L", "Left bundle branch block beat", true);
        define(3, "R", "Right bundle branch block beat", true);
        define(4, "a", "Aberrated atrial premature beat", true);
        define(5, "V", "Premature ventricular contraction", true);
        define(6, "F", "Fusion of ventricular and normal beat", true);
        define(7, "J", "Nodal (junctional) premature beat", true);
        define(8, "A", "Atrial premature contraction", true);
        define(9, "S", "Premature or ectopic supraventricular beat", true);
        define(10, "E", "Ventricular escape beat", true);
        define(11, "j", "Nodal (junctional) escape beat", true);
        define(12, "/", "Paced beat", true);
        define(13, "Q", "Unclassifiable beat", true);
        define(14, "~", "Signal quality change", false);
        define(16, "|", "Isolated QRS-like artifact", false);
        define(18, "s", "ST change", false);
        define(19, "T", "T-wave change", false);
        define(20, "*", "Systole", false);
        define(21, "D", "Diastole", false);
        define(22, "\"", "Comment annotation", false);
        define(23, "=", "Measurement annotation", false);
        define(24, "p", "P-wave peak", false);
        define(25, "B", "Left or right bundle branch block", true);
        define(26, "^", "Non-conducted pacer spike", false);
        define(27, "t", "T-wave peak", false);
        define(28, "+", "Rhythm change", false);
        define(29, "u", "U-wave peak", false);
        define(30, "?", "Learning", true);
        define(31, "!", "Ventricular flutter wave", false);
        define(32, "[", "Start of ventricular flutter/fibrillation", false);
        define(33, "]", "End of ventricular flutter/fibrillation", false);
        define(34, "e", "Atrial escape beat", true);
        define(35, "n", "Supraventricular escape beat", true);
        define(36, "@", "Link to external data (aux contains URL)", false);
        define(37, "x", "Non-conducted P-wave (blocked APB)", false);
        define(38, "f", "Fusion of paced and normal beat", true);
        define(39, "(", "Waveform onset", false);
        define(40, ")", "Waveform end", false);
        define(41, "r", "R-on-T premature ventricular contraction", true);
    }

    private MitCodes() {
    }

    private static void define(int code, String mnemonic, String description, boolean beat) {
        MNEMONIC[code] = mnemonic;
        DESCRIPTION[code] = description;
        BEAT[code] = beat;
    }

    /** The mnemonic ({@code "N"}, {@code "V"}, {@code "+"}...), or {@code "[code]"} for codes outside the table. */
    public static String mnemonic(int code) {
        if (code >= 0 && code <= ACMAX && MNEMONIC[code] != null) {
            return MNEMONIC[code];
        }
        return "[" + code + "]";
    }

    /** A description in words, or {@code "unknown code N"}. */
    public static String description(int code) {
        if (code >= 0 && code <= ACMAX && DESCRIPTION[code] != null) {
            return DESCRIPTION[code];
        }
        return "unknown code " + code;
    }

    /** Whether the code is a beat (QRS) annotation. */
    public static boolean isBeat(int code) {
        return code >= 0 && code <= ACMAX && BEAT[code];
    }
}

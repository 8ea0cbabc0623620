package ai.hypnos.core.annotation;

import java.util.Locale;
import java.util.Optional;

/**
 * Recognises sleep-stage labels in the spellings scoring files use.
 *
 * <p>Accepted (case-insensitive; {@code _} counts as a space; an EDF+ {@code @@channel} suffix is
 * ignored): {@code "Sleep stage W/1/2/3/4/R/?"} (R&amp;K, Sleep-EDF), {@code "Sleep stage
 * N1/N2/N3/R"} (AASM, HMC), {@code "Stage 2 sleep"}, {@code "REM sleep"}, {@code "Wake"}, and the
 * bare labels {@code N1, N2, N3, N4, REM} (plus {@code W, R, ?} in text hypnograms:
 * {@link #parseEpochLabel}). R&amp;K stages 3 and 4 (and N4) become N3;
 * {@code "?"}, {@code "Movement time"}, {@code "Unscored"} and any other label behind a
 * "sleep stage" prefix become {@link SleepStage#UNSCORED}; digits count only behind "sleep
 * stage"/"stage" or before "sleep" ({@code "Stage 2 sleep"}). Bare digits are not accepted here
 * (their meaning depends on the file: see {@link Hypnograms#readText}).
 */
public final class StageText {
    private StageText() {
    }

    /**
     * The stage an annotation names, or empty when it is not a sleep-stage annotation at all
     * (an arousal, "Lights off", a WFDB beat label...). One-character labels ({@code W},
     * {@code R}, {@code ?}) are not accepted here: in annotation lists they collide with other
     * vocabularies (a WFDB {@code R} is a bundle-branch-block beat); see {@link #parseEpochLabel}.
     */
    public static Optional<SleepStage> parse(String label) {
        return parse(label, false);
    }

    /**
     * The stage of one line of a text hypnogram: as {@link #parse}, plus the one-character labels
     * {@code W}, {@code R} and {@code ?}.
     */
    public static Optional<SleepStage> parseEpochLabel(String label) {
        return parse(label, true);
    }

    private static Optional<SleepStage> parse(String label, boolean shortLabels) {
        String t = normalise(label);
        // "Sleep stage X" is a stage label whatever X is; "Stage X" and "X sleep" only for known X
        boolean sleepStage = t.startsWith("sleep stage ");
        boolean numbered = sleepStage;
        if (sleepStage) {
            t = t.substring("sleep stage ".length()).strip();
        } else if (t.startsWith("stage ")) {
            t = t.substring("stage ".length()).strip();
            numbered = true;
        }
        if (t.endsWith(" sleep")) {
            t = t.substring(0, t.length() - " sleep".length()).strip();
            numbered = true;
        }
        if (t.length() == 1 && !numbered && !shortLabels) {
            return Optional.empty();
        }
        Optional<SleepStage> s = token(t, numbered);
        if (s.isEmpty() && sleepStage) {
            return Optional.of(SleepStage.UNSCORED);
        }
        return s;
    }

    private static Optional<SleepStage> token(String t, boolean numbered) {
        switch (t) {
            case "w", "wake", "awake":
                return Optional.of(SleepStage.W);
            case "n1", "s1":
                return Optional.of(SleepStage.N1);
            case "n2", "s2":
                return Optional.of(SleepStage.N2);
            case "n3", "n4", "s3", "s4":
                return Optional.of(SleepStage.N3);
            case "r", "rem":
                return Optional.of(SleepStage.REM);
            case "?", "unscored", "unknown", "movement", "movement time", "mt", "artifact", "artefact":
                return Optional.of(SleepStage.UNSCORED);
            default:
                break;
        }
        if (numbered) {
            switch (t) {
                case "0":
                    return Optional.of(SleepStage.W);
                case "1":
                    return Optional.of(SleepStage.N1);
                case "2":
                    return Optional.of(SleepStage.N2);
                case "3", "4":
                    return Optional.of(SleepStage.N3);
                default:
                    break;
            }
        }
        return Optional.empty();
    }

    /** Lower case, {@code _} as space, single spaces, without an EDF+ {@code @@channel} suffix. */
    static String normalise(String label) {
        String t = label;
        int at = t.indexOf("@@");
        if (at >= 0) {
            t = t.substring(0, at);
        }
        return t.replace('_', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Whether a label marks lights off ("Lights off", "LIGHTS OUT", "lights_off"). */
    public static boolean isLightsOff(String label) {
        String t = normalise(label);
        return t.equals("lights off") || t.equals("lights out") || t.equals("lightsoff") || t.equals("lights-off");
    }

    /** Whether a label marks lights on ("Lights on", "LIGHTS ON"). */
    public static boolean isLightsOn(String label) {
        String t = normalise(label);
        return t.equals("lights on") || t.equals("lightson") || t.equals("lights-on");
    }
}

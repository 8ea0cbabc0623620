package ai.hypnos.core.annotation;

import java.util.Locale;

/** What a scored event is, recognised from its concept name across NSRR cohorts' spellings. */
public enum EventKind {
    STAGE, OBSTRUCTIVE_APNEA, CENTRAL_APNEA, MIXED_APNEA, APNEA, HYPOPNEA, AROUSAL, DESATURATION,
    LIMB_MOVEMENT, OTHER;

    /** Whether this is an apnea of any type or a hypopnea (the events counted by the AHI). */
    public boolean isRespiratory() {
        return this == OBSTRUCTIVE_APNEA || this == CENTRAL_APNEA || this == MIXED_APNEA || this == APNEA
                || this == HYPOPNEA;
    }

    /**
     * Classifies an event name such as {@code "Obstructive apnea"}, {@code "Hypopnea"},
     * {@code "Arousal"}, {@code "SpO2 desaturation"}, {@code "Periodic leg movement - left"}
     * (stage events are recognised by the caller, which knows the event type).
     */
    public static EventKind ofName(String name) {
        String t = name.toLowerCase(Locale.ROOT);
        if (t.contains("hypopnea") || t.contains("hypopnoea")) {
            return HYPOPNEA;
        }
        if (t.contains("apnea") || t.contains("apnoea")) {
            if (t.contains("obstructive")) {
                return OBSTRUCTIVE_APNEA;
            }
            if (t.contains("central")) {
                return CENTRAL_APNEA;
            }
            if (t.contains("mixed")) {
                return MIXED_APNEA;
            }
            return APNEA;
        }
        if (t.contains("arousal")) {
            return AROUSAL;
        }
        if (t.contains("desaturation")) {
            return DESATURATION;
        }
        if (t.contains("limb movement") || t.contains("leg movement") || t.startsWith("plm") || t.contains("(plm")) {
            return LIMB_MOVEMENT;
        }
        return OTHER;
    }
}

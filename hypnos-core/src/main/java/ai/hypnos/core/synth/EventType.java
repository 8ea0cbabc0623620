package ai.hypnos.core.synth;

import java.util.Locale;

/**
 * Kinds of ground-truth events of a synthetic night. Scored events (arousals, respiratory
 * events, desaturations, AF) also go into the NSRR XML with the concept names NSRR uses; the
 * others (spindles, K-complexes, artefacts) are only in the ground-truth file.
 */
public enum EventType {
    SPINDLE("Sleep spindle", null, null),
    K_COMPLEX("K-complex", null, null),
    REM_BURST("Rapid eye movements", null, null),
    AROUSAL("Arousal", "Arousals|Arousals", "Arousal|Arousal ()"),
    OBSTRUCTIVE_APNEA("Obstructive apnea", "Respiratory|Respiratory", "Obstructive apnea|Obstructive Apnea"),
    CENTRAL_APNEA("Central apnea", "Respiratory|Respiratory", "Central apnea|Central Apnea"),
    HYPOPNEA("Hypopnea", "Respiratory|Respiratory", "Hypopnea|Hypopnea"),
    DESATURATION("SpO2 desaturation", "Respiratory|Respiratory", "SpO2 desaturation|SpO2 desaturation"),
    ATRIAL_FIBRILLATION("Atrial fibrillation", "Cardiac|Cardiac", "Atrial fibrillation|Atrial Fibrillation"),
    ECTOPIC_BEAT("Ectopic beat", null, null),
    MOVEMENT("Body movement", null, null),
    ELECTRODE_POP("Electrode pop", null, null),
    SWEAT("Sweat artefact", null, null),
    FLAT_SIGNAL("Flat signal", null, null);

    private final String description;
    private final String nsrrType;
    private final String nsrrConcept;

    EventType(String description, String nsrrType, String nsrrConcept) {
        this.description = description;
        this.nsrrType = nsrrType;
        this.nsrrConcept = nsrrConcept;
    }

    /** Human-readable name (also the EDF+ annotation text where one is written). */
    public String description() {
        return description;
    }

    /** NSRR {@code EventType}, or {@code null} when the event is not written to the XML. */
    public String nsrrType() {
        return nsrrType;
    }

    /** NSRR {@code EventConcept}, or {@code null}. */
    public String nsrrConcept() {
        return nsrrConcept;
    }

    /** Key used in the ground-truth file ({@code "spindle"}, {@code "obstructive_apnea"}...). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

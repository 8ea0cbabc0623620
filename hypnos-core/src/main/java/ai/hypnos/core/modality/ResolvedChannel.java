package ai.hypnos.core.modality;

/**
 * Where a modality's signal comes from in one recording.
 *
 * @param modality       the modality
 * @param derivation     how it is derived
 * @param signal         index of the (positive) channel in the recording
 * @param label          that channel's label as written in the file
 * @param referenceSignal index of the subtracted channel (reference electrode or negative chin
 *                       electrode), or -1 when nothing is subtracted
 * @param referenceLabel that channel's label, empty when none
 * @param referenceScale factor that brings the subtracted channel to this channel's unit (1 when
 *                       the units agree; 1000 for a reference in mV under a channel in µV)
 * @param sampleRate     samples per second of the result (the positive channel's rate)
 * @param unit           physical unit of the result (the positive channel's)
 * @param matchedBy      how the label was found: {@code "exact"}, {@code "normalised"},
 *                       {@code "user alias 'X'"}, {@code "built-in alias 'X'"}, {@code "electrode pair"}
 */
public record ResolvedChannel(Modality modality, Derivation derivation, int signal, String label, int referenceSignal,
        String referenceLabel, double referenceScale, double sampleRate, String unit, String matchedBy) {

    /** Whether a second channel is subtracted. */
    public boolean hasReference() {
        return referenceSignal >= 0;
    }

    /** {@code "C3 - M2"} for differences, else the label. */
    public String expression() {
        return hasReference() ? label + " - " + referenceLabel : label;
    }
}

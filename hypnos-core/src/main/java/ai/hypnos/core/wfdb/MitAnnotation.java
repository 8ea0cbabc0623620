package ai.hypnos.core.wfdb;

/**
 * One annotation of a WFDB (MIT format) annotation file.
 *
 * @param sample  sample number (in frames of the record, or in the file's own time resolution)
 * @param time    seconds from the record start ({@code sample / frequency})
 * @param code    annotation type code ({@code anntyp}, see {@link MitCodes})
 * @param label   mnemonic of the code ({@code "N"}, {@code "A"}, {@code "V"}, {@code "+"}...)
 * @param subtype {@code subtyp} field (0 unless the file sets it)
 * @param channel {@code chan} field (carried over from the previous annotation unless set)
 * @param num     {@code num} field (carried over from the previous annotation unless set)
 * @param aux     auxiliary text, e.g. {@code "(AFIB"} for a rhythm change; empty when none
 */
public record MitAnnotation(long sample, double time, int code, String label, int subtype, int channel, int num,
        String aux) {

    /** Whether this annotation marks a beat (QRS). */
    public boolean isBeat() {
        return MitCodes.isBeat(code);
    }

    /** Whether this is a rhythm change ({@code "+"} with aux text such as {@code "(N"} or {@code "(AFIB"}). */
    public boolean isRhythmChange() {
        return code == MitCodes.RHYTHM && aux.startsWith("(");
    }

    /** The rhythm of a rhythm change without its parenthesis ({@code "AFIB"}), else empty. */
    public String rhythm() {
        return isRhythmChange() ? aux.substring(1).strip() : "";
    }
}

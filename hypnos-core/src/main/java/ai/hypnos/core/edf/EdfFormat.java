package ai.hypnos.core.edf;

/**
 * The flavours of the European Data Format family this package reads.
 *
 * <p>EDF stores 16-bit samples, BDF (BioSemi) 24-bit ones. The "+" variants carry annotation
 * signals with time-keeping; "C" files are continuous, "D" files may have gaps between data
 * records.
 */
public enum EdfFormat {
    EDF("EDF", 2, false, false),
    EDF_PLUS_C("EDF+C", 2, true, false),
    EDF_PLUS_D("EDF+D", 2, true, true),
    BDF("BDF", 3, false, false),
    BDF_PLUS_C("BDF+C", 3, true, false),
    BDF_PLUS_D("BDF+D", 3, true, true);

    private final String label;
    private final int bytesPerSample;
    private final boolean plus;
    private final boolean discontinuous;

    EdfFormat(String label, int bytesPerSample, boolean plus, boolean discontinuous) {
        this.label = label;
        this.bytesPerSample = bytesPerSample;
        this.plus = plus;
        this.discontinuous = discontinuous;
    }

    /** The name as written in the header's reserved field, e.g. {@code "EDF+C"}. */
    public String label() {
        return label;
    }

    /** 2 for EDF, 3 for BDF. */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** True for EDF+ and BDF+ (annotation signals with time-keeping). */
    public boolean isPlus() {
        return plus;
    }

    /** True for the "D" variants, whose data records need not be adjacent in time. */
    public boolean isDiscontinuous() {
        return discontinuous;
    }

    /** True for the 24-bit BioSemi variants. */
    public boolean isBdf() {
        return bytesPerSample == 3;
    }

    /** Smallest digital value a sample can hold (-32768 or -8388608). */
    public long digitalFloor() {
        return isBdf() ? -(1L << 23) : -(1L << 15);
    }

    /** Largest digital value a sample can hold (32767 or 8388607). */
    public long digitalCeiling() {
        return isBdf() ? (1L << 23) - 1 : (1L << 15) - 1;
    }

    /** The label of annotation signals in this format family. */
    public String annotationLabel() {
        return isBdf() ? "BDF Annotations" : "EDF Annotations";
    }
}

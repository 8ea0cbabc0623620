package ai.hypnos.core.edf;

/**
 * One signal's entry in an EDF/BDF header, as parsed (text fields trimmed).
 *
 * <p>Physical value = digital value × {@link #gain()} + {@link #offset()}, with the gain
 * {@code (physicalMax - physicalMin) / (digitalMax - digitalMin)}. The reader and the writer
 * both use these two methods, so what the writer quantises the reader restores exactly.
 *
 * @param label            channel label, e.g. {@code "EEG C3-M2"} or {@code "EDF Annotations"}
 * @param transducer       transducer type
 * @param unit             physical dimension, e.g. {@code "uV"}
 * @param physicalMin      physical value of {@code digitalMin}
 * @param physicalMax      physical value of {@code digitalMax}
 * @param digitalMin       smallest digital value
 * @param digitalMax       largest digital value
 * @param prefiltering     prefiltering text
 * @param samplesPerRecord samples of this signal in each data record (&gt; 0)
 * @param reserved         the per-signal reserved field
 * @param annotation       true for an EDF+/BDF+ annotation signal (TALs, not samples)
 */
public record EdfSignalHeader(
        String label,
        String transducer,
        String unit,
        double physicalMin,
        double physicalMax,
        long digitalMin,
        long digitalMax,
        String prefiltering,
        int samplesPerRecord,
        String reserved,
        boolean annotation) {

    /** Physical units per digital step. */
    public double gain() {
        return (physicalMax - physicalMin) / (double) (digitalMax - digitalMin);
    }

    /** Physical value of digital zero. */
    public double offset() {
        return physicalMin - gain() * digitalMin;
    }
}

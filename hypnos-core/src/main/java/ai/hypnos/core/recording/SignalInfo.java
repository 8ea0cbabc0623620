package ai.hypnos.core.recording;

/**
 * Description of one signal (channel) of a recording, as its header gives it.
 *
 * @param label         channel label as written in the file, trimmed (e.g. {@code "EEG C3-M2"})
 * @param transducer    transducer type, empty if unknown
 * @param unit          physical dimension (e.g. {@code "uV"}, {@code "mV"}), empty if unknown
 * @param prefiltering  prefiltering text from the header, empty if unknown
 * @param sampleRate    samples per second (may be fractional for odd EDF record durations)
 * @param sampleCount   total number of samples in the recording for this signal
 * @param physicalMin   physical minimum (EDF) or {@code NaN} where the format has none
 * @param physicalMax   physical maximum (EDF) or {@code NaN}
 * @param digitalMin    digital minimum (EDF) or {@code NaN}
 * @param digitalMax    digital maximum (EDF) or {@code NaN}
 */
public record SignalInfo(
        String label,
        String transducer,
        String unit,
        String prefiltering,
        double sampleRate,
        long sampleCount,
        double physicalMin,
        double physicalMax,
        double digitalMin,
        double digitalMax) {

    /** Duration covered by this signal's samples, in seconds. */
    public double durationSeconds() {
        return sampleCount / sampleRate;
    }

    /** A signal description for in-memory data, where only label, unit and rate matter. */
    public static SignalInfo of(String label, String unit, double sampleRate, long sampleCount) {
        return new SignalInfo(label, "", unit, "", sampleRate, sampleCount,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}

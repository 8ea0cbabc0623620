package ai.hypnos.core.wfdb;

import java.util.OptionalInt;

/**
 * One signal line of a WFDB header ({@code header(5)}), with WFDB's defaults filled in.
 *
 * <pre>file format[xspf][:skew][+offset] gain[(baseline)][/units] adcres adczero initval checksum blocksize description</pre>
 *
 * @param fileName         signal file, relative to the header's folder ({@code "~"} for a null signal)
 * @param format           sample format
 * @param samplesPerFrame  samples of this signal per frame (signal rate = frame rate × this)
 * @param skew             frames by which this signal lags: sample {@code i} is stored in frame {@code i + skew}
 * @param byteOffset       bytes to skip at the start of the file (a prefix written by another program)
 * @param gain             ADC units per physical unit; WFDB's default 200 when absent or 0 (uncalibrated)
 * @param baseline         digital value of physical zero; defaults to {@code adcZero}
 * @param units            physical units; {@code "mV"} by default
 * @param adcResolution    ADC resolution in bits; the format's bits when absent or 0
 * @param adcZero          digital value at the middle of the ADC range
 * @param initialValue     first sample's value (format 8 adds differences to it); defaults to {@code adcZero}
 * @param checksum         16-bit sum of all samples, when the header gives one
 * @param blockSize        block size in bytes (0: not a block device)
 * @param description      signal label; WFDB's {@code "record R, signal N"} when absent
 * @param gainGiven        whether the header gave a non-zero gain (else the signal is uncalibrated)
 */
public record WfdbSignalSpec(
        String fileName,
        SampleFormat format,
        int samplesPerFrame,
        int skew,
        long byteOffset,
        double gain,
        int baseline,
        String units,
        int adcResolution,
        int adcZero,
        int initialValue,
        OptionalInt checksum,
        int blockSize,
        String description,
        boolean gainGiven) {

    /** WFDB's default gain (ADC units per millivolt) when a header gives none. */
    public static final double DEFAULT_GAIN = 200.0;

    /** Whether this signal has no file (format 0 or file name {@code "~"}). */
    public boolean isNull() {
        return format == SampleFormat.NULL || "~".equals(fileName);
    }

    /** Physical value of a digital sample: {@code (digital - baseline) / gain}. */
    public double toPhysical(int digital) {
        return ((double) digital - baseline) / gain;
    }
}

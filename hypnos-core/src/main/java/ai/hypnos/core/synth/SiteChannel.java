package ai.hypnos.core.synth;

/**
 * One channel as a site stores it.
 *
 * @param kind          what it carries
 * @param label         the label written in the file
 * @param sampleRate    samples per second
 * @param unit          physical dimension
 * @param physicalMin   lower end of the recorder's range (values beyond it are clipped, as a real amplifier does)
 * @param physicalMax   upper end of the recorder's range
 * @param transducer    transducer text for the EDF header
 * @param prefiltering  prefiltering text for the EDF header
 */
public record SiteChannel(
        ChannelKind kind,
        String label,
        double sampleRate,
        String unit,
        double physicalMin,
        double physicalMax,
        String transducer,
        String prefiltering) {
}

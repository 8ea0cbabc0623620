package ai.hypnos.cli.export;

/**
 * One exported channel: the name the user asked for, its rate, and its samples in physical units
 * over the requested time range.
 *
 * @param name         the label or modality key as given on the command line
 * @param source       what was read: the file label, or {@code "eeg_c3 = C3 - M2"} for a modality
 * @param unit         physical unit, empty when unknown
 * @param sampleRate   samples per second
 * @param startSeconds time of the first sample from the recording start
 * @param samples      the values
 */
record ExportedChannel(String name, String source, String unit, double sampleRate, double startSeconds, double[] samples) {
}

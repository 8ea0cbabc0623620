package ai.hypnos.eval.baseline;

/**
 * Preprocessed multi-channel signals of one recording with a label per 30-s epoch: the input of
 * the supervised CNN baseline (e.g. EEG C3/C4, EOG E1/E2 and chin EMG at 128 Hz from
 * {@code ai.hypnos.core.preprocess.Preprocessor}).
 *
 * @param subject    subject id
 * @param recording  recording id
 * @param channels   {@code [channel][sample]}, equal lengths, one sample rate
 * @param sampleRate Hz
 * @param labels     label per epoch from the recording start, −1 = unscored
 */
public record SignalRecording(String subject, String recording, float[][] channels, double sampleRate, int[] labels) {
    public SignalRecording {
        if (channels.length == 0) {
            throw new IllegalArgumentException("recording '" + recording + "' has no channels");
        }
        for (float[] c : channels) {
            if (c.length != channels[0].length) {
                throw new IllegalArgumentException("recording '" + recording + "': channels differ in length");
            }
        }
        if (!(sampleRate > 0)) {
            throw new IllegalArgumentException("recording '" + recording + "': sample rate must be positive");
        }
    }

    public int numChannels() {
        return channels.length;
    }

    public int numSamples() {
        return channels[0].length;
    }
}

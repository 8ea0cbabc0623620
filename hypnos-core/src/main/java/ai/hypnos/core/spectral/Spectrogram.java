package ai.hypnos.core.spectral;

/**
 * Power spectra of consecutive segments, equal to {@code scipy.signal.spectrogram} in its default
 * {@code mode='psd'}.
 *
 * <p>Defaults are scipy's spectrogram defaults, which differ from Welch's: periodic Tukey window
 * with α = 0.25, {@code noverlap = nperseg / 8}, constant detrend, density scaling.
 *
 * @param freqs frequencies of the bins (Hz)
 * @param times centre of each segment, seconds from the first sample
 * @param power {@code power[t][f]}: segment-major (scipy's {@code Sxx} is {@code [f][t]})
 */
public record Spectrogram(double[] freqs, double[] times, double[][] power) {

    /** {@code scipy.signal.spectrogram(x, fs, nperseg=nperseg)}. */
    public static Spectrogram compute(double[] x, double fs, int nperseg) {
        return compute(x, fs, SpectralOptions.of(nperseg));
    }

    /** {@code scipy.signal.spectrogram} with the given options (averaging does not apply). */
    public static Spectrogram compute(double[] x, double fs, SpectralOptions options) {
        SegmentSpectra s = SegmentSpectra.compute(x, fs, options, Window.tukey(0.25), 8);
        double[] times = new double[s.power.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = (s.nperseg / 2.0 + (double) i * s.step) / fs;
        }
        return new Spectrogram(s.freqs, times, s.power);
    }
}

package ai.hypnos.core.spectral;

/**
 * Segmenting and scaling options shared by {@link Welch} and {@link Spectrogram}, named as in
 * {@code scipy.signal.welch}. Unset values take the defaults of the method they are passed to.
 *
 * <pre>{@code
 * SpectralOptions o = SpectralOptions.of(1024).noverlap(768).window(Window.hamming()).average(Average.MEDIAN);
 * }</pre>
 */
public final class SpectralOptions {
    /** What is subtracted from each segment before its FFT. */
    public enum Detrend { NONE, CONSTANT, LINEAR }

    /** {@code DENSITY}: unit²/Hz (scipy's default); {@code SPECTRUM}: unit². */
    public enum Scaling { DENSITY, SPECTRUM }

    /** How Welch combines segment spectra ({@code MEDIAN} is bias-corrected like scipy's). */
    public enum Average { MEAN, MEDIAN }

    final int nperseg;
    Integer noverlap;
    Integer nfft;
    Window window;
    Detrend detrend = Detrend.CONSTANT;
    Scaling scaling = Scaling.DENSITY;
    Average average = Average.MEAN;

    private SpectralOptions(int nperseg) {
        if (nperseg < 1) {
            throw new IllegalArgumentException("nperseg must be positive: " + nperseg);
        }
        this.nperseg = nperseg;
    }

    /** Options for segments of {@code nperseg} samples, everything else at its default. */
    public static SpectralOptions of(int nperseg) {
        return new SpectralOptions(nperseg);
    }

    /** Samples shared by consecutive segments (default: Welch nperseg/2, spectrogram nperseg/8). */
    public SpectralOptions noverlap(int samples) {
        this.noverlap = samples;
        return this;
    }

    /** FFT length, at least nperseg (segments are zero-padded); default nperseg. */
    public SpectralOptions nfft(int samples) {
        this.nfft = samples;
        return this;
    }

    /** The taper (default: Welch Hann, spectrogram Tukey 0.25). */
    public SpectralOptions window(Window window) {
        this.window = window;
        return this;
    }

    public SpectralOptions detrend(Detrend detrend) {
        this.detrend = detrend;
        return this;
    }

    public SpectralOptions scaling(Scaling scaling) {
        this.scaling = scaling;
        return this;
    }

    public SpectralOptions average(Average average) {
        this.average = average;
        return this;
    }
}

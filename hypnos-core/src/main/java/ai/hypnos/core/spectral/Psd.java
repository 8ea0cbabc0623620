package ai.hypnos.core.spectral;

/**
 * A one-sided power spectrum: {@code power[i]} at {@code freqs[i]} Hz (density in unit²/Hz, or
 * power in unit² with {@link SpectralOptions.Scaling#SPECTRUM}).
 *
 * @param freqs  frequencies, 0 to fs/2, evenly spaced
 * @param power  power at each frequency
 */
public record Psd(double[] freqs, double[] power) {
    public Psd {
        if (freqs.length != power.length) {
            throw new IllegalArgumentException(freqs.length + " frequencies for " + power.length + " power values");
        }
    }

    /** Frequency resolution (spacing of {@link #freqs}), or NaN with fewer than two bins. */
    public double resolution() {
        return freqs.length < 2 ? Double.NaN : freqs[1] - freqs[0];
    }
}

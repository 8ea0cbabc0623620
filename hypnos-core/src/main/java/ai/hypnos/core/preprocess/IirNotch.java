package ai.hypnos.core.preprocess;

/**
 * Second-order IIR notch, equal to {@code scipy.signal.iirnotch(w0, Q, fs)} followed by
 * {@code tf2sos}: zeros on the unit circle at the notch frequency, poles just inside, −3 dB
 * bandwidth {@code w0/Q}. Used to remove power-line interference (50 Hz in most of the world,
 * 60 Hz in the Americas).
 *
 * <p>scipy's {@code tf2sos} round trip (polynomial roots, then back) reproduces {@code (b, a)}
 * to within a few ulps; we use {@code (b, a)} directly as the single section.
 */
public final class IirNotch {
    /** Quality factor used by the Hypnos pipelines (DESIGN §4). */
    public static final double DEFAULT_Q = 30.0;

    private IirNotch() {
    }

    /**
     * @param freqHz notch centre frequency, strictly between 0 and fs/2
     * @param q      quality factor (centre frequency over −3 dB bandwidth), positive
     * @param fs     sample rate in Hz
     */
    public static Sos design(double freqHz, double q, double fs) {
        if (!(fs > 0) || !Double.isFinite(fs)) {
            throw new IllegalArgumentException("sample rate must be positive and finite, got " + fs);
        }
        if (!(q > 0) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("notch quality factor must be positive, got " + q);
        }
        double w0 = 2 * freqHz / fs;
        if (!(w0 > 0 && w0 < 1)) {
            throw new IllegalArgumentException("notch frequency " + freqHz + " Hz must lie strictly between 0 and fs/2 = " + fs / 2 + " Hz");
        }
        double bw = w0 / q * Math.PI;
        w0 = w0 * Math.PI;
        double beta = Math.tan(bw / 2.0);
        double gain = 1.0 / (1.0 + beta);
        double cos = Math.cos(w0);
        return new Sos(new double[][] {{
            gain * 1.0, gain * (-2.0 * cos), gain * 1.0,
            1.0, -2.0 * gain * cos, 2.0 * gain - 1.0}});
    }
}

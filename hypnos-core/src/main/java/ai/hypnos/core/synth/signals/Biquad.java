package ai.hypnos.core.synth.signals;

/**
 * A second-order IIR section (direct form II transposed) used to shape white noise into the
 * frequency bands of physiological rhythms. Coefficients follow the RBJ audio-EQ cookbook and
 * are computed with {@link StrictMath}, so every platform gets the same numbers.
 *
 * <p>The gain is normalised so that unit-variance white noise in gives unit-variance noise out:
 * amplitudes elsewhere in the generator are then plain RMS values in physical units.
 */
public final class Biquad {
    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double z1;
    private double z2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2, boolean unitNoiseGain) {
        double g = 1.0 / a0;
        double nb0 = b0 * g;
        double nb1 = b1 * g;
        double nb2 = b2 * g;
        double na1 = a1 * g;
        double na2 = a2 * g;
        if (unitNoiseGain) {
            double k = 1.0 / StrictMath.sqrt(impulseEnergy(nb0, nb1, nb2, na1, na2));
            nb0 *= k;
            nb1 *= k;
            nb2 *= k;
        }
        this.b0 = nb0;
        this.b1 = nb1;
        this.b2 = nb2;
        this.a1 = na1;
        this.a2 = na2;
    }

    /** Band-pass centred on {@code f0} Hz with quality {@code q}, unit output variance for unit white input. */
    public static Biquad bandPass(double f0, double q, double fs) {
        double w0 = 2 * Math.PI * Math.min(f0, 0.45 * fs) / fs;
        double alpha = StrictMath.sin(w0) / (2 * q);
        return new Biquad(alpha, 0, -alpha, 1 + alpha, -2 * StrictMath.cos(w0), 1 - alpha, true);
    }

    /** Butterworth-like (Q = 1/sqrt 2) high-pass at {@code fc} Hz, unit gain in the pass band. */
    public static Biquad highPass(double fc, double fs) {
        double w0 = 2 * Math.PI * Math.min(fc, 0.45 * fs) / fs;
        double alpha = StrictMath.sin(w0) / StrictMath.sqrt(2);
        double c = StrictMath.cos(w0);
        return new Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha, false);
    }

    /** Butterworth-like (Q = 1/sqrt 2) low-pass at {@code fc} Hz, unit gain at DC. */
    public static Biquad lowPass(double fc, double fs) {
        double w0 = 2 * Math.PI * Math.min(fc, 0.45 * fs) / fs;
        double alpha = StrictMath.sin(w0) / StrictMath.sqrt(2);
        double c = StrictMath.cos(w0);
        return new Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha, false);
    }

    /** Filters one sample. */
    public double process(double x) {
        double y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        return y;
    }

    /** Clears the filter state. */
    public void reset() {
        z1 = 0;
        z2 = 0;
    }

    /** Sum of the squared impulse response (the noise power gain), computed until it has decayed. */
    private static double impulseEnergy(double b0, double b1, double b2, double a1, double a2) {
        double z1 = 0;
        double z2 = 0;
        double energy = 0;
        double x = 1;
        for (int n = 0; n < 1_000_000; n++) {
            double y = b0 * x + z1;
            z1 = b1 * x - a1 * y + z2;
            z2 = b2 * x - a2 * y;
            x = 0;
            energy += y * y;
            if (n > 64 && y * y < 1e-18 * energy && z1 * z1 + z2 * z2 < 1e-18 * energy) {
                break;
            }
        }
        return energy;
    }
}

package ai.hypnos.core.synth.signals;

/**
 * Band-limited noise of unit variance: white noise through a cascade of second-order sections
 * (band-pass sections, optionally followed by a low-pass). A cascade of two band-pass sections
 * has skirts falling at 40 dB per decade, so a rhythm's power stays in its band instead of
 * spreading over the neighbouring ones as a single section's 20 dB per decade would.
 */
public final class BandNoise {
    private final Biquad[] sections;
    private final double gain;

    private BandNoise(Biquad[] sections) {
        this.sections = sections;
        double[] h = new double[1 << 16];
        h[0] = 1;
        Biquad[] probe = sections.clone();
        double energy = 0;
        for (int i = 0; i < h.length; i++) {
            double y = h[i];
            for (Biquad b : probe) {
                y = b.process(y);
            }
            energy += y * y;
        }
        for (Biquad b : sections) {
            b.reset();
        }
        this.gain = 1.0 / StrictMath.sqrt(energy);
    }

    /** {@code order}/2 band-pass sections centred on {@code f0} with quality {@code q} (order 2 or 4). */
    public static BandNoise bandPass(double f0, double q, int order, double fs) {
        Biquad[] s = new Biquad[order / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = Biquad.bandPass(f0, q, fs);
        }
        return new BandNoise(s);
    }

    /** A band-pass section followed by a low-pass at {@code lowPassHz} (for slow waves). */
    public static BandNoise bandPassLowPass(double f0, double q, double lowPassHz, double fs) {
        return new BandNoise(new Biquad[] {Biquad.bandPass(f0, q, fs), Biquad.lowPass(lowPassHz, fs)});
    }

    /** Filters one white-noise sample. */
    public double process(double white) {
        double y = white;
        for (Biquad b : sections) {
            y = b.process(y);
        }
        return gain * y;
    }
}

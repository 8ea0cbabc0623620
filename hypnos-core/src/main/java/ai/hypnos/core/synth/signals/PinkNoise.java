package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SynthRandom;

/**
 * Approximately 1/f ("pink") noise from one white-noise source: a weighted sum of one-pole
 * low-pass filters whose corners are spread evenly on a log-frequency axis (0.2 to 12.8 Hz, a
 * factor of 4 apart). Weighting each section by the inverse square root of its corner gives
 * every section about the same power, which adds up to a spectrum falling as 1/f between the
 * corners and as 1/f² above the last one, like the background of sleep EEG. Output variance is exactly one (computed from
 * the sections' covariances).
 */
public final class PinkNoise {
    private static final double[] CORNERS_HZ = {0.2, 0.8, 3.2, 12.8};

    private final double[] pole;
    private final double[] gain;
    private final double[] state;
    private final SynthRandom rng;

    public PinkNoise(double fs, SynthRandom rng) {
        this.rng = rng;
        int n = CORNERS_HZ.length;
        pole = new double[n];
        gain = new double[n];
        state = new double[n];
        for (int i = 0; i < n; i++) {
            double fc = Math.min(CORNERS_HZ[i], 0.4 * fs);
            pole[i] = StrictMath.exp(-2 * Math.PI * fc / fs);
            gain[i] = (1 - pole[i]) / StrictMath.sqrt(fc);
        }
        // y_i = p_i y_i + g_i w: Cov(y_i, y_j) = g_i g_j / (1 - p_i p_j) for unit white w.
        double variance = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                variance += gain[i] * gain[j] / (1 - pole[i] * pole[j]);
            }
        }
        double norm = 1.0 / StrictMath.sqrt(variance);
        for (int i = 0; i < n; i++) {
            gain[i] *= norm;
        }
    }

    /** The next sample. */
    public double next() {
        double w = rng.nextWhite();
        double y = 0;
        for (int i = 0; i < state.length; i++) {
            state[i] = pole[i] * state[i] + gain[i] * w;
            y += state[i];
        }
        return y;
    }
}

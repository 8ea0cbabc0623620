package ai.hypnos.core.synth.signals;

/**
 * The cortical activity of a night on a common 128 Hz grid: everything below ~20 Hz (slow
 * waves, K-complexes, theta, alpha, spindles, sawtooth waves) for C3 and C4, and the frontal
 * mixture that leaks into the EOG. Channels at any sample rate interpolate this grid and add
 * their own broadband components, so the EEG, the EOG leakage and C3/C4 share the same waves.
 */
public final class EegGrid {
    /** Sample rate of the grid. */
    public static final int RATE = 128;

    final float[] c3;
    final float[] c4;
    final float[] frontal;

    EegGrid(int samples) {
        c3 = new float[samples];
        c4 = new float[samples];
        frontal = new float[samples];
    }

    /** Linear interpolation of a grid signal at time {@code t} seconds. */
    static double at(float[] x, double t) {
        double p = t * RATE;
        int i = (int) p;
        if (i >= x.length - 1) {
            return x[x.length - 1];
        }
        double f = p - i;
        return x[i] + f * (x[i + 1] - x[i]);
    }
}

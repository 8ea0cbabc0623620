package ai.hypnos.core.synth.signals;

/**
 * Shapes of transient waves, tabulated once so renderers draw them with lookups instead of
 * transcendental functions per sample.
 */
final class Waveforms {
    private static final int GAUSS_TABLE = 4096;
    private static final double GAUSS_RANGE = 5.0;
    private static final double[] GAUSS = new double[GAUSS_TABLE + 2];

    static {
        for (int i = 0; i < GAUSS.length; i++) {
            double x = i * GAUSS_RANGE / GAUSS_TABLE;
            GAUSS[i] = StrictMath.exp(-0.5 * x * x);
        }
    }

    private Waveforms() {
    }

    /** exp(-x²/2), zero beyond |x| = 5. */
    static double gauss(double x) {
        double a = Math.abs(x);
        if (a >= GAUSS_RANGE) {
            return 0;
        }
        double p = a * (GAUSS_TABLE / GAUSS_RANGE);
        int i = (int) p;
        double f = p - i;
        return GAUSS[i] + f * (GAUSS[i + 1] - GAUSS[i]);
    }

    /**
     * A K-complex of unit peak-to-peak amplitude at time {@code t} seconds after its onset: a
     * sharp negative wave (~0.25 s) followed by a slower positive wave (~0.65 s).
     */
    static double kComplex(double t) {
        return (-0.62 * gauss((t - 0.25) / 0.085) + 0.42 * gauss((t - 0.62) / 0.17)) / 1.02;
    }

    /** A vertex sharp wave of unit peak-to-peak amplitude, {@code t} seconds after onset. */
    static double vertexWave(double t) {
        return (-0.8 * gauss((t - 0.12) / 0.035) + 0.25 * gauss((t - 0.24) / 0.05)) / 1.03;
    }

    /** Asymmetric triangle with period 1 (fast rise over 25 %, slow fall), range -1..1. */
    static double sawtooth(double phase) {
        double u = phase - StrictMath.floor(phase);
        return u < 0.25 ? -1 + 8 * u : 1 - 2 * (u - 0.25) / 0.75;
    }

    /** Waxing-waning window on [0, 1]: sin². */
    static double spindleEnvelope(double u) {
        if (u <= 0 || u >= 1) {
            return 0;
        }
        double s = StrictMath.sin(Math.PI * u);
        return s * s;
    }

    /** Tukey-like window on [0, 1] with cosine ramps over {@code ramp} at each end. */
    static double tukey(double u, double ramp) {
        if (u <= 0 || u >= 1) {
            return 0;
        }
        if (u < ramp) {
            return 0.5 * (1 - StrictMath.cos(Math.PI * u / ramp));
        }
        if (u > 1 - ramp) {
            return 0.5 * (1 - StrictMath.cos(Math.PI * (1 - u) / ramp));
        }
        return 1;
    }
}

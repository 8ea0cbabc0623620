package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SynthRandom;

/**
 * The breaths of a night: onset, period and amplitudes of each breath, drawn from the
 * per-second breathing set points ({@link Tracks#respRate}, {@link Tracks#respVariability},
 * {@link Tracks#effort}, {@link Tracks#flow}, {@link Tracks#paradox}). The belts, the airflow,
 * the ECG's respiratory sinus arrhythmia and baseline wander all read the same breaths.
 */
public final class BreathTrain {
    /** Inspiration takes this fraction of a breath; expiration the rest. */
    private static final double INSPIRATION = 0.4;
    private static final int TABLE = 1024;
    /**
     * Breath shape over one cycle: 0 at the start and end of the breath, 1 at the end of
     * inspiration. Not mean-free on purpose: a breath always starts from the end-expiratory
     * baseline, so breaths of different sizes join without steps.
     */
    private static final double[] SHAPE = shape();

    private double[] onset = new double[1024];
    private double[] period = new double[1024];
    private double[] amplitude = new double[1024];
    private int count;

    private BreathTrain() {
    }

    private static double[] shape() {
        double[] s = new double[TABLE + 1];
        double k = 3.0;
        for (int i = 0; i <= TABLE; i++) {
            double u = (double) i / TABLE;
            double v;
            if (u < INSPIRATION) {
                v = 0.5 * (1 - StrictMath.cos(Math.PI * u / INSPIRATION));
            } else {
                double x = (u - INSPIRATION) / (1 - INSPIRATION);
                v = (StrictMath.exp(-k * x) - StrictMath.exp(-k)) / (1 - StrictMath.exp(-k));
            }
            s[i] = v;
        }
        return s;
    }

    /** The breath waveform at phase {@code u} (cycles; any real number, wrapped). */
    public static double waveform(double u) {
        double w = u - StrictMath.floor(u);
        double x = w * TABLE;
        int i = (int) x;
        double f = x - i;
        return SHAPE[i] + f * (SHAPE[i + 1] - SHAPE[i]);
    }

    /** Draws the breaths of {@code seconds} seconds from the tracks. */
    public static BreathTrain generate(Tracks tracks, double seconds, SynthRandom rng) {
        BreathTrain b = new BreathTrain();
        double t = -rng.uniform(0, 4);
        while (t < seconds) {
            double tc = Math.max(0, t);
            double rate = Tracks.at(tracks.respRate, tc);
            double cv = Tracks.at(tracks.respVariability, tc);
            double p = 60.0 / rate * StrictMath.exp(cv * rng.nextGaussian());
            p = Math.max(1.5, Math.min(12, p));
            double amp = StrictMath.exp(0.8 * cv * rng.nextGaussian());
            if (rng.chance(0.006 + 0.02 * cv)) {
                amp *= rng.uniform(1.8, 2.8);
                p *= 1.5;
            }
            b.add(t, p, amp);
            t += p;
        }
        return b;
    }

    private void add(double t, double p, double a) {
        if (count == onset.length) {
            onset = java.util.Arrays.copyOf(onset, count * 2);
            period = java.util.Arrays.copyOf(period, count * 2);
            amplitude = java.util.Arrays.copyOf(amplitude, count * 2);
        }
        onset[count] = t;
        period[count] = p;
        amplitude[count] = a;
        count++;
    }

    public int count() {
        return count;
    }

    public double onset(int i) {
        return onset[i];
    }

    public double period(int i) {
        return period[i];
    }

    /** Breath-to-breath amplitude factor (before effort). */
    public double amplitude(int i) {
        return amplitude[i];
    }

    /**
     * Walks through the breaths in time order. Renderers ask for increasing times, so each
     * lookup is amortised constant time.
     */
    public final class Cursor {
        private int i;

        /** Index of the breath containing time {@code t} (the first one before the first onset). */
        public int index(double t) {
            while (i + 1 < count && onset[i + 1] <= t) {
                i++;
            }
            while (i > 0 && onset[i] > t) {
                i--;
            }
            return i;
        }

        /** Phase in cycles of the breath containing {@code t} (0 at its onset). */
        public double phase(double t) {
            int k = index(t);
            return (t - onset[k]) / period[k];
        }
    }

    public Cursor cursor() {
        return new Cursor();
    }
}

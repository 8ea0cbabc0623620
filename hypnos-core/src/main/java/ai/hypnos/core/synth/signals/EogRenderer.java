package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws E1-M2 and E2-M1.
 *
 * <p>The eyes are a dipole: a gaze change or a blink moves the cornea towards one electrode and
 * away from the other, so with E1 below the left eye and E2 above the right one (AASM placement)
 * every eye movement appears in anti-phase in the two channels. Cortical activity reaches both
 * channels through the frontal scalp and the mastoid references in phase; that leakage is why
 * slow waves and K-complexes are large in the EOG during N3 and N2. The gaze trace (saccades,
 * slow rolling movements, rapid eye movements, blinks) is built on the 128 Hz grid and passed
 * through the recorder's AC coupling (first-order high-pass at 0.16 Hz), which turns a held gaze
 * into the decaying steps seen in real EOG.
 */
public final class EogRenderer {
    private static final double AC_COUPLING_HZ = 0.16;

    private EogRenderer() {
    }

    /** The eye-movement signal on the grid (microvolts, positive towards E2), AC-coupled. */
    static float[] gaze(NightPlan plan) {
        int n = plan.seconds() * EegGrid.RATE;
        float[] eye = new float[n];
        double gaze = 0;
        int pos = 0;
        for (NightPlan.EyeMove m : plan.eyeMoves()) {
            int start = Math.min(n, (int) StrictMath.ceil(m.onset() * EegGrid.RATE));
            for (; pos < start; pos++) {
                eye[pos] = (float) gaze;
            }
            int end = Math.min(n, (int) StrictMath.ceil((m.onset() + m.duration()) * EegGrid.RATE));
            double from = gaze;
            for (; pos < end; pos++) {
                double u = (pos / (double) EegGrid.RATE - m.onset()) / m.duration();
                double w = 0.5 * (1 - StrictMath.cos(Math.PI * Math.max(0, Math.min(1, u))));
                eye[pos] = (float) (from + (m.target() - from) * w);
            }
            gaze = m.target();
        }
        for (; pos < n; pos++) {
            eye[pos] = (float) gaze;
        }
        for (NightPlan.Blink b : plan.blinks()) {
            int from = (int) StrictMath.ceil(b.onset() * EegGrid.RATE);
            int to = Math.min(n, (int) ((b.onset() + b.duration()) * EegGrid.RATE));
            for (int i = Math.max(0, from); i < to; i++) {
                double u = (i / (double) EegGrid.RATE - b.onset()) / b.duration();
                // fast closing, slower opening
                double w = u < 0.4 ? 0.5 * (1 - StrictMath.cos(Math.PI * u / 0.4))
                        : 0.5 * (1 + StrictMath.cos(Math.PI * (u - 0.4) / 0.6));
                eye[i] += (float) (b.amplitude() * w);
            }
        }
        // first-order AC coupling
        double a = StrictMath.exp(-2 * Math.PI * AC_COUPLING_HZ / EegGrid.RATE);
        double prevIn = eye.length > 0 ? eye[0] : 0;
        double prevOut = 0;
        for (int i = 0; i < n; i++) {
            double in = eye[i];
            double out = a * (prevOut + in - prevIn);
            prevIn = in;
            prevOut = out;
            eye[i] = (float) out;
        }
        return eye;
    }

    /**
     * E1-M2 and E2-M1 at sample rate {@code fs}, in microvolts.
     *
     * @return {e1, e2}
     */
    public static double[][] render(NightPlan plan, EegGrid grid, double fs, SynthRandom rng) {
        float[] eye = gaze(plan);
        Tracks t = plan.tracks();
        double gain = plan.subject().eeg().eogGain();
        int n = (int) Math.round(plan.seconds() * fs);
        double[] e1 = new double[n];
        double[] e2 = new double[n];
        double leak1 = rng.uniform(0.55, 0.85);
        double leak2 = rng.uniform(0.55, 0.85);
        PinkNoise p1 = new PinkNoise(fs, rng.fork(1));
        PinkNoise p2 = new PinkNoise(fs, rng.fork(2));
        Biquad m1 = Biquad.bandPass(Math.min(30, 0.4 * fs), 0.8, fs);
        Biquad m2 = Biquad.bandPass(Math.min(30, 0.4 * fs), 0.8, fs);
        SynthRandom white = rng.fork(3);
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            double g = EegGrid.at(eye, time) * gain;
            double f = EegGrid.at(grid.frontal, time);
            // facial muscle activity near the eyes follows chin tone
            double muscle = 0.2 * Tracks.at(t.emg, time);
            e1[i] = -g + leak1 * f + 3 * p1.next() + muscle * m1.process(white.nextWhite());
            e2[i] = g + leak2 * f + 3 * p2.next() + muscle * m2.process(white.nextWhite());
        }
        return new double[][] {e1, e2};
    }
}

package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws the EEG of a night.
 *
 * <p>Rhythms are band-limited noise: white noise through a band-pass section per rhythm (slow
 * waves ~1 Hz, theta ~6 Hz, alpha at the subject's frequency, background sigma ~13 Hz), scaled
 * sample by sample by the per-second amplitude tracks. Each rhythm is the sum of a source common
 * to both hemispheres and one private to each (a fixed share per rhythm), which gives the
 * C3-C4 coherence of real recordings: high for slow waves, lower for faster rhythms.
 * Graphoelements (spindles, K-complexes, vertex waves, sawtooth waves) are added as events.
 * Beta and the 1/f background are drawn at each channel's own rate.
 */
public final class EegRenderer {
    /** Shares of the common source per rhythm: slow waves, theta, alpha, sigma. */
    private static final double[] COMMON = {0.85, 0.6, 0.7, 0.5};
    /** How much of each rhythm reaches the frontal (EOG) mixture. */
    private static final double[] FRONTAL = {1.15, 0.55, 0.3, 0.3};

    private EegRenderer() {
    }

    /** Draws the 128 Hz cortical grid of the night. */
    public static EegGrid grid(NightPlan plan, SynthRandom rng) {
        Tracks t = plan.tracks();
        SubjectProfile.Eeg eeg = plan.subject().eeg();
        int n = plan.seconds() * EegGrid.RATE;
        EegGrid g = new EegGrid(n);
        double fs = EegGrid.RATE;
        BandNoise[][] band = new BandNoise[4][3];
        for (int k = 0; k < 3; k++) {
            band[0][k] = BandNoise.bandPassLowPass(1.0, 0.7, 3.0, fs);
            band[1][k] = BandNoise.bandPass(6.0, 1.8, 4, fs);
            band[2][k] = BandNoise.bandPass(eeg.alphaHz(), 5.0, 4, fs);
            band[3][k] = BandNoise.bandPass(13.5, 3.5, 4, fs);
        }
        double[] common = new double[4];
        double[] priv = new double[4];
        for (int b = 0; b < 4; b++) {
            common[b] = StrictMath.sqrt(COMMON[b]);
            priv[b] = StrictMath.sqrt(1 - COMMON[b]);
        }
        double[][] amp = {t.delta, t.theta, t.alpha, t.sigma};
        double[] a0 = new double[4];
        double[] da = new double[4];
        for (int s = 0; s < plan.seconds(); s++) {
            for (int b = 0; b < 4; b++) {
                a0[b] = amp[b][s];
                da[b] = ((s + 1 < plan.seconds() ? amp[b][s + 1] : amp[b][s]) - a0[b]) / EegGrid.RATE;
            }
            int base = s * EegGrid.RATE;
            for (int i = 0; i < EegGrid.RATE; i++) {
                double x3 = 0;
                double x4 = 0;
                double xf = 0;
                for (int b = 0; b < 4; b++) {
                    double a = a0[b] + i * da[b];
                    double c = band[b][0].process(rng.nextWhite());
                    double p3 = band[b][1].process(rng.nextWhite());
                    double p4 = band[b][2].process(rng.nextWhite());
                    x3 += a * (common[b] * c + priv[b] * p3);
                    x4 += a * (common[b] * c + priv[b] * p4);
                    xf += a * FRONTAL[b] * (common[b] * c + priv[b] * 0.5 * (p3 + p4));
                }
                g.c3[base + i] = (float) x3;
                g.c4[base + i] = (float) x4;
                g.frontal[base + i] = (float) xf;
            }
        }
        for (NightPlan.Spindle sp : plan.spindles()) {
            drawSpindle(g, sp, rng.uniform(0, 2 * Math.PI));
        }
        for (NightPlan.Transient tr : plan.slowTransients()) {
            drawTransient(g, tr);
        }
        for (NightPlan.Burst b : plan.sawtooth()) {
            drawSawtooth(g, b);
        }
        return g;
    }

    private static void drawSpindle(EegGrid g, NightPlan.Spindle sp, double phase) {
        int from = (int) StrictMath.ceil(sp.onset() * EegGrid.RATE);
        int to = Math.min(g.c3.length, (int) ((sp.onset() + sp.duration()) * EegGrid.RATE));
        for (int i = Math.max(0, from); i < to; i++) {
            double tt = i / (double) EegGrid.RATE - sp.onset();
            double u = tt / sp.duration();
            // frequency glides down by ~0.6 Hz over the spindle
            double ph = phase + 2 * Math.PI * (sp.frequency() * tt - 0.3 * tt * u);
            double w = Waveforms.spindleEnvelope(u) * StrictMath.sin(ph);
            g.c3[i] += (float) (sp.ampC3() * w);
            g.c4[i] += (float) (sp.ampC4() * w);
            g.frontal[i] += (float) (0.25 * (sp.ampC3() + sp.ampC4()) * w);
        }
    }

    private static void drawTransient(EegGrid g, NightPlan.Transient tr) {
        double length = tr.vertex() ? 0.45 : 1.2;
        int from = (int) StrictMath.ceil(tr.onset() * EegGrid.RATE);
        int to = Math.min(g.c3.length, (int) ((tr.onset() + length) * EegGrid.RATE));
        double frontal = tr.vertex() ? 0.4 : 1.15;
        for (int i = Math.max(0, from); i < to; i++) {
            double tt = i / (double) EegGrid.RATE - tr.onset();
            double v = tr.amplitude() * (tr.vertex() ? Waveforms.vertexWave(tt) : Waveforms.kComplex(tt));
            g.c3[i] += (float) v;
            g.c4[i] += (float) (0.95 * v);
            g.frontal[i] += (float) (frontal * v);
        }
    }

    private static void drawSawtooth(EegGrid g, NightPlan.Burst b) {
        int from = (int) StrictMath.ceil(b.onset() * EegGrid.RATE);
        int to = Math.min(g.c3.length, (int) ((b.onset() + b.duration()) * EegGrid.RATE));
        for (int i = Math.max(0, from); i < to; i++) {
            double tt = i / (double) EegGrid.RATE - b.onset();
            double v = b.amplitude() * Waveforms.tukey(tt / b.duration(), 0.2) * Waveforms.sawtooth(b.frequency() * tt);
            g.c3[i] += (float) v;
            g.c4[i] += (float) v;
            g.frontal[i] += (float) (0.4 * v);
        }
    }

    /**
     * C3-M2 and C4-M1 at sample rate {@code fs}: the grid plus beta and 1/f background, times the
     * subject's electrode gains. Artefacts, ECG pick-up and hum are added by the caller.
     *
     * @return {c3, c4}
     */
    public static double[][] central(NightPlan plan, EegGrid grid, double fs, SynthRandom rng) {
        SubjectProfile.Eeg eeg = plan.subject().eeg();
        Tracks t = plan.tracks();
        int n = (int) Math.round(plan.seconds() * fs);
        double[] c3 = new double[n];
        double[] c4 = new double[n];
        PinkNoise pinkC = new PinkNoise(fs, rng.fork(1));
        PinkNoise pink3 = new PinkNoise(fs, rng.fork(2));
        PinkNoise pink4 = new PinkNoise(fs, rng.fork(3));
        BandNoise betaC = BandNoise.bandPass(21, 1.2, 4, fs);
        BandNoise beta3 = BandNoise.bandPass(21, 1.2, 4, fs);
        BandNoise beta4 = BandNoise.bandPass(21, 1.2, 4, fs);
        SynthRandom white = rng.fork(4);
        double pc = StrictMath.sqrt(0.5);
        double pp = StrictMath.sqrt(0.5);
        double bc = StrictMath.sqrt(0.35);
        double bp = StrictMath.sqrt(0.65);
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            double ap = Tracks.at(t.pink, time);
            double ab = Tracks.at(t.beta, time);
            double pC = pinkC.next();
            double bC = betaC.process(white.nextWhite());
            double x3 = EegGrid.at(grid.c3, time) + ap * (pc * pC + pp * pink3.next())
                    + ab * (bc * bC + bp * beta3.process(white.nextWhite()));
            double x4 = EegGrid.at(grid.c4, time) + ap * (pc * pC + pp * pink4.next())
                    + ab * (bc * bC + bp * beta4.process(white.nextWhite()));
            c3[i] = eeg.gainC3() * x3;
            c4[i] = eeg.gainC4() * x4;
        }
        return new double[][] {c3, c4};
    }

    /**
     * A non-central derivation for sites that store one (MESA's Fz-Cz and Cz-Oz): a mixture of
     * the frontal and central grid signals with its own background; {@code occipital} adds the
     * posterior alpha that dominates Cz-Oz in relaxed wake.
     */
    public static double[] derivation(NightPlan plan, EegGrid grid, double fs, boolean occipital, SynthRandom rng) {
        Tracks t = plan.tracks();
        int n = (int) Math.round(plan.seconds() * fs);
        double[] x = new double[n];
        PinkNoise pink = new PinkNoise(fs, rng.fork(1));
        BandNoise alpha = BandNoise.bandPass(plan.subject().eeg().alphaHz(), 5.0, 4, fs);
        SynthRandom white = rng.fork(2);
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            double central = 0.5 * (EegGrid.at(grid.c3, time) + EegGrid.at(grid.c4, time));
            double v = occipital
                    ? 0.6 * central + 1.4 * Tracks.at(t.alpha, time) * alpha.process(white.nextWhite())
                    : 0.5 * EegGrid.at(grid.frontal, time) + 0.3 * central;
            x[i] = v + 0.8 * Tracks.at(t.pink, time) * pink.next();
        }
        return x;
    }
}

package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SynthRandom;

/**
 * Heart rhythms for short ECG windows (the labelled AF set): sinus rhythm, atrial fibrillation
 * and the arrhythmias that make AF detection hard (ectopy, flutter, marked sinus arrhythmia).
 * Each returns the beats of a window of {@code seconds} seconds.
 */
public final class Rhythms {
    private Rhythms() {
    }

    /**
     * Sinus rhythm at {@code hr} with respiratory sinus arrhythmia {@code rsa} (fraction of the
     * RR interval), slow variability, and premature beats at {@code ectopicPerMinute}.
     */
    public static BeatTrain sinus(double hr, double rsa, double ectopicPerMinute, double pvcFraction,
                                  BreathTrain breaths, double seconds, SynthRandom rng) {
        BeatTrain b = new BeatTrain();
        BreathTrain.Cursor cursor = breaths.cursor();
        double t = rng.uniform(0.05, 60.0 / hr);
        double lf = 0;
        double compensatory = 0;
        BeatType next = BeatType.NORMAL;
        while (t < seconds) {
            double u = cursor.phase(t);
            b.add(t, next, next == BeatType.PVC ? 1.6 : 1 + 0.07 * StrictMath.sin(2 * Math.PI * u));
            next = BeatType.NORMAL;
            lf = 0.95 * lf + 0.3 * rng.nextGaussian();
            double sinus = 60.0 / (hr * (1 + 0.01 * lf)) * (1 - rsa * StrictMath.sin(2 * Math.PI * u));
            double rr = sinus;
            if (compensatory > 0) {
                rr = compensatory;
                compensatory = 0;
            } else if (rng.chance(ectopicPerMinute * sinus / 60.0)) {
                rr = sinus * rng.uniform(0.55, 0.75);
                if (rng.chance(pvcFraction)) {
                    next = BeatType.PVC;
                    compensatory = 2 * sinus - rr;
                } else {
                    next = BeatType.PAC;
                    compensatory = sinus * rng.uniform(1.0, 1.12);
                }
            }
            t += rr;
        }
        return b;
    }

    /** Atrial fibrillation: independent RR intervals around {@code hr}, no P waves. */
    public static BeatTrain fibrillation(double hr, double seconds, SynthRandom rng) {
        BeatTrain b = new BeatTrain();
        double t = rng.uniform(0.05, 0.6);
        while (t < seconds) {
            b.add(t, BeatType.AF, rng.logNormal(1, 0.05));
            t += BeatTrain.afInterval(hr / 1.18, rng);
        }
        return b;
    }

    /**
     * Atrial flutter at {@code atrialRate} per minute with AV block: each RR interval is a whole
     * number of flutter cycles, fixed 2:1 or varying between 2:1 and 4:1.
     */
    public static BeatTrain flutter(double atrialRate, boolean variableBlock, double seconds, SynthRandom rng) {
        BeatTrain b = new BeatTrain();
        double cycle = 60.0 / atrialRate;
        double t = rng.uniform(0.05, 0.5);
        while (t < seconds) {
            b.add(t, BeatType.FLUTTER, 1);
            int k = variableBlock ? 2 + rng.categorical(new double[] {0.5, 0.3, 0.2}) : 2;
            t += k * cycle * (1 + 0.004 * rng.nextGaussian());
        }
        return b;
    }

    /**
     * Ventricular bigeminy ({@code every} = 2) or trigeminy (3): every n-th beat is a premature
     * ventricular beat followed by a compensatory pause.
     */
    public static BeatTrain ventricularGroup(double hr, int every, BreathTrain breaths, double seconds, SynthRandom rng) {
        BeatTrain b = new BeatTrain();
        BreathTrain.Cursor cursor = breaths.cursor();
        double sinus = 60.0 / hr;
        double t = rng.uniform(0.05, sinus);
        int i = rng.nextInt(every);
        double coupling = rng.uniform(0.55, 0.7);
        while (t < seconds) {
            boolean pvc = i % every == every - 1;
            b.add(t, pvc ? BeatType.PVC : BeatType.NORMAL, pvc ? 1.6 : 1);
            double base = sinus * (1 - 0.03 * StrictMath.sin(2 * Math.PI * cursor.phase(t))) * (1 + 0.01 * rng.nextGaussian());
            boolean nextPvc = (i + 1) % every == every - 1;
            t += nextPvc ? base * coupling : pvc ? base * (2 - coupling) : base;
            i++;
        }
        return b;
    }
}

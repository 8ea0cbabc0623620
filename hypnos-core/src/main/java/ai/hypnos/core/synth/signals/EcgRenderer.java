package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws an ECG from a {@link BeatTrain}.
 *
 * <p>Each beat is a sum of Gaussian waves (the McSharry ECGSYN idea, in the time domain): P
 * 160 ms before R (absent in AF, flutter and ventricular beats; abnormal in atrial premature
 * beats), Q, R and S within ±25 ms, and a T wave whose delay follows Bazett's QT = 0.40·√RR.
 * Ventricular beats are wide and tall with an inverted T. During AF the baseline carries
 * fibrillatory waves (band-limited noise around 6.5 Hz); in flutter, sawtooth F waves. Breathing
 * moves the baseline and modulates the R amplitude (chest impedance).
 */
public final class EcgRenderer {
    private EcgRenderer() {
    }

    /**
     * The ECG at sample rate {@code fs}, in millivolts.
     *
     * @param afLevel per-second AF level (0..1), or {@code null} for none
     * @param breaths breaths for baseline wander, or {@code null}
     */
    public static double[] render(BeatTrain beats, int seconds, double fs, EcgStyle style, double[] afLevel,
                                  BreathTrain breaths, SynthRandom rng) {
        int n = (int) Math.round(seconds * fs);
        double[] x = new double[n];
        double r = style.rAmplitude();
        for (int b = 0; b < beats.count(); b++) {
            drawBeat(x, fs, beats, b, r);
        }
        Biquad fwave = Biquad.bandPass(6.5, 3.0, fs);
        Biquad drift = Biquad.lowPass(0.05, fs);
        Biquad muscle = Biquad.highPass(Math.min(20, 0.3 * fs), fs);
        SynthRandom white = rng.fork("ecg-noise");
        BreathTrain.Cursor cursor = breaths == null ? null : breaths.cursor();
        double driftGain = style.wander() * StrictMath.sqrt(fs / 0.05) * 0.35;
        double flutterPhase = rng.nextDouble();
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            double v = x[i];
            if (afLevel != null) {
                double af = Tracks.at(afLevel, time);
                if (af > 0) {
                    v += af * style.fibrillation() * fwave.process(white.nextWhite());
                }
            }
            if (style.flutterHz() > 0) {
                v += style.flutterAmplitude() * Waveforms.sawtooth(flutterPhase + style.flutterHz() * time);
            }
            if (cursor != null) {
                v += style.wander() * BreathTrain.waveform(cursor.phase(time));
            }
            v += driftGain * drift.process(white.nextWhite());
            v += style.noise() * (0.6 * white.nextWhite() + 0.8 * muscle.process(white.nextWhite()));
            x[i] = style.inverted() ? -v : v;
        }
        return x;
    }

    private static void drawBeat(double[] x, double fs, BeatTrain beats, int b, double r) {
        double t = beats.time(b);
        double amp = beats.amplitude(b) * r;
        double rr = b > 0 ? beats.rrBefore(b) : (b + 1 < beats.count() ? beats.time(b + 1) - t : 1.0);
        rr = Math.max(0.3, Math.min(2.0, rr));
        double tPeak = 0.40 * StrictMath.sqrt(rr) - 0.08;
        switch (beats.type(b)) {
            case NORMAL -> {
                wave(x, fs, t - 0.16, 0.022, 0.12 * r);
                qrs(x, fs, t, amp);
                wave(x, fs, t + tPeak, 0.05, 0.25 * r);
            }
            case PAC -> {
                wave(x, fs, t - 0.13, 0.02, -0.07 * r);
                qrs(x, fs, t, amp);
                wave(x, fs, t + tPeak, 0.05, 0.25 * r);
            }
            case PVC -> {
                wave(x, fs, t, 0.035, amp * 0.9);
                wave(x, fs, t + 0.07, 0.03, -0.45 * amp);
                wave(x, fs, t + tPeak + 0.04, 0.065, -0.35 * r);
            }
            default -> { // AF or flutter: no P wave
                qrs(x, fs, t, amp);
                wave(x, fs, t + tPeak, 0.05, 0.22 * r);
            }
        }
    }

    private static void qrs(double[] x, double fs, double t, double amp) {
        wave(x, fs, t - 0.022, 0.008, -0.08 * amp);
        wave(x, fs, t, 0.010, amp);
        wave(x, fs, t + 0.024, 0.009, -0.22 * amp);
    }

    /** Adds a Gaussian wave centred at {@code centre} seconds. */
    private static void wave(double[] x, double fs, double centre, double sigma, double amp) {
        int from = Math.max(0, (int) StrictMath.ceil((centre - 5 * sigma) * fs));
        int to = Math.min(x.length, (int) ((centre + 5 * sigma) * fs) + 1);
        double inv = 1.0 / sigma;
        for (int i = from; i < to; i++) {
            x[i] += amp * Waveforms.gauss((i / fs - centre) * inv);
        }
    }

    /**
     * The ECG as it leaks into another channel (through the mastoid references into EEG, or into
     * the chin EMG): QRS complexes only, {@code amplitude} in that channel's units per mV of R.
     */
    public static void addQrsPickup(double[] x, double fs, BeatTrain beats, double amplitude) {
        for (int b = 0; b < beats.count(); b++) {
            double t = beats.time(b);
            double a = amplitude * beats.amplitude(b) * (beats.type(b) == BeatType.PVC ? 1.5 : 1);
            wave(x, fs, t, 0.012, a);
            wave(x, fs, t + 0.025, 0.01, -0.3 * a);
        }
    }
}

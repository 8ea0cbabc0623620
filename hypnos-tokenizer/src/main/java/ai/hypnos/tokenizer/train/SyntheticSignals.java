package ai.hypnos.tokenizer.train;

import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.Rng;

/**
 * Simple synthetic physiological signals for training and testing a tokenizer when no data are
 * given: 30-s "epochs" cycle through wake, light, deep and REM-like states, and each signal type
 * gets the texture that dominates it — EEG: 1/f background with alpha, spindles and slow waves;
 * EOG: slow drifts and rapid eye movements; EMG: amplitude-modulated broadband noise; ECG: a
 * P-QRS-T beat train with heart-rate variability; respiration: a breathing oscillation with
 * changing rate and depth and occasional pauses. The output is z-scored and soft-clipped like
 * the preprocessing (DESIGN §4) so it has the statistics a tokenizer sees.
 *
 * <p>This is a stand-in inside the tokenizer module, not the project's synthetic PSG cohort
 * ({@code ai.hypnos.core.synth}), which models nights, montages and events far more faithfully.
 */
public final class SyntheticSignals {
    private SyntheticSignals() {}

    /** {@code seconds} of a {@code type} signal at {@code rate} Hz, deterministic in {@code rng}. */
    public static float[] generate(SignalType type, int rate, int seconds, Rng rng) {
        int n = rate * seconds;
        double[] x = new double[n];
        int epoch = 30 * rate;
        double[] pink = pinkNoise(n, rng);
        double beatClock = 0;
        double breathPhase = 0;
        double drift = 0;
        for (int start = 0; start < n; start += epoch) {
            int end = Math.min(n, start + epoch);
            int state = rng.nextInt(4); // 0 wake, 1 light, 2 deep, 3 REM
            double alpha = state == 0 ? 1.2 : 0.2;
            double slow = state == 2 ? 2.5 : state == 1 ? 0.6 : 0.1;
            double spindleRate = state == 1 ? 0.15 : 0.0;
            double muscle = state == 0 ? 1.5 : state == 3 ? 0.1 : 0.5;
            double heart = 55 + 15 * rng.nextDouble() + (state == 0 ? 10 : 0);
            double breath = 12 + 6 * rng.nextDouble();
            double depth = 0.7 + 0.6 * rng.nextDouble();
            double spindleLeft = 0;
            double saccade = 0;
            for (int i = start; i < end; i++) {
                double t = i / (double) rate;
                switch (type) {
                    case EEG -> {
                        double v = pink[i];
                        v += alpha * Math.sin(2 * Math.PI * 10 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.2 * t));
                        v += slow * Math.sin(2 * Math.PI * (0.8 + 0.3 * Math.sin(2 * Math.PI * 0.05 * t)) * t);
                        if (spindleLeft <= 0 && rng.nextDouble() < spindleRate / rate) {
                            spindleLeft = 0.8 + 0.8 * rng.nextDouble();
                        }
                        if (spindleLeft > 0) {
                            v += 1.5 * Math.sin(Math.PI * spindleLeft / 1.6) * Math.sin(2 * Math.PI * 13 * t);
                            spindleLeft -= 1.0 / rate;
                        }
                        x[i] = v;
                    }
                    case EOG -> {
                        drift += (rng.nextGaussian() * 0.02 - drift * 0.001);
                        if ((state == 3 || state == 0) && rng.nextDouble() < 0.5 / rate) {
                            saccade = (rng.nextDouble() - 0.5) * 6;
                        }
                        saccade *= 0.995;
                        x[i] = drift + saccade + 0.3 * pink[i];
                    }
                    case EMG -> {
                        double env = muscle * (1 + 0.5 * Math.sin(2 * Math.PI * 0.1 * t));
                        x[i] = env * rng.nextGaussian() + 0.1 * pink[i];
                    }
                    case ECG -> {
                        beatClock += heart / 60.0 / rate * (1 + 0.05 * Math.sin(2 * Math.PI * breath / 60 * t));
                        double p = beatClock - Math.floor(beatClock); // phase within the beat
                        double v = 0.15 * gauss(p, 0.15, 0.025) - 0.15 * gauss(p, 0.235, 0.008)
                                + 1.6 * gauss(p, 0.25, 0.01) - 0.3 * gauss(p, 0.27, 0.01) + 0.35 * gauss(p, 0.45, 0.05);
                        x[i] = v + 0.03 * pink[i];
                    }
                    case RESP -> {
                        boolean pause = state == 2 && ((int) (t / 15)) % 7 == 3;
                        breathPhase += breath / 60.0 / rate;
                        double v = pause ? 0.05 : depth * Math.sin(2 * Math.PI * breathPhase);
                        x[i] = v + 0.02 * pink[i];
                    }
                }
            }
        }
        return normalise(x);
    }

    private static double gauss(double p, double mu, double sd) {
        double d = (p - mu) / sd;
        return Math.exp(-0.5 * d * d);
    }

    /** Approximately 1/f noise: a sum of AR(1) processes with octave-spaced time constants. */
    private static double[] pinkNoise(int n, Rng rng) {
        double[] out = new double[n];
        double[] poles = {0.99886, 0.99332, 0.96900, 0.86650, 0.55000};
        double[] gains = {0.0555179, 0.0750759, 0.1538520, 0.3104856, 0.5329522};
        double[] state = new double[poles.length];
        for (int i = 0; i < n; i++) {
            double w = rng.nextGaussian();
            double s = 0;
            for (int k = 0; k < poles.length; k++) {
                state[k] = poles[k] * state[k] + gains[k] * w;
                s += state[k];
            }
            out[i] = s;
        }
        return out;
    }

    /** z-score, then the preprocessing's soft clip at ±8. */
    private static float[] normalise(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(Math.max(var / x.length, 1e-12));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double z = (x[i] - mean) / sd;
            double a = Math.abs(z);
            out[i] = (float) (a <= 8 ? z : Math.signum(z) * (8 + 2 * Math.log1p((a - 8) / 2)));
        }
        return out;
    }
}

package ai.hypnos.core.synth.signals;

/**
 * The latent physiology of a night, one value per second: rhythm amplitudes, muscle tone, heart
 * and breathing set points. Renderers interpolate these linearly between seconds, so every
 * signal changes smoothly across stage transitions.
 *
 * <p>EEG amplitudes are RMS microvolts at C3-M2 before the subject's electrode gain.
 */
public final class Tracks {
    /** Number of seconds. */
    public final int seconds;
    /** Slow-wave (0.5-2 Hz) RMS amplitude. */
    public final double[] delta;
    /** Theta (4-8 Hz) RMS amplitude. */
    public final double[] theta;
    /** Alpha RMS amplitude. */
    public final double[] alpha;
    /** Background sigma (12-16 Hz, spindles excluded) RMS amplitude. */
    public final double[] sigma;
    /** Beta (16-30 Hz) RMS amplitude. */
    public final double[] beta;
    /** Broadband 1/f background RMS amplitude. */
    public final double[] pink;
    /** Chin EMG RMS amplitude (microvolts). */
    public final double[] emg;
    /** Arousal level, 0 to 1. */
    public final double[] arousal;
    /** Eyes open (wake only), 0 to 1. */
    public final double[] eyesOpen;
    /** Slow-rolling eye movement activity, 0 to 1. */
    public final double[] sem;
    /** Heart-rate set point, beats per minute (before RSA). */
    public final double[] heartRate;
    /** Respiratory sinus arrhythmia, fraction of the RR interval. */
    public final double[] rsa;
    /** Breathing rate, breaths per minute. */
    public final double[] respRate;
    /** Breath-to-breath variability (coefficient of variation of period and amplitude). */
    public final double[] respVariability;
    /** Breathing effort (belt amplitude multiplier; ~0 in central apnoea). */
    public final double[] effort;
    /** Airflow multiplier (~0 in apnoea). */
    public final double[] flow;
    /** Phase lag of the abdomen behind the thorax, in cycles (0.5 = paradoxical). */
    public final double[] paradox;
    /** Oxygen saturation, percent. */
    public final double[] spo2;
    /** 1 inside atrial fibrillation. */
    public final double[] af;

    /** All-zero tracks of {@code seconds} seconds (renderers' callers fill them). */
    public Tracks(int seconds) {
        this.seconds = seconds;
        delta = new double[seconds];
        theta = new double[seconds];
        alpha = new double[seconds];
        sigma = new double[seconds];
        beta = new double[seconds];
        pink = new double[seconds];
        emg = new double[seconds];
        arousal = new double[seconds];
        eyesOpen = new double[seconds];
        sem = new double[seconds];
        heartRate = new double[seconds];
        rsa = new double[seconds];
        respRate = new double[seconds];
        respVariability = new double[seconds];
        effort = new double[seconds];
        flow = new double[seconds];
        paradox = new double[seconds];
        spo2 = new double[seconds];
        af = new double[seconds];
    }

    /** Linear interpolation of a track at time {@code t} seconds (value {@code track[s]} at time {@code s}). */
    public static double at(double[] track, double t) {
        if (t <= 0) {
            return track[0];
        }
        int s = (int) t;
        if (s >= track.length - 1) {
            return track[track.length - 1];
        }
        double f = t - s;
        return track[s] + f * (track[s + 1] - track[s]);
    }
}

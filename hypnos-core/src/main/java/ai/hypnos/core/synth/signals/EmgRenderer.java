package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SynthEvent;
import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws the chin EMG: broadband muscle noise (white noise high-passed at 10 Hz) whose RMS
 * follows the tone track (high in wake, lower with deeper NREM, lowest in REM atonia), with the
 * brief twitches of phasic REM (more of them during bursts of rapid eye movements).
 */
public final class EmgRenderer {
    private EmgRenderer() {
    }

    /** Chin EMG at sample rate {@code fs}, in microvolts. */
    public static double[] render(NightPlan plan, double fs, SynthRandom rng) {
        int seconds = plan.seconds();
        double[] twitch = new double[seconds * 20];
        SynthRandom tr = rng.fork("twitches");
        boolean[] burst = new boolean[seconds];
        for (SynthEvent e : plan.events()) {
            if (e.type() == EventType.REM_BURST) {
                for (int s = (int) e.onset(); s < Math.min(seconds, e.end()); s++) {
                    burst[s] = true;
                }
            }
        }
        java.util.Arrays.fill(twitch, 1);
        for (int s = 0; s < seconds; s++) {
            boolean rem = plan.latentStages()[s / 30] == NightPlanner.REM;
            double rate = rem ? (burst[s] ? 1.2 : 0.25) : 0.02;
            if (tr.chance(rate)) {
                int at = s * 20 + tr.nextInt(20);
                int len = 1 + tr.nextInt(5);
                double gain = tr.uniform(3, 9);
                for (int k = at; k < Math.min(twitch.length, at + len); k++) {
                    twitch[k] = Math.max(twitch[k], gain);
                }
            }
        }
        Tracks t = plan.tracks();
        int n = (int) Math.round(seconds * fs);
        double[] x = new double[n];
        Biquad hp1 = Biquad.highPass(10, fs);
        Biquad hp2 = Biquad.highPass(10, fs);
        SynthRandom white = rng.fork("noise");
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            double amp = Tracks.at(t.emg, time) * twitch[Math.min(twitch.length - 1, (int) (time * 20))];
            x[i] = amp * hp2.process(hp1.process(white.nextWhite()));
        }
        return x;
    }
}

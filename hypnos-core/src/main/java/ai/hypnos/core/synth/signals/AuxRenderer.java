package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws the 1 Hz channels every PSG has besides the eight modalities: oximeter saturation and
 * pulse rate, body position and the room-light flag.
 */
public final class AuxRenderer {
    private AuxRenderer() {
    }

    /** SpO2 in whole percent, one value per second (oximeters report integers). */
    public static double[] spo2(NightPlan plan) {
        double[] x = new double[plan.seconds()];
        for (int s = 0; s < x.length; s++) {
            x[s] = Math.rint(plan.tracks().spo2[s]);
        }
        return x;
    }

    /** Heart rate in whole beats per minute from the beats of the last five seconds. */
    public static double[] heartRate(NightPlan plan) {
        BeatTrain b = plan.beats();
        double[] x = new double[plan.seconds()];
        int lo = 0;
        int hi = 0;
        double last = 0;
        for (int s = 0; s < x.length; s++) {
            while (hi < b.count() && b.time(hi) < s + 1) {
                hi++;
            }
            while (lo < hi && b.time(lo) < s - 4) {
                lo++;
            }
            int m = hi - lo;
            if (m >= 2) {
                last = Math.rint(60.0 * (m - 1) / (b.time(hi - 1) - b.time(lo)));
            }
            x[s] = last;
        }
        return x;
    }

    /** Body position (0 right, 1 supine, 2 left, 3 prone), changing at some body movements. */
    public static double[] position(NightPlan plan, SynthRandom rng) {
        double[] x = new double[plan.seconds()];
        int pos = 1;
        int from = 0;
        for (NightPlan.Artefact a : plan.artefacts()) {
            if (a.type() != EventType.MOVEMENT || a.amplitude() <= 180) {
                continue;
            }
            int at = Math.min(x.length, (int) a.onset());
            java.util.Arrays.fill(x, from, at, pos);
            from = at;
            int next = rng.chance(0.6) ? (pos == 1 ? (rng.chance(0.5) ? 0 : 2) : 1) : rng.nextInt(4);
            pos = next;
        }
        java.util.Arrays.fill(x, from, x.length, pos);
        return x;
    }

    /** Room light: 1 before lights off and after lights on, 0 in between. */
    public static double[] light(NightPlan plan) {
        double[] x = new double[plan.seconds()];
        for (int s = 0; s < x.length; s++) {
            x[s] = s < plan.lightsOff() || s >= plan.lightsOn() ? 1 : 0;
        }
        return x;
    }
}

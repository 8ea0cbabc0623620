package ai.hypnos.core.synth;

import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.core.synth.signals.BeatTrain;
import ai.hypnos.core.synth.signals.NightPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What really happened in a synthetic night, for tests and experiments: the scored and the
 * latent stage of every epoch, one flag per second for every {@link EventType}, the R peaks and
 * types of all heart beats, and the per-second heart rate, breathing rate and saturation.
 *
 * <p>{@link #writeNpz} stores it as an NPZ archive that numpy reads directly:
 * <pre>
 * stage          int8   [epochs]   scored stage (0 W, 1 N1, 2 N2, 3 N3, 4 REM, -1 unscored)
 * latent_stage   int8   [epochs]   stage that drove the physiology
 * epoch_seconds  float64 scalar    30
 * events         int8   [seconds, kinds]  1 where an event of that kind overlaps the second
 * event_names    unicode [kinds]   EventType keys, column order of events
 * r_peaks        float64 [beats]   R-peak times, seconds from the start
 * beat_type      int8   [beats]    0 normal, 1 PAC, 2 PVC, 3 AF, 4 flutter
 * heart_rate     float32 [seconds] beats per minute, from the R peaks
 * resp_rate      float32 [seconds] breaths per minute (set point)
 * spo2           float32 [seconds] percent
 * lights         float64 [2]       lights off and lights on, seconds from the start
 * </pre>
 */
public final class GroundTruth {
    private final int[] stages;
    private final int[] latentStages;
    private final byte[][] flags;
    private final double[] rPeaks;
    private final byte[] beatTypes;
    private final float[] heartRate;
    private final float[] respRate;
    private final float[] spo2;
    private final double[] lights;

    private GroundTruth(int[] stages, int[] latentStages, byte[][] flags, double[] rPeaks, byte[] beatTypes,
                        float[] heartRate, float[] respRate, float[] spo2, double[] lights) {
        this.stages = stages;
        this.latentStages = latentStages;
        this.flags = flags;
        this.rPeaks = rPeaks;
        this.beatTypes = beatTypes;
        this.heartRate = heartRate;
        this.respRate = respRate;
        this.spo2 = spo2;
        this.lights = lights;
    }

    static GroundTruth of(NightPlan plan) {
        int seconds = plan.seconds();
        EventType[] kinds = EventType.values();
        byte[][] flags = new byte[kinds.length][seconds];
        for (SynthEvent e : plan.events()) {
            int from = Math.max(0, (int) StrictMath.floor(e.onset()));
            int to = Math.min(seconds, Math.max(from + 1, (int) StrictMath.ceil(e.end())));
            Arrays.fill(flags[e.type().ordinal()], from, to, (byte) 1);
        }
        BeatTrain beats = plan.beats();
        float[] hr = new float[seconds];
        int j = 1;
        for (int s = 0; s < seconds; s++) {
            while (j < beats.count() - 1 && beats.time(j) < s + 0.5) {
                j++;
            }
            double rr = j < beats.count() ? beats.time(j) - beats.time(j - 1) : Double.NaN;
            hr[s] = (float) (60.0 / rr);
        }
        float[] resp = new float[seconds];
        float[] sat = new float[seconds];
        for (int s = 0; s < seconds; s++) {
            resp[s] = (float) plan.tracks().respRate[s];
            sat[s] = (float) plan.tracks().spo2[s];
        }
        return new GroundTruth(plan.scoredStages().clone(), plan.latentStages().clone(), flags, beats.times(),
                beats.types(), hr, resp, sat, new double[] {plan.lightsOff(), plan.lightsOn()});
    }

    /** Scored stage per epoch (-1 unscored). */
    public int[] stages() {
        return stages.clone();
    }

    /** Latent stage per epoch. */
    public int[] latentStages() {
        return latentStages.clone();
    }

    /** Number of seconds. */
    public int seconds() {
        return flags[0].length;
    }

    /** 1 for every second an event of this type overlaps. */
    public byte[] flags(EventType type) {
        return flags[type.ordinal()].clone();
    }

    /** R-peak times in seconds. */
    public double[] rPeaks() {
        return rPeaks.clone();
    }

    /** Beat types (ordinals of {@link ai.hypnos.core.synth.signals.BeatType}). */
    public byte[] beatTypes() {
        return beatTypes.clone();
    }

    /** Heart rate per second from the RR interval spanning it. */
    public float[] heartRate() {
        return heartRate.clone();
    }

    /** Breathing-rate set point per second. */
    public float[] respRate() {
        return respRate.clone();
    }

    /** Oxygen saturation per second. */
    public float[] spo2() {
        return spo2.clone();
    }

    /** Writes the NPZ archive described in the class comment (atomically). */
    public void writeNpz(Path file) throws IOException {
        EventType[] kinds = EventType.values();
        int seconds = seconds();
        byte[] matrix = new byte[seconds * kinds.length];
        for (int s = 0; s < seconds; s++) {
            for (int k = 0; k < kinds.length; k++) {
                matrix[s * kinds.length + k] = flags[k][s];
            }
        }
        String[] names = new String[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            names[k] = kinds[k].key();
        }
        try (NpzWriter z = NpzWriter.begin(file, true)) {
            z.put("stage", NpyArray.of(toBytes(stages)));
            z.put("latent_stage", NpyArray.of(toBytes(latentStages)));
            z.put("epoch_seconds", NpyArray.scalar(30.0));
            z.put("events", NpyArray.of(matrix, seconds, kinds.length));
            z.put("event_names", NpyArray.ofStrings(names));
            z.put("r_peaks", NpyArray.of(rPeaks));
            z.put("beat_type", NpyArray.of(beatTypes));
            z.put("heart_rate", NpyArray.of(heartRate));
            z.put("resp_rate", NpyArray.of(respRate));
            z.put("spo2", NpyArray.of(spo2));
            z.put("lights", NpyArray.of(lights));
            z.commit();
        }
    }

    private static byte[] toBytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}

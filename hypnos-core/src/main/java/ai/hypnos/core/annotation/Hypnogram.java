package ai.hypnos.core.annotation;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * One sleep stage per fixed-length epoch (30 s), aligned to the recording start: epoch {@code i}
 * covers {@code [i·epochSeconds, (i+1)·epochSeconds)} seconds after the start.
 */
public final class Hypnogram {
    /** The standard AASM epoch length. */
    public static final double EPOCH_SECONDS = 30.0;

    private final double epochSeconds;
    private final SleepStage[] stages;

    public Hypnogram(double epochSeconds, SleepStage[] stages) {
        if (!(epochSeconds > 0)) {
            throw new IllegalArgumentException("epoch length must be positive, got " + epochSeconds);
        }
        this.epochSeconds = epochSeconds;
        this.stages = stages.clone();
    }

    /** A 30-s hypnogram from class indices (0 W … 4 REM, anything else unscored). */
    public static Hypnogram ofLabels(int[] labels) {
        SleepStage[] s = new SleepStage[labels.length];
        for (int i = 0; i < labels.length; i++) {
            s[i] = SleepStage.fromLabel(labels[i]);
        }
        return new Hypnogram(EPOCH_SECONDS, s);
    }

    public double epochSeconds() {
        return epochSeconds;
    }

    public int size() {
        return stages.length;
    }

    public SleepStage get(int epoch) {
        return stages[epoch];
    }

    public SleepStage[] stages() {
        return stages.clone();
    }

    /** Class indices per epoch (-1 for unscored). */
    public int[] labels() {
        int[] out = new int[stages.length];
        for (int i = 0; i < stages.length; i++) {
            out[i] = stages[i].label();
        }
        return out;
    }

    /** Number of epochs per stage, unscored included. */
    public Map<SleepStage, Integer> counts() {
        Map<SleepStage, Integer> c = new EnumMap<>(SleepStage.class);
        for (SleepStage s : SleepStage.values()) {
            c.put(s, 0);
        }
        for (SleepStage s : stages) {
            c.merge(s, 1, Integer::sum);
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hypnogram h && h.epochSeconds == epochSeconds && Arrays.equals(h.stages, stages);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(epochSeconds) * 31 + Arrays.hashCode(stages);
    }

    @Override
    public String toString() {
        return "Hypnogram[" + stages.length + " epochs of " + epochSeconds + " s, " + counts() + "]";
    }
}

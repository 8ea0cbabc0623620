package ai.hypnos.core.synth.stages;

/**
 * How one subject's nights differ from the fitted average night: multipliers and minutes that
 * the {@link HypnogramGenerator} applies on top of the {@link StageModel}.
 *
 * @param latencyMinutes    sleep latency after lights off
 * @param finalWakeMinutes  wake between the final awakening and lights on
 * @param cycleFactor       multiplier of NREM period lengths (ultradian period)
 * @param remFactor         multiplier of REM period lengths
 * @param n3Propensity      multiplier of the weight of N3 transitions (young high, old low)
 * @param wakePropensity    multiplier of wake-after-sleep-onset transitions and bout lengths
 * @param n1Propensity      multiplier of N1 transitions (sleep fragmentation)
 */
public record SleepTraits(
        double latencyMinutes,
        double finalWakeMinutes,
        double cycleFactor,
        double remFactor,
        double n3Propensity,
        double wakePropensity,
        double n1Propensity) {

    /** The average subject of the fitted model. */
    public static SleepTraits typical() {
        return new SleepTraits(12, 5, 1, 1, 1, 1, 1);
    }

    public SleepTraits {
        if (!(latencyMinutes >= 0) || !(finalWakeMinutes >= 0) || !(cycleFactor > 0) || !(remFactor > 0)
                || !(n3Propensity >= 0) || !(wakePropensity >= 0) || !(n1Propensity >= 0)) {
            throw new IllegalArgumentException("sleep traits out of range: latency " + latencyMinutes
                    + ", final wake " + finalWakeMinutes + ", cycle " + cycleFactor + ", REM " + remFactor
                    + ", N3 " + n3Propensity + ", wake " + wakePropensity + ", N1 " + n1Propensity);
        }
    }
}

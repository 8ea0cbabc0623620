package ai.hypnos.core.synth.stages;

import ai.hypnos.core.synth.SynthRandom;
import java.util.Arrays;

/**
 * Draws hypnograms from a {@link StageModel} for a subject's {@link SleepTraits}.
 *
 * <p>The recording starts awake; lights go off, the subject falls asleep after the sleep
 * latency, then NREM-REM cycles follow until the final awakening, and the subject lies awake
 * until lights on and the end of the recording. Within cycles the bouts follow the model's
 * semi-Markov chains; the subject's traits reweight N3, wake and N1, and stretch the cycles.
 * Two rules keep the architecture physiological where two fitted nights say little: N3 becomes
 * rare in the last fifth of a NREM period (sleep lightens before REM), and the first REM period
 * never starts before 45 minutes of sleep (a NREM period is at least that long in cycle 0).
 */
public final class HypnogramGenerator {
    private static final int W = 0;
    private static final int N1 = 1;
    private static final int N2 = 2;
    private static final int N3 = 3;
    private static final int REM = 4;
    /** Labels of the REM-period states REM, W, N1, N2. */
    private static final int[] REM_STATE_LABEL = {REM, W, N1, N2};

    private final StageModel model;

    public HypnogramGenerator(StageModel model) {
        this.model = model;
    }

    /**
     * One night of 30-s epoch labels (0 W, 1 N1, 2 N2, 3 N3, 4 REM).
     *
     * @param epochs         length of the recording in epochs
     * @param lightsOffEpoch first epoch after lights off
     * @param lightsOnEpoch  first epoch after lights on ({@code <= epochs})
     */
    public int[] generate(SleepTraits traits, int epochs, int lightsOffEpoch, int lightsOnEpoch, SynthRandom rng) {
        if (lightsOffEpoch < 0 || lightsOnEpoch > epochs || lightsOnEpoch < lightsOffEpoch) {
            throw new IllegalArgumentException("lights off/on epochs " + lightsOffEpoch + "/" + lightsOnEpoch
                    + " outside a night of " + epochs + " epochs");
        }
        int[] labels = new int[epochs];
        Arrays.fill(labels, W);
        double epochMinutes = model.epochSeconds() / 60.0;
        int onset = lightsOffEpoch + (int) Math.round(traits.latencyMinutes() / epochMinutes);
        int sleepEnd = lightsOnEpoch - (int) Math.round(traits.finalWakeMinutes() / epochMinutes);
        if (sleepEnd - onset < 2) {
            return labels;
        }
        int t = onset;
        int cycle = 0;
        int start = N1;
        while (t < sleepEnd) {
            int nrem = periodLength(model.nremPeriod(), cycle, traits.cycleFactor(), rng, epochMinutes);
            if (cycle == 0) {
                nrem = Math.max(nrem, (int) Math.round(45 / epochMinutes));
            }
            int nremEnd = Math.min(sleepEnd, t + nrem);
            fillNrem(labels, t, nremEnd, cycle, start, traits, rng);
            t = nremEnd;
            if (t >= sleepEnd) {
                break;
            }
            int rem = periodLength(model.remPeriod(), cycle, traits.remFactor(), rng, epochMinutes);
            int remEnd = Math.min(sleepEnd, t + Math.max(1, rem));
            fillRem(labels, t, remEnd, traits, rng);
            t = remEnd;
            cycle++;
            start = nextNremStart(rng);
        }
        return labels;
    }

    private int periodLength(StageModel.LogLinear f, int cycle, double factor, SynthRandom rng, double epochMinutes) {
        double minutes = f.median(cycle) * factor * StrictMath.exp(f.sd() * rng.nextGaussian());
        return Math.max(1, (int) Math.round(minutes / epochMinutes));
    }

    private int nextNremStart(SynthRandom rng) {
        // After a REM period sleep continues through a brief W or N1, or straight into N2.
        double[] row = model.remTransitions()[0];
        int s = 1 + rng.categorical(new double[] {row[1], row[2], row[3]});
        return REM_STATE_LABEL[s];
    }

    private void fillNrem(int[] labels, int from, int to, int cycle, int startState,
                          SleepTraits traits, SynthRandom rng) {
        double n3Weight = traits.n3Propensity() * StrictMath.exp(-model.n3CycleDecay() * cycle);
        int state = startState == REM ? N2 : startState;
        int pos = from;
        double length = Math.max(1, to - from);
        while (pos < to) {
            StageModel.LogNormal b = model.nremBouts().get(state);
            double factor = switch (state) {
                case W -> StrictMath.sqrt(traits.wakePropensity());
                case N3 -> StrictMath.sqrt(Math.max(0.05, n3Weight));
                default -> 1.0;
            };
            int d = Math.max(1, (int) Math.round(factor * StrictMath.exp(b.logMean() + b.logSd() * rng.nextGaussian())));
            int end = Math.min(to, pos + d);
            Arrays.fill(labels, pos, end, state);
            pos = end;
            double rel = (pos - from) / length;
            double[] row = model.nremTransitions()[state].clone();
            row[W] *= traits.wakePropensity() * (1 + 0.2 * cycle);
            row[N1] *= traits.n1Propensity();
            row[N3] *= n3Weight * (rel > 0.8 ? 0.1 : 1.0);
            if (rel > 0.8) {
                row[N2] *= 2;
            }
            if (row[W] + row[N1] + row[N2] + row[N3] <= 0) {
                row[N2] = 1;
            }
            state = rng.categorical(row);
        }
    }

    /** Fills a REM period. */
    private void fillRem(int[] labels, int from, int to, SleepTraits traits, SynthRandom rng) {
        int state = 0;
        int pos = from;
        while (pos < to) {
            StageModel.LogNormal b = model.remBouts().get(state);
            double factor = state == 1 ? StrictMath.sqrt(traits.wakePropensity()) : 1.0;
            int d = Math.max(1, (int) Math.round(factor * StrictMath.exp(b.logMean() + b.logSd() * rng.nextGaussian())));
            int end = Math.min(to, pos + d);
            Arrays.fill(labels, pos, end, REM_STATE_LABEL[state]);
            pos = end;
            if (pos >= to) {
                break;
            }
            double[] row = model.remTransitions()[state].clone();
            row[1] *= traits.wakePropensity();
            row[2] *= traits.n1Propensity();
            state = rng.categorical(row);
        }
    }
}

package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.ChannelKind;
import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthEvent;
import ai.hypnos.core.synth.SynthRandom;
import ai.hypnos.core.synth.stages.HypnogramGenerator;
import ai.hypnos.core.synth.stages.SleepTraits;
import ai.hypnos.core.synth.stages.StageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Plans a night: hypnogram, per-second physiology, events, breaths and beats ({@link NightPlan}).
 *
 * <p>The physiology of a second is a blend of the stage tables below, weighted by the stage
 * sequence smoothed over the subject's transition time constant (so the EEG slides from one
 * stage to the next rather than switching at epoch boundaries), multiplied by slowly varying
 * epoch-to-epoch noise (so two N2 epochs are never alike and the stages overlap as in real
 * recordings), and modified by arousals, eye state, homeostatic decline of slow waves across the
 * night and the subject's traits.
 */
public final class NightPlanner {
    static final int W = 0;
    static final int N1 = 1;
    static final int N2 = 2;
    static final int N3 = 3;
    static final int REM = 4;

    // Stage tables, columns W N1 N2 N3 REM. EEG in RMS microvolts at C3-M2.
    private static final double[] DELTA = {5, 9, 18, 40, 8};
    private static final double[] THETA = {3.5, 6.5, 4.5, 9, 6};
    private static final double[] ALPHA = {12, 3, 1.5, 3.5, 2.5};
    private static final double[] SIGMA = {0.8, 0.8, 2.0, 3, 0.8};
    private static final double[] BETA = {4, 2.2, 1.1, 1.2, 2.2};
    private static final double[] PINK = {5, 5, 5.5, 6, 5};
    /** Chin EMG relative to relaxed-wake tone. */
    private static final double[] EMG = {1, 0.6, 0.45, 0.4, 0.14};
    private static final double[] SEM = {0, 1, 0.25, 0, 0};
    private static final double[] HR_FACTOR = {1, 0.96, 0.92, 0.9, 0.97};
    /** Slow heart-rate variability, bpm standard deviation. */
    private static final double[] HRV = {3, 2.5, 1.6, 1.1, 3.5};
    private static final double[] RSA = {0.8, 1, 1.1, 1.2, 0.7};
    private static final double[] RESP_RATE = {1.08, 1.0, 0.96, 0.94, 1.05};
    private static final double[] RESP_CV = {0.22, 0.16, 0.08, 0.05, 0.2};
    private static final double[] TIDAL = {1.1, 0.9, 0.9, 0.95, 0.85};
    private static final double[] SPINDLES = {0, 0.1, 1, 0.5, 0};
    private static final double[] K_COMPLEXES = {0, 0.15, 1, 0.4, 0};
    /** Where respiratory events happen (relative rate; normalised to the subject's AHI). */
    private static final double[] RESP_EVENTS = {0, 1.2, 1.0, 0.3, 1.8};
    private static final double[] AROUSALS = {0, 1.8, 1.0, 0.4, 1.1};

    private NightPlanner() {
    }

    /** Plans a night of {@code hours} hours (rounded down to whole 30-s epochs, at least one). */
    public static NightPlan plan(SubjectProfile subject, double hours, SynthRandom rng) {
        if (!(hours > 0) || hours > 48) {
            throw new IllegalArgumentException("night length must be in (0, 48] hours, got " + hours);
        }
        int epochs = Math.max(1, (int) StrictMath.floor(hours * 120 + 1e-9));
        int seconds = epochs * 30;
        // Short recordings (quick starts, tests) are compressed nights: the time in bed before
        // and after sleep shrinks with the recording so that a one-hour file still holds sleep.
        double shrink = Math.min(1, hours / 6);
        int lightsOffEpoch = Math.min(epochs - 1, (int) Math.round(subject.lightsOffMinutes() * 2 * shrink));
        int lightsOnEpoch = Math.max(lightsOffEpoch,
                epochs - (int) Math.round(subject.lightsOnMinutesBeforeEnd() * 2 * shrink));
        SleepTraits t = subject.sleep();
        SleepTraits traits = new SleepTraits(t.latencyMinutes() * shrink, t.finalWakeMinutes() * shrink,
                t.cycleFactor(), t.remFactor(), t.n3Propensity(), t.wakePropensity(), t.n1Propensity());
        int[] latent = new HypnogramGenerator(StageModel.defaults())
                .generate(traits, epochs, lightsOffEpoch, lightsOnEpoch, rng.fork("stages"));
        int onsetEpoch = 0;
        while (onsetEpoch < epochs && latent[onsetEpoch] == W) {
            onsetEpoch++;
        }

        int[] stageOfSecond = new int[seconds];
        for (int s = 0; s < seconds; s++) {
            stageOfSecond[s] = latent[s / 30];
        }
        double[][] weights = stageWeights(stageOfSecond, subject.eeg().transitionSeconds());

        List<SynthEvent> events = new ArrayList<>();
        List<NightPlan.Artefact> artefacts = new ArrayList<>();
        Tracks tracks = new Tracks(seconds);

        // Clinical events first: they drive arousals, breathing and heart rate.
        List<double[]> respiratory = respiratoryEvents(subject, stageOfSecond, rng.fork("respiratory"), events);
        List<double[]> arousals = arousals(subject, stageOfSecond, respiratory, rng.fork("arousals"));
        List<NightPlan.Artefact> movements = movements(subject, stageOfSecond, rng.fork("movements"));
        for (NightPlan.Artefact m : movements) {
            arousals.add(new double[] {m.onset(), m.duration()});
        }
        arousals.sort(Comparator.comparingDouble(a -> a[0]));
        for (double[] a : arousals) {
            if (stageOfSecond[Math.min(seconds - 1, (int) a[0])] != W) {
                events.add(new SynthEvent(EventType.AROUSAL, a[0], a[1], "", 0));
            }
        }
        fillPulse(tracks.arousal, arousals, 1.0);
        artefacts.addAll(movements);

        eyeState(tracks.eyesOpen, stageOfSecond, lightsOffEpoch * 30, rng.fork("eyes"));
        eegTracks(subject, tracks, weights, stageOfSecond, onsetEpoch * 30, rng.fork("eeg-tracks"));
        cardioRespTracks(subject, tracks, weights, respiratory, rng.fork("cardio-tracks"));
        afTrack(subject, tracks, rng.fork("af"), events);
        spo2Track(subject, tracks, respiratory, rng.fork("spo2"), events);

        SynthRandom graphoRng = rng.fork("graphoelements");
        List<NightPlan.Spindle> spindles = spindles(subject, tracks, weights, graphoRng, events);
        List<NightPlan.Transient> transients = transients(subject, tracks, weights, arousals, stageOfSecond, graphoRng, events);
        List<NightPlan.Burst> sawtooth = sawtooth(tracks, weights, graphoRng);

        SynthRandom eyeRng = rng.fork("eye-movements");
        List<NightPlan.Blink> blinks = new ArrayList<>();
        List<NightPlan.EyeMove> eyeMoves = eyeMovements(subject, tracks, weights, eyeRng, blinks, events);

        artefacts.addAll(faults(subject, seconds, rng.fork("faults")));
        for (NightPlan.Artefact a : artefacts) {
            String label = a.channel() == null ? "" : subject.site().label(a.channel()).orElse("");
            events.add(new SynthEvent(a.type(), a.onset(), Math.min(a.duration(), seconds - a.onset()), label,
                    a.amplitude()));
        }

        BreathTrain breaths = BreathTrain.generate(tracks, seconds, rng.fork("breaths"));
        BeatTrain beats = BeatTrain.night(tracks, breaths, subject.cardio(), seconds, rng.fork("beats"), events);

        int[] scored = score(latent, rng.fork("scorer"));
        for (NightPlan.Artefact m : movements) {
            int e = (int) ((m.onset() + m.duration() / 2) / 30);
            if (m.duration() >= 15 && e < epochs && (latent[e] == W || (e > 0 && latent[e - 1] == W))) {
                scored[e] = -1;
            }
        }
        events.sort(Comparator.comparingDouble(SynthEvent::onset).thenComparing(e -> e.type().ordinal()));
        return new NightPlan(subject, seconds, latent, scored, lightsOffEpoch * 30.0, lightsOnEpoch * 30.0,
                onsetEpoch * 30.0, tracks, spindles, transients, sawtooth, eyeMoves, blinks, artefacts,
                breaths, beats, List.copyOf(events));
    }

    /**
     * Where a human scorer would disagree with the latent stage: scorers agree with each other
     * on ~80 % of epochs (kappa ~0.76), least on N1 and on the N2/N3 boundary, and mostly at
     * stage changes. Each epoch is relabelled with a small probability per (stage, other stage)
     * taken from published inter-scorer confusion (Rosenberg and Van Hout 2013, scaled down to
     * about a third because the signals already blur the boundaries), doubled next to a
     * transition.
     */
    static int[] score(int[] latent, SynthRandom rng) {
        double[][] confusion = {
            {0, 0.04, 0, 0, 0},
            {0.08, 0, 0.10, 0, 0.03},
            {0, 0.03, 0, 0.02, 0},
            {0, 0, 0.06, 0, 0},
            {0.01, 0.04, 0, 0, 0},
        };
        int[] scored = latent.clone();
        for (int e = 0; e < latent.length; e++) {
            boolean transition = (e > 0 && latent[e - 1] != latent[e]) || (e + 1 < latent.length && latent[e + 1] != latent[e]);
            double u = rng.nextDouble();
            double acc = 0;
            for (int k = 0; k < 5; k++) {
                acc += confusion[latent[e]][k] * (transition ? 2 : 1);
                if (u < acc) {
                    scored[e] = k;
                    break;
                }
            }
        }
        return scored;
    }

    /** One-hot stages per second, smoothed forwards and backwards with time constant tau. */
    static double[][] stageWeights(int[] stageOfSecond, double tau) {
        int n = stageOfSecond.length;
        double[][] w = new double[5][n];
        double a = StrictMath.exp(-1.0 / tau);
        for (int k = 0; k < 5; k++) {
            double[] x = w[k];
            double y = stageOfSecond[0] == k ? 1 : 0;
            for (int s = 0; s < n; s++) {
                y = a * y + (1 - a) * (stageOfSecond[s] == k ? 1 : 0);
                x[s] = y;
            }
            y = x[n - 1];
            for (int s = n - 1; s >= 0; s--) {
                y = a * y + (1 - a) * x[s];
                x[s] = y;
            }
        }
        for (int s = 0; s < n; s++) {
            double total = 0;
            for (int k = 0; k < 5; k++) {
                total += w[k][s];
            }
            for (int k = 0; k < 5; k++) {
                w[k][s] /= total;
            }
        }
        return w;
    }

    private static double blend(double[][] w, double[] table, int s) {
        return w[0][s] * table[0] + w[1][s] * table[1] + w[2][s] * table[2] + w[3][s] * table[3] + w[4][s] * table[4];
    }

    /**
     * Epoch-to-epoch multiplicative variation: a log-normal AR(1) process over epochs
     * (correlation 0.6), interpolated per second.
     */
    static double[] epochNoise(int seconds, double logSd, SynthRandom rng) {
        int epochs = (seconds + 29) / 30 + 1;
        double[] e = new double[epochs];
        double rho = 0.6;
        double x = logSd * rng.nextGaussian();
        for (int i = 0; i < epochs; i++) {
            x = rho * x + StrictMath.sqrt(1 - rho * rho) * logSd * rng.nextGaussian();
            e[i] = x;
        }
        double[] out = new double[seconds];
        for (int s = 0; s < seconds; s++) {
            double pos = (s - 15) / 30.0;
            int i = (int) StrictMath.floor(pos);
            double f = pos - i;
            double v0 = e[Math.max(0, Math.min(epochs - 1, i))];
            double v1 = e[Math.max(0, Math.min(epochs - 1, i + 1))];
            out[s] = StrictMath.exp(v0 + f * (v1 - v0));
        }
        return out;
    }

    /** Raises {@code track} to {@code level} inside each [onset, onset+duration) with 1-s ramps. */
    private static void fillPulse(double[] track, List<double[]> spans, double level) {
        for (double[] sp : spans) {
            int from = Math.max(0, (int) StrictMath.floor(sp[0]));
            int to = Math.min(track.length, (int) StrictMath.ceil(sp[0] + sp[1]) + 1);
            for (int s = from; s < to; s++) {
                double v = (s == from || s == to - 1) ? 0.5 * level : level;
                track[s] = Math.max(track[s], v);
            }
        }
    }

    /** Eyes open or closed during wake: alternating bouts; open before lights off. */
    private static void eyeState(double[] open, int[] stage, int lightsOff, SynthRandom rng) {
        int n = stage.length;
        boolean isOpen = true;
        double next = 0;
        double[] raw = new double[n];
        for (int s = 0; s < n; s++) {
            if (s >= next) {
                isOpen = s < lightsOff || rng.chance(0.35);
                next = s + (isOpen ? rng.logNormal(40, 0.7) : rng.logNormal(35, 0.7));
            }
            raw[s] = stage[s] == W && (isOpen || s < lightsOff) ? 1 : 0;
        }
        // eyes open and close within a couple of seconds
        double a = StrictMath.exp(-1.0 / 2.0);
        double y = raw[0];
        for (int s = 0; s < n; s++) {
            y = a * y + (1 - a) * raw[s];
            open[s] = y;
        }
    }

    private static void eegTracks(SubjectProfile p, Tracks t, double[][] w, int[] stage, int sleepOnset, SynthRandom rng) {
        SubjectProfile.Eeg eeg = p.eeg();
        int n = t.seconds;
        double sd = eeg.epochVariability();
        double[] jd = epochNoise(n, 0.8 * sd, rng);
        double[] jt = epochNoise(n, sd, rng);
        double[] ja = epochNoise(n, sd * 1.2, rng);
        double[] js = epochNoise(n, sd, rng);
        double[] jb = epochNoise(n, sd, rng);
        double[] jp = epochNoise(n, sd * 0.6, rng);
        double[] je = epochNoise(n, sd * 1.3, rng);
        double[] jsem = epochNoise(n, 0.5, rng);
        for (int s = 0; s < n; s++) {
            double hours = Math.max(0, s - sleepOnset) / 3600.0;
            double homeostasis = 0.6 + 0.65 * StrictMath.exp(-hours / 2.5);
            double a = t.arousal[s];
            double open = t.eyesOpen[s];
            // A scorer calls an epoch N3 when slow waves exceed 75 uV, so a subject with small
            // slow waves has fewer N3 epochs (the sleep traits), not N3 epochs without slow
            // waves: the subject's slow-wave gain and the night's decline act mostly on N2.
            double gain = eeg.slowWaveGain();
            double delta = w[W][s] * DELTA[W] + w[N1][s] * DELTA[N1] + w[REM][s] * DELTA[REM]
                    + w[N2][s] * DELTA[N2] * (0.7 + 0.3 * homeostasis) * StrictMath.pow(gain, 0.6)
                    + w[N3][s] * DELTA[N3] * (0.85 + 0.15 * homeostasis) * (0.75 + 0.25 * gain);
            t.delta[s] = delta * jd[s] * (1 - 0.55 * a);
            t.theta[s] = blend(w, THETA, s) * jt[s] * (1 + 0.2 * a);
            double alphaWake = w[W][s] * ALPHA[W] * (1.5 - 1.15 * open);
            t.alpha[s] = (alphaWake + (1 - w[W][s]) * blendExcept(w, ALPHA, s, W)) * eeg.alphaGain() * ja[s]
                    * (1 + 2.2 * a);
            t.sigma[s] = blend(w, SIGMA, s) * js[s];
            t.beta[s] = blend(w, BETA, s) * jb[s] * (1 + 0.35 * open) * (1 + 1.2 * a);
            t.pink[s] = blend(w, PINK, s) * jp[s];
            double remBoost = 1 + 3 * w[REM][s];
            t.emg[s] = eeg.emgTone() * blend(w, EMG, s) * je[s] * (1 + 0.3 * open) * (1 + 1.5 * a * remBoost);
            t.sem[s] = Math.min(1.5, (blend(w, SEM, s) + w[W][s] * (1 - open) * 0.35) * jsem[s]);
        }
    }

    /** Blend of a table over the stages other than {@code skip}, renormalised. */
    private static double blendExcept(double[][] w, double[] table, int s, int skip) {
        double v = 0;
        double total = 0;
        for (int k = 0; k < 5; k++) {
            if (k != skip) {
                v += w[k][s] * table[k];
                total += w[k][s];
            }
        }
        return total > 1e-9 ? v / total : table[N1];
    }

    private static void cardioRespTracks(SubjectProfile p, Tracks t, double[][] w, List<double[]> respiratory,
                                         SynthRandom rng) {
        int n = t.seconds;
        SubjectProfile.Cardio c = p.cardio();
        SubjectProfile.Breathing b = p.breathing();
        // slow heart-rate fluctuation: AR(1) at 1 Hz with a ~20 s correlation time, unit variance
        double rho = StrictMath.exp(-1.0 / 20);
        double lf = rng.nextGaussian();
        double[] respJitter = epochNoise(n, 0.06, rng);
        double[] hrJitter = epochNoise(n, 0.03, rng);
        for (int s = 0; s < n; s++) {
            lf = rho * lf + StrictMath.sqrt(1 - rho * rho) * rng.nextGaussian();
            double hr = c.restingHr() * blend(w, HR_FACTOR, s) * hrJitter[s] + c.hrv() * blend(w, HRV, s) * lf;
            t.heartRate[s] = hr;
            t.rsa[s] = c.rsa() * blend(w, RSA, s);
            t.respRate[s] = b.rate() * blend(w, RESP_RATE, s) * respJitter[s];
            t.respVariability[s] = blend(w, RESP_CV, s);
            t.effort[s] = blend(w, TIDAL, s);
            t.flow[s] = 1;
        }
        // arousals: heart rate rises ~1-2 s after onset, breathing deepens
        for (int s = 0; s < n; s++) {
            double a = t.arousal[Math.max(0, s - 2)];
            t.heartRate[s] += a * (8 + 0.1 * c.restingHr());
            t.respRate[s] *= 1 + 0.15 * a;
            t.effort[s] *= 1 + 0.4 * a;
            t.respVariability[s] += 0.1 * a;
        }
        for (double[] ev : respiratory) {
            int type = (int) ev[2];
            int from = (int) ev[0];
            int to = Math.min(n, (int) (ev[0] + ev[1]));
            double len = Math.max(1, to - from);
            for (int s = from; s < to; s++) {
                double u = (s - from) / len;
                double ramp = Math.min(1, (s - from) / 4.0);
                switch (type) {
                    case 0 -> { // obstructive apnoea: effort continues and grows, no flow, paradox
                        t.effort[s] *= 1 + 0.4 * u;
                        t.flow[s] = 0.04;
                        t.paradox[s] = 0.45 * ramp;
                    }
                    case 1 -> { // central apnoea: no effort, no flow
                        t.effort[s] *= 1 - 0.97 * ramp;
                        t.flow[s] = 0.03 + 0.97 * (1 - ramp);
                    }
                    default -> { // hypopnoea: reduced flow, partly obstructed
                        t.effort[s] *= ev[3] > 0.5 ? 0.85 : 1 - 0.5 * ramp;
                        t.flow[s] = 1 - 0.6 * ramp;
                        t.paradox[s] = ev[3] > 0.5 ? 0.2 * ramp : 0;
                    }
                }
                // heart rate slows a little during the event
                t.heartRate[s] *= 1 - 0.05 * u;
            }
            // recovery: a few deep fast breaths, heart rate surge
            for (int s = to; s < Math.min(n, to + 12); s++) {
                double d = (s - to) / 12.0;
                t.effort[s] *= 1 + 0.9 * (1 - d);
                t.flow[s] = Math.max(t.flow[s], 1 + 0.8 * (1 - d));
                t.respRate[s] *= 1 + 0.25 * (1 - d);
                t.heartRate[s] *= 1 + 0.12 * StrictMath.sin(Math.PI * Math.min(1, d * 1.2));
            }
        }
        for (int s = 0; s < n; s++) {
            t.heartRate[s] = Math.max(35, Math.min(170, t.heartRate[s]));
            t.respRate[s] = Math.max(6, Math.min(35, t.respRate[s]));
        }
    }

    /**
     * Respiratory events as {onset, duration, type (0 obstructive, 1 central, 2 hypopnoea),
     * obstructive-hypopnoea flag}; also writes the events (and sets their arousal/desaturation
     * outcome later).
     */
    private static List<double[]> respiratoryEvents(SubjectProfile p, int[] stage, SynthRandom rng, List<SynthEvent> events) {
        SubjectProfile.Breathing b = p.breathing();
        List<double[]> out = new ArrayList<>();
        int n = stage.length;
        double sleepSeconds = 0;
        double weighted = 0;
        for (int s : stage) {
            if (s != W) {
                sleepSeconds++;
                weighted += RESP_EVENTS[s];
            }
        }
        if (sleepSeconds < 60 || b.ahi() <= 0) {
            return out;
        }
        double norm = sleepSeconds / weighted;
        // An event and the gap after it take ~41 s during which no new event starts: with a
        // target of A events per second, starting at A / (1 - A * 41) per free second gives A.
        double target = b.ahi() / 3600.0;
        double perFreeSecond = target / (1 - Math.min(0.85, target * 41));
        double nextAllowed = 0;
        for (int s = 0; s < n; s++) {
            if (s < nextAllowed || stage[s] == W) {
                continue;
            }
            double rate = perFreeSecond * RESP_EVENTS[stage[s]] * norm;
            if (!rng.chance(rate)) {
                continue;
            }
            double u = rng.nextDouble();
            int type = u < b.obstructiveFraction() ? 0 : u < b.obstructiveFraction() + b.centralFraction() ? 1 : 2;
            double dur = switch (type) {
                case 0 -> clamp(rng.logNormal(21, 0.35), 10, 90);
                case 1 -> clamp(rng.logNormal(17, 0.3), 10, 60);
                default -> clamp(rng.logNormal(24, 0.35), 10, 90);
            };
            double obstructiveHypopnea = type == 2 && rng.chance(0.6) ? 1 : 0;
            out.add(new double[] {s + rng.nextDouble(), dur, type, obstructiveHypopnea});
            nextAllowed = s + dur + rng.uniform(8, 30);
        }
        for (double[] ev : out) {
            EventType et = switch ((int) ev[2]) {
                case 0 -> EventType.OBSTRUCTIVE_APNEA;
                case 1 -> EventType.CENTRAL_APNEA;
                default -> EventType.HYPOPNEA;
            };
            events.add(new SynthEvent(et, ev[0], ev[1], "", 0));
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Spontaneous arousals plus the arousals that end respiratory events, as {onset, duration}. */
    private static List<double[]> arousals(SubjectProfile p, int[] stage, List<double[]> respiratory, SynthRandom rng) {
        List<double[]> out = new ArrayList<>();
        for (double[] ev : respiratory) {
            double prob = switch ((int) ev[2]) {
                case 0 -> 0.8;
                case 1 -> 0.5;
                default -> 0.55;
            };
            if (rng.chance(prob)) {
                out.add(new double[] {ev[0] + ev[1] - rng.uniform(0, 2), clamp(rng.logNormal(7, 0.4), 3, 15)});
            }
        }
        double sleepSeconds = 0;
        double weighted = 0;
        for (int s : stage) {
            if (s != W) {
                sleepSeconds++;
                weighted += AROUSALS[s];
            }
        }
        if (sleepSeconds > 0) {
            double norm = sleepSeconds / weighted;
            double next = 0;
            for (int s = 0; s < stage.length; s++) {
                if (s < next || stage[s] == W) {
                    continue;
                }
                if (rng.chance(p.eeg().arousalIndex() / 3600.0 * AROUSALS[stage[s]] * norm)) {
                    double d = clamp(rng.logNormal(6, 0.4), 3, 15);
                    out.add(new double[] {s + rng.nextDouble(), d});
                    next = s + d + 10;
                }
            }
        }
        out.sort(Comparator.comparingDouble(a -> a[0]));
        return out;
    }

    /** Body movements: mostly in wake and at stage changes. */
    private static List<NightPlan.Artefact> movements(SubjectProfile p, int[] stage, SynthRandom rng) {
        List<NightPlan.Artefact> out = new ArrayList<>();
        double rate = p.faults().movementsPerHour() / 3600.0;
        double next = 0;
        for (int s = 0; s < stage.length; s++) {
            if (s < next) {
                continue;
            }
            boolean change = s >= 30 && stage[s - 30] != stage[s];
            double factor = stage[s] == W ? 2.5 : change ? 2.0 : stage[s] == N3 ? 0.2 : 0.6;
            if (rng.chance(rate * factor)) {
                double d = clamp(rng.logNormal(7, 0.6), 2, 60);
                out.add(new NightPlan.Artefact(EventType.MOVEMENT, null, s + rng.nextDouble(), d, rng.logNormal(150, 0.5)));
                next = s + d + 20;
            }
        }
        return out;
    }

    private static void afTrack(SubjectProfile p, Tracks t, SynthRandom rng, List<SynthEvent> events) {
        int n = t.seconds;
        switch (p.cardio().af()) {
            case PERSISTENT -> {
                Arrays.fill(t.af, 1);
                events.add(new SynthEvent(EventType.ATRIAL_FIBRILLATION, 0, n, "", 0));
            }
            case PAROXYSMAL -> {
                int episodes = 1 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
                List<double[]> spans = new ArrayList<>();
                for (int i = 0; i < episodes; i++) {
                    double d = clamp(rng.logNormal(2400, 1.0), 120, 4 * 3600);
                    double on = rng.uniform(0, Math.max(1, n - 60));
                    double end = Math.min(n, on + d);
                    spans.add(new double[] {on, end});
                }
                spans.sort(Comparator.comparingDouble(a -> a[0]));
                double lastEnd = -1;
                for (double[] sp : spans) {
                    double on = Math.max(sp[0], lastEnd + 60);
                    if (on >= sp[1]) {
                        continue;
                    }
                    for (int s = (int) StrictMath.ceil(on); s < sp[1] && s < n; s++) {
                        t.af[s] = 1;
                    }
                    events.add(new SynthEvent(EventType.ATRIAL_FIBRILLATION, on, sp[1] - on, "", 0));
                    lastEnd = sp[1];
                }
            }
            default -> {
            }
        }
    }

    /**
     * Oxygen saturation: baseline with slow noise, and a dip after each apnoea or hypopnoea,
     * lagging the event by the circulation time (~20-30 s); dips of 3 % or more are scored.
     */
    private static void spo2Track(SubjectProfile p, Tracks t, List<double[]> respiratory, SynthRandom rng,
                                  List<SynthEvent> events) {
        int n = t.seconds;
        double base = p.breathing().spo2Baseline();
        double rho = StrictMath.exp(-1.0 / 60);
        double x = 0;
        double[] dip = new double[n];
        for (double[] ev : respiratory) {
            int type = (int) ev[2];
            double depth = type == 2 ? 1.5 + 0.09 * ev[1] : 2.5 + 0.16 * ev[1];
            depth *= rng.logNormal(1, 0.35);
            depth = Math.min(depth, 30);
            double lag = rng.uniform(18, 30);
            double fallStart = ev[0] + lag;
            double nadirTime = ev[0] + ev[1] + lag;
            double recoverEnd = nadirTime + rng.uniform(8, 16);
            for (int s = Math.max(0, (int) fallStart); s < Math.min(n, (int) recoverEnd + 1); s++) {
                double v;
                if (s < nadirTime) {
                    v = depth * (s - fallStart) / Math.max(1, nadirTime - fallStart);
                } else {
                    v = depth * (1 - (s - nadirTime) / Math.max(1, recoverEnd - nadirTime));
                }
                dip[s] = Math.max(dip[s], Math.max(0, v));
            }
            if (depth >= 3 && fallStart < n) {
                events.add(new SynthEvent(EventType.DESATURATION, fallStart,
                        Math.min(n, recoverEnd) - fallStart, "", Math.rint((base - depth) * 10) / 10));
            }
        }
        for (int s = 0; s < n; s++) {
            x = rho * x + StrictMath.sqrt(1 - rho * rho) * rng.nextGaussian();
            t.spo2[s] = Math.min(100, base + 0.5 * x - dip[s]);
        }
    }

    private static List<NightPlan.Spindle> spindles(SubjectProfile p, Tracks t, double[][] w, SynthRandom rng,
                                                    List<SynthEvent> events) {
        SubjectProfile.Eeg eeg = p.eeg();
        List<NightPlan.Spindle> out = new ArrayList<>();
        double next = 0;
        for (int s = 0; s < t.seconds; s++) {
            if (s < next) {
                continue;
            }
            double rate = eeg.spindleDensity() / 60.0 * blend(w, SPINDLES, s) * (1 - t.arousal[s]);
            // spindles cluster (they tend to follow each other): modulate by the sigma track
            rate *= Math.min(2, t.sigma[s] / SIGMA[N2]);
            if (rng.nextDouble() < rate * 1.35) {
                double dur = clamp(rng.logNormal(0.85, 0.3), 0.5, 2.5);
                double f = clamp(eeg.spindleHz() + 0.6 * rng.nextGaussian(), 11, 16);
                double amp = eeg.spindleAmplitude() * rng.logNormal(1, 0.3);
                double lateral = rng.chance(0.15) ? rng.uniform(0.3, 0.7) : rng.logNormal(1, 0.12);
                boolean leftLocal = rng.chance(0.5);
                double onset = s + rng.nextDouble();
                out.add(new NightPlan.Spindle(onset, dur, f, leftLocal ? amp : amp * lateral, leftLocal ? amp * lateral : amp));
                events.add(new SynthEvent(EventType.SPINDLE, onset, dur, "", Math.rint(f * 100) / 100));
                next = onset + dur + 1.0;
            }
        }
        return out;
    }

    private static List<NightPlan.Transient> transients(SubjectProfile p, Tracks t, double[][] w, List<double[]> arousals,
                                                        int[] stage, SynthRandom rng, List<SynthEvent> events) {
        SubjectProfile.Eeg eeg = p.eeg();
        List<NightPlan.Transient> out = new ArrayList<>();
        double next = 0;
        for (int s = 0; s < t.seconds; s++) {
            if (s < next) {
                continue;
            }
            double kcRate = eeg.kComplexRate() / 60.0 * blend(w, K_COMPLEXES, s);
            double vertexRate = 3.0 / 60.0 * w[N1][s];
            double u = rng.nextDouble();
            if (u < kcRate) {
                double amp = Math.min(400, rng.logNormal(110 * eeg.slowWaveGain(), 0.3));
                double onset = s + rng.nextDouble();
                out.add(new NightPlan.Transient(onset, amp, false));
                events.add(new SynthEvent(EventType.K_COMPLEX, onset, 0.9, "", Math.rint(amp)));
                next = onset + 3;
            } else if (u < kcRate + vertexRate) {
                out.add(new NightPlan.Transient(s + rng.nextDouble(), rng.logNormal(55, 0.3), true));
                next = s + 2;
            }
        }
        // K-complexes evoked at the start of arousals from N2
        for (double[] a : arousals) {
            int s = (int) a[0];
            if (s > 0 && s < stage.length && stage[s] == N2 && rng.chance(0.35)) {
                double amp = Math.min(400, rng.logNormal(120 * eeg.slowWaveGain(), 0.3));
                double onset = Math.max(0, a[0] - 0.6);
                out.add(new NightPlan.Transient(onset, amp, false));
                events.add(new SynthEvent(EventType.K_COMPLEX, onset, 0.9, "", Math.rint(amp)));
            }
        }
        out.sort(Comparator.comparingDouble(NightPlan.Transient::onset));
        return out;
    }

    private static List<NightPlan.Burst> sawtooth(Tracks t, double[][] w, SynthRandom rng) {
        List<NightPlan.Burst> out = new ArrayList<>();
        double next = 0;
        for (int s = 0; s < t.seconds; s++) {
            if (s >= next && rng.chance(1.2 / 60.0 * w[REM][s])) {
                double d = rng.uniform(1.5, 5);
                out.add(new NightPlan.Burst(s + rng.nextDouble(), d, rng.uniform(2.5, 4.5), rng.logNormal(28, 0.3)));
                next = s + d + 3;
            }
        }
        return out;
    }

    /**
     * Eye movements: saccades and blinks in wake (many with eyes open, few with eyes closed),
     * slow rolling movements at sleep onset (N1, drowsy wake), bursts of rapid eye movements in
     * REM, almost nothing in N2/N3.
     */
    private static List<NightPlan.EyeMove> eyeMovements(SubjectProfile p, Tracks t, double[][] w, SynthRandom rng,
                                                        List<NightPlan.Blink> blinks, List<SynthEvent> events) {
        List<NightPlan.EyeMove> moves = new ArrayList<>();
        double gaze = 0;
        double busyUntil = 0;
        double burstEnd = -1;
        double nextBlink = 0;
        double remDensity = p.eeg().remDensity();
        for (int s = 0; s < t.seconds; s++) {
            double open = t.eyesOpen[s];
            double wake = w[W][s];
            // blinks
            double blinkRate = wake * (2 + 16 * open) / 60.0 + w[N1][s] * 0.3 / 60.0 + t.arousal[s] * 0.1;
            if (s >= nextBlink && rng.chance(blinkRate)) {
                double on = s + rng.nextDouble();
                blinks.add(new NightPlan.Blink(on, rng.uniform(0.25, 0.45), rng.logNormal(160, 0.3)));
                nextBlink = on + 0.8;
            }
            // REM bursts
            if (s > burstEnd && rng.chance(remDensity * 1.6 / 60.0 * w[REM][s] * (1 - t.arousal[s]))) {
                double d = clamp(rng.logNormal(5, 0.6), 1, 25);
                burstEnd = s + d;
                events.add(new SynthEvent(EventType.REM_BURST, s, d, "", 0));
            }
            boolean inBurst = s <= burstEnd;
            double saccadeRate = wake * (0.1 + 0.9 * open) + (inBurst ? 2.2 : 0) + t.arousal[s] * 0.5;
            double semRate = t.sem[s] / 6.0;
            int tries = 4;
            for (int k = 0; k < tries; k++) {
                double on = s + (k + rng.nextDouble()) / tries;
                if (on < busyUntil) {
                    continue;
                }
                double u = rng.nextDouble();
                if (u < saccadeRate / tries) {
                    double amp = inBurst ? rng.logNormal(120, 0.35) : rng.logNormal(70, 0.5);
                    double target = clamp(-0.4 * gaze + (rng.chance(0.5) ? amp : -amp), -260, 260);
                    double dur = inBurst ? rng.uniform(0.05, 0.1) : rng.uniform(0.04, 0.08);
                    moves.add(new NightPlan.EyeMove(on, dur, target));
                    gaze = target;
                    busyUntil = on + dur + (inBurst ? rng.uniform(0.1, 0.4) : 0.15);
                } else if (u < (saccadeRate + semRate) / tries) {
                    double dur = clamp(rng.logNormal(2.2, 0.35), 0.8, 6);
                    double target = clamp(-gaze * 0.6 + (rng.chance(0.5) ? 1 : -1) * rng.logNormal(90, 0.4), -260, 260);
                    moves.add(new NightPlan.EyeMove(on, dur, target));
                    gaze = target;
                    busyUntil = on + dur;
                }
            }
            // with nothing happening the gaze drifts back to centre
            if (s > busyUntil + 5 && Math.abs(gaze) > 20 && rng.chance(0.05)) {
                moves.add(new NightPlan.EyeMove(s + rng.nextDouble(), rng.uniform(1.5, 3), 0));
                gaze = 0;
                busyUntil = s + 3;
            }
        }
        moves.sort(Comparator.comparingDouble(NightPlan.EyeMove::onset));
        return moves;
    }

    /** Electrode pops, sweat and flat channels. */
    private static List<NightPlan.Artefact> faults(SubjectProfile p, int seconds, SynthRandom rng) {
        SubjectProfile.Faults f = p.faults();
        List<NightPlan.Artefact> out = new ArrayList<>();
        ChannelKind[] exg = java.util.stream.Stream.of(ChannelKind.C3_M2, ChannelKind.C4_M1, ChannelKind.E1_M2,
                ChannelKind.E2_M1).filter(p::records).toArray(ChannelKind[]::new);
        double hours = seconds / 3600.0;
        int pops = exg.length == 0 ? 0 : poisson(f.popsPerHour() * hours, rng);
        // pops favour one bad electrode
        ChannelKind bad = exg.length == 0 ? null : exg[rng.nextInt(exg.length)];
        for (int i = 0; i < pops; i++) {
            ChannelKind c = rng.chance(0.7) ? bad : exg[rng.nextInt(exg.length)];
            out.add(new NightPlan.Artefact(EventType.ELECTRODE_POP, c, rng.uniform(0, seconds), rng.uniform(0.3, 1.5),
                    (rng.chance(0.5) ? 1 : -1) * rng.logNormal(250, 0.5)));
        }
        int sweats = poisson(f.sweatPerHour() * hours, rng);
        for (int i = 0; i < sweats; i++) {
            out.add(new NightPlan.Artefact(EventType.SWEAT, null, rng.uniform(0, seconds), rng.logNormal(150, 0.6),
                    rng.logNormal(60, 0.5)));
        }
        if (f.flatChannel() != null && p.records(f.flatChannel())) {
            double from = Math.min(seconds, f.flatFromHours() * 3600);
            double dur = Math.min(seconds - from, f.flatHours() * 3600);
            if (dur > 0) {
                out.add(new NightPlan.Artefact(EventType.FLAT_SIGNAL, f.flatChannel(), from, dur, 0));
            }
        }
        out.sort(Comparator.comparingDouble(NightPlan.Artefact::onset));
        return out;
    }

    private static int poisson(double mean, SynthRandom rng) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, (int) Math.round(mean + StrictMath.sqrt(mean) * rng.nextGaussian()));
        }
        double l = StrictMath.exp(-mean);
        int k = 0;
        double prod = rng.nextDouble();
        while (prod > l) {
            k++;
            prod *= rng.nextDouble();
        }
        return k;
    }
}

package ai.hypnos.core.synth;

import ai.hypnos.core.synth.stages.SleepTraits;

/**
 * Everything that makes one synthetic subject differ from another: age-related physiology,
 * sleep architecture, cardiac and respiratory traits, and the faults of their recording.
 *
 * <p>{@link #sample} draws a subject from age-dependent distributions (older subjects: slower
 * alpha, smaller slow waves, fewer spindles, less N3, more wake, lower HRV, more apnoea, more
 * ectopy and atrial fibrillation). All numbers are documented in {@code docs/synthetic-data.md}.
 *
 * @param id                       subject identifier (file stem)
 * @param site                     the recording site (montage, labels, rates, mains)
 * @param age                      years
 * @param sleep                    sleep-architecture traits for the hypnogram model
 * @param eeg                      EEG, EOG and EMG traits
 * @param cardio                   heart traits
 * @param breathing                respiratory traits
 * @param faults                   recording faults
 * @param lightsOffMinutes         minutes from the recording start to lights off
 * @param lightsOnMinutesBeforeEnd minutes between lights on and the end of the recording
 */
public record SubjectProfile(
        String id,
        Site site,
        double age,
        SleepTraits sleep,
        Eeg eeg,
        Cardio cardio,
        Breathing breathing,
        Faults faults,
        double lightsOffMinutes,
        double lightsOnMinutesBeforeEnd) {

    /**
     * EEG, EOG and chin EMG traits.
     *
     * @param alphaHz          posterior dominant rhythm frequency
     * @param alphaGain        multiplier of alpha power (some people barely show alpha)
     * @param slowWaveGain     multiplier of slow-wave (delta) amplitude
     * @param spindleDensity   spindles per minute of N2
     * @param spindleHz        mean spindle frequency
     * @param spindleAmplitude mean spindle peak amplitude at C3/C4, microvolts
     * @param kComplexRate     K-complexes per minute of N2
     * @param gainC3           electrode/amplifier gain of C3 (impedance, head size)
     * @param gainC4           same for C4
     * @param eogGain          gain of the EOG channels
     * @param emgTone          chin EMG RMS in relaxed wake, microvolts
     * @param remDensity       multiplier of rapid-eye-movement bursts in REM
     * @param arousalIndex     spontaneous arousals per hour of sleep
     * @param transitionSeconds time constant of the blending of one stage's physiology into the next
     * @param epochVariability log-scale standard deviation of epoch-to-epoch variation of rhythms
     */
    public record Eeg(
            double alphaHz,
            double alphaGain,
            double slowWaveGain,
            double spindleDensity,
            double spindleHz,
            double spindleAmplitude,
            double kComplexRate,
            double gainC3,
            double gainC4,
            double eogGain,
            double emgTone,
            double remDensity,
            double arousalIndex,
            double transitionSeconds,
            double epochVariability) {
    }

    /** How a subject's atrial fibrillation shows up in a night. */
    public enum AfPattern {
        /** Sinus rhythm all night. */
        NONE,
        /** Episodes of minutes to hours. */
        PAROXYSMAL,
        /** AF all night. */
        PERSISTENT
    }

    /**
     * Heart traits.
     *
     * @param restingHr      heart rate in relaxed wake, beats per minute
     * @param hrv            multiplier of slow heart-rate variability
     * @param rsa            respiratory sinus arrhythmia amplitude, fraction of the RR interval
     * @param ectopicPerHour premature beats per hour
     * @param pvcFraction    fraction of premature beats that are ventricular (the rest atrial)
     * @param af             atrial fibrillation pattern
     * @param rAmplitude     R-wave amplitude, millivolts
     * @param inverted       electrodes swapped: the ECG is upside down (a common real fault)
     */
    public record Cardio(
            double restingHr,
            double hrv,
            double rsa,
            double ectopicPerHour,
            double pvcFraction,
            AfPattern af,
            double rAmplitude,
            boolean inverted) {
    }

    /**
     * Respiratory traits.
     *
     * @param rate                breaths per minute in relaxed wake
     * @param ahi                 apnoea-hypopnoea index, events per hour of sleep
     * @param obstructiveFraction fraction of events that are obstructive apnoeas
     * @param centralFraction     fraction of events that are central apnoeas (the rest are hypopnoeas)
     * @param spo2Baseline        awake oxygen saturation, percent
     * @param thxGain             thoracic belt gain
     * @param abdGain             abdominal belt gain
     */
    public record Breathing(
            double rate,
            double ahi,
            double obstructiveFraction,
            double centralFraction,
            double spo2Baseline,
            double thxGain,
            double abdGain) {
    }

    /**
     * Recording faults.
     *
     * @param hasEog           false: the file has no EOG channels
     * @param hasBelts         false: the file has no respiratory belts
     * @param humMicrovolts    mains hum amplitude on the exG channels (0: none)
     * @param popsPerHour      electrode pops per hour
     * @param movementsPerHour body movements per hour (artefacts on all channels)
     * @param sweatPerHour     sweat (slow high-amplitude drift) episodes per hour
     * @param flatChannel      a channel that goes flat (electrode off), or {@code null}
     * @param flatFromHours    when it goes flat, hours from the start
     * @param flatHours        for how long (may run to the end of the night)
     */
    public record Faults(
            boolean hasEog,
            boolean hasBelts,
            double humMicrovolts,
            double popsPerHour,
            double movementsPerHour,
            double sweatPerHour,
            ChannelKind flatChannel,
            double flatFromHours,
            double flatHours) {

        /** A clean recording: all channels, no hum, no pops, only the body movements every night has. */
        public static Faults none() {
            return new Faults(true, true, 0, 0, 2, 0, null, 0, 0);
        }
    }

    /**
     * Whether this subject's file has a channel of this kind: the site stores it (directly or as
     * its bare electrode) and no fault removed it.
     */
    public boolean records(ChannelKind kind) {
        boolean kept = switch (kind) {
            case E1_M2, E2_M1, E1, E2 -> faults.hasEog();
            case ABD, THX -> faults.hasBelts();
            default -> true;
        };
        return kept && site.label(kind).isPresent();
    }

    /** A middle-aged, healthy subject with a clean recording (tests and examples). */
    public static SubjectProfile typical(String id, Site site) {
        return new SubjectProfile(id, site, 40,
                new SleepTraits(12, 5, 1, 1, 1.5, 0.6, 0.8),
                new Eeg(10.0, 1.0, 1.0, 4.5, 13.2, 28, 1.2, 1, 1, 1, 14, 1, 12, 15, 0.3),
                new Cardio(65, 1, 0.05, 2, 0.5, AfPattern.NONE, 1.2, false),
                new Breathing(15, 3, 0.3, 0.05, 97, 1, 1),
                Faults.none(), 10, 5);
    }

    /**
     * Draws a subject. Age is uniform over 20-85 years; the other traits depend on age plus
     * individual variation. With {@code faults} false the recording is clean and complete.
     */
    public static SubjectProfile sample(String id, Site site, SynthRandom rng, boolean faults) {
        double age = rng.uniform(20, 85);
        double a = age - 20;

        SleepTraits sleep = new SleepTraits(
                Math.min(60, rng.logNormal(12, 0.6)),
                Math.min(30, rng.logNormal(4, 0.7)),
                rng.logNormal(1, 0.12),
                rng.logNormal(1 - 0.003 * a, 0.2),
                rng.logNormal(4.5 * StrictMath.exp(-a / 30), 0.35),
                rng.logNormal(0.3 + 0.012 * a, 0.35),
                rng.logNormal(0.45 + 0.008 * a, 0.25));

        double alphaGain = rng.chance(0.1) ? rng.uniform(0.15, 0.4) : rng.logNormal(1, 0.35);
        Eeg eeg = new Eeg(
                rng.clampedGaussian(10.4 - 0.02 * a, 0.6, 7.5, 12.5),
                alphaGain,
                Math.max(0.3, rng.logNormal(1.3 - 0.011 * a, 0.2)),
                rng.clampedGaussian(5.5 - 0.045 * a, 1.0, 1.0, 8.0),
                rng.clampedGaussian(13.3, 0.6, 11.5, 15.0),
                rng.logNormal(32 - 0.15 * a, 0.25),
                rng.logNormal(1.4 - 0.008 * a, 0.3),
                rng.logNormal(1, 0.2),
                rng.logNormal(1, 0.2),
                rng.logNormal(1, 0.25),
                rng.logNormal(14, 0.4),
                rng.logNormal(1, 0.35),
                rng.logNormal(10 + 0.2 * a, 0.3),
                rng.uniform(12, 35),
                rng.uniform(0.28, 0.45));

        double afProbability = age > 50 ? 0.01 + 0.14 * ((age - 50) / 35) * ((age - 50) / 35) : 0.005;
        AfPattern af = AfPattern.NONE;
        if (rng.chance(afProbability)) {
            af = rng.chance(0.6) ? AfPattern.PAROXYSMAL : AfPattern.PERSISTENT;
        }
        Cardio cardio = new Cardio(
                rng.clampedGaussian(66, 8, 48, 95),
                Math.max(0.25, rng.logNormal(1.3 - 0.011 * a, 0.25)),
                Math.max(0.01, rng.logNormal(0.06 - 0.0006 * a, 0.3)),
                Math.min(400, rng.logNormal(1.5 * StrictMath.exp(a / 25), 1.2)),
                rng.uniform(0.2, 0.8),
                af,
                rng.logNormal(1.2, 0.3),
                faults && rng.chance(0.04));

        double centralFraction = rng.chance(0.06) ? rng.uniform(0.4, 0.8) : rng.uniform(0.0, 0.12);
        Breathing breathing = new Breathing(
                rng.clampedGaussian(15, 2, 10, 22),
                Math.min(90, rng.logNormal(2 + 0.17 * a, 0.9)),
                rng.uniform(0.15, 0.45) * (1 - centralFraction),
                centralFraction,
                rng.clampedGaussian(97 - 0.03 * a, 1.0, 91, 99.5),
                rng.logNormal(1, 0.3),
                rng.logNormal(1, 0.3));

        // sleep apnoea fragments sleep: more wake and N1
        double fragmentation = 1 + breathing.ahi() / 60;
        sleep = new SleepTraits(sleep.latencyMinutes(), sleep.finalWakeMinutes(), sleep.cycleFactor(), sleep.remFactor(),
                sleep.n3Propensity(), sleep.wakePropensity() * fragmentation,
                sleep.n1Propensity() * fragmentation);

        Faults f = Faults.none();
        if (faults) {
            ChannelKind flat = null;
            double flatFrom = 0;
            double flatHours = 0;
            if (rng.chance(0.08)) {
                ChannelKind[] candidates = {ChannelKind.C3_M2, ChannelKind.C4_M1, ChannelKind.E1_M2,
                    ChannelKind.E2_M1, ChannelKind.CHIN, ChannelKind.ECG, ChannelKind.ABD, ChannelKind.THX};
                flat = candidates[rng.nextInt(candidates.length)];
                if (rng.chance(0.15)) {
                    flatHours = 1e9;
                } else {
                    flatFrom = rng.uniform(0.5, 6);
                    flatHours = rng.logNormal(0.7, 0.8);
                }
            }
            f = new Faults(
                    !rng.chance(0.07),
                    !rng.chance(0.07),
                    rng.chance(0.15) ? rng.logNormal(8, 0.7) : 0,
                    rng.chance(0.2) ? rng.logNormal(8, 0.6) : rng.logNormal(0.5, 0.8),
                    rng.logNormal(3, 0.5),
                    rng.chance(0.15) ? rng.logNormal(0.8, 0.5) : 0,
                    flat, flatFrom, flatHours);
        }
        return new SubjectProfile(id, site, Math.rint(age * 10) / 10, sleep, eeg, cardio, breathing, f,
                rng.logNormal(10, 0.5), rng.logNormal(4, 0.6));
    }
}

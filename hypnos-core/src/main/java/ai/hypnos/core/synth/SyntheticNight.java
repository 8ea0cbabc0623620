package ai.hypnos.core.synth;

import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.synth.signals.ArtefactRenderer;
import ai.hypnos.core.synth.signals.AuxRenderer;
import ai.hypnos.core.synth.signals.EcgRenderer;
import ai.hypnos.core.synth.signals.EcgStyle;
import ai.hypnos.core.synth.signals.EegGrid;
import ai.hypnos.core.synth.signals.EegRenderer;
import ai.hypnos.core.synth.signals.EmgRenderer;
import ai.hypnos.core.synth.signals.EogRenderer;
import ai.hypnos.core.synth.signals.NightPlan;
import ai.hypnos.core.synth.signals.NightPlanner;
import ai.hypnos.core.synth.signals.PinkNoise;
import ai.hypnos.core.synth.signals.RespRenderer;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One synthetic night of polysomnography with its ground truth.
 *
 * <pre>{@code
 * SubjectProfile s = SubjectProfile.sample("sub-001", Site.AASM, new SynthRandom(7), true);
 * SyntheticNight night = SyntheticNight.generate(s, 8.0, 42);
 * InMemoryRecording rec = night.recording();   // the site's channels, labels and rates
 * Hypnogram hyp = night.hypnogram();            // what a scorer would give, per 30-s epoch
 * GroundTruth truth = night.truth();            // latent stages, per-second events, beats
 * }</pre>
 *
 * <p>Generation is deterministic: the same profile, length and seed give bit-identical signals
 * on every platform (all randomness comes from {@link SynthRandom}, all transcendental functions
 * from {@link StrictMath}).
 */
public final class SyntheticNight {
    private final NightPlan plan;
    private final InMemoryRecording recording;

    private SyntheticNight(NightPlan plan, InMemoryRecording recording) {
        this.plan = plan;
        this.recording = recording;
    }

    /**
     * Generates a night.
     *
     * @param subject the subject (site, physiology, faults)
     * @param hours   recording length in hours (rounded down to whole 30-s epochs)
     * @param seed    random seed
     */
    public static SyntheticNight generate(SubjectProfile subject, double hours, long seed) {
        SynthRandom rng = new SynthRandom(seed);
        NightPlan plan = NightPlanner.plan(subject, hours, rng.fork("plan"));
        return new SyntheticNight(plan, render(plan, rng.fork("render")));
    }

    private static InMemoryRecording render(NightPlan plan, SynthRandom rng) {
        SubjectProfile p = plan.subject();
        Site site = p.site();
        EegGrid grid = EegRenderer.grid(plan, rng.fork("eeg-grid"));
        SynthRandom startRng = rng.fork("start");
        LocalDateTime start = LocalDateTime.of(2000, 1, 1, 21, 0)
                .plusDays(startRng.nextInt(3650)).plusMinutes(startRng.nextInt(150));
        InMemoryRecording.Builder b = InMemoryRecording.builder().start(start);
        Map<String, double[]> pairs = new HashMap<>();
        Map<Double, double[][]> references = new HashMap<>();
        for (SiteChannel ch : site.channels()) {
            if (!p.records(ch.kind())) {
                continue;
            }
            double[] x = channel(plan, grid, ch, pairs, references, rng);
            clip(x, ch.physicalMin(), ch.physicalMax());
            b.signal(new SignalInfo(ch.label(), ch.transducer(), ch.unit(), ch.prefiltering(), ch.sampleRate(),
                    x.length, ch.physicalMin(), ch.physicalMax(), -32768, 32767), x);
        }
        b.annotation(new Annotation(plan.lightsOff(), 0, "Lights off"));
        if (plan.lightsOn() < plan.seconds()) {
            b.annotation(new Annotation(plan.lightsOn(), 0, "Lights on"));
        }
        return b.build();
    }

    private static double[] channel(NightPlan plan, EegGrid grid, SiteChannel ch, Map<String, double[]> pairs,
                                    Map<Double, double[][]> references, SynthRandom rng) {
        double fs = ch.sampleRate();
        SubjectProfile p = plan.subject();
        ChannelKind kind = ch.kind();
        return switch (kind) {
            case C3_M2, C4_M1 -> central(plan, grid, fs, kind, pairs, rng, true);
            case E1_M2, E2_M1 -> eog(plan, grid, fs, kind, pairs, rng, true);
            case CHIN -> chin(plan, fs, rng, true);
            case ECG -> ecg(plan, fs, rng);
            case THX -> belt(plan, ChannelKind.THX, RespRenderer.Kind.THORAX, fs, rng);
            case ABD -> belt(plan, ChannelKind.ABD, RespRenderer.Kind.ABDOMEN, fs, rng);
            case FLOW -> belt(plan, ChannelKind.FLOW, RespRenderer.Kind.FLOW, fs, rng);
            case FZ_CZ, CZ_OZ -> {
                double[] x = EegRenderer.derivation(plan, grid, fs, kind == ChannelKind.CZ_OZ, rng.fork(kind.name()));
                EcgRenderer.addQrsPickup(x, fs, plan.beats(), 1.5 * p.cardio().rAmplitude());
                ArtefactRenderer.apply(x, fs, kind, plan, true, rng.fork("artefacts"));
                yield x;
            }
            case SPO2 -> AuxRenderer.spo2(plan);
            case HR -> AuxRenderer.heartRate(plan);
            case POSITION -> AuxRenderer.position(plan, rng.fork("position"));
            case LIGHT -> AuxRenderer.light(plan);
            case M1, M2 -> references(plan, fs, references, rng)[kind == ChannelKind.M1 ? 0 : 1].clone();
            case C3, C4, E1, E2, CHIN1, CHIN2 -> electrode(plan, grid, fs, kind, pairs, references, rng);
        };
    }

    private static double[] central(NightPlan plan, EegGrid grid, double fs, ChannelKind kind,
                                    Map<String, double[]> pairs, SynthRandom rng, boolean referenced) {
        String key = "central@" + fs;
        double[] mine = pairs.remove(key + kind);
        if (mine != null) {
            return mine;
        }
        double[][] c = EegRenderer.central(plan, grid, fs, rng.fork(key));
        SynthRandom pick = rng.fork("qrs-eeg");
        double r = plan.subject().cardio().rAmplitude();
        for (int i = 0; i < 2; i++) {
            ChannelKind k = i == 0 ? ChannelKind.C3_M2 : ChannelKind.C4_M1;
            if (referenced) {
                // mastoid references pick up the ECG (absent when the site stores bare electrodes:
                // there the pick-up is in the reference electrode's own signal)
                EcgRenderer.addQrsPickup(c[i], fs, plan.beats(), pick.uniform(1, 5) * r);
            }
            ArtefactRenderer.apply(c[i], fs, k, plan, referenced, rng.fork("artefacts"));
        }
        ChannelKind other = kind == ChannelKind.C3_M2 ? ChannelKind.C4_M1 : ChannelKind.C3_M2;
        pairs.put(key + other, kind == ChannelKind.C3_M2 ? c[1] : c[0]);
        return kind == ChannelKind.C3_M2 ? c[0] : c[1];
    }

    private static double[] eog(NightPlan plan, EegGrid grid, double fs, ChannelKind kind,
                                Map<String, double[]> pairs, SynthRandom rng, boolean referenced) {
        String key = "eog@" + fs;
        double[] mine = pairs.remove(key + kind);
        if (mine != null) {
            return mine;
        }
        double[][] e = EogRenderer.render(plan, grid, fs, rng.fork(key));
        for (int i = 0; i < 2; i++) {
            ChannelKind k = i == 0 ? ChannelKind.E1_M2 : ChannelKind.E2_M1;
            if (referenced) {
                EcgRenderer.addQrsPickup(e[i], fs, plan.beats(), 2 * plan.subject().cardio().rAmplitude());
            }
            ArtefactRenderer.apply(e[i], fs, k, plan, referenced, rng.fork("artefacts"));
        }
        ChannelKind other = kind == ChannelKind.E1_M2 ? ChannelKind.E2_M1 : ChannelKind.E1_M2;
        pairs.put(key + other, kind == ChannelKind.E1_M2 ? e[1] : e[0]);
        return kind == ChannelKind.E1_M2 ? e[0] : e[1];
    }

    private static double[] chin(NightPlan plan, double fs, SynthRandom rng, boolean referenced) {
        double[] x = EmgRenderer.render(plan, fs, rng.fork("emg@" + fs));
        EcgRenderer.addQrsPickup(x, fs, plan.beats(), rng.fork("qrs-emg").uniform(2, 8) * plan.subject().cardio().rAmplitude());
        ArtefactRenderer.apply(x, fs, ChannelKind.CHIN, plan, referenced, rng.fork("artefacts"));
        return x;
    }

    private static double[] ecg(NightPlan plan, double fs, SynthRandom rng) {
        SubjectProfile.Cardio c = plan.subject().cardio();
        SynthRandom r = rng.fork("ecg-style");
        EcgStyle style = new EcgStyle(c.rAmplitude(), c.inverted(), r.uniform(0.03, 0.09), 0, 0,
                r.uniform(0.006, 0.02), r.uniform(0.02, 0.08));
        double[] x = EcgRenderer.render(plan.beats(), plan.seconds(), fs, style, plan.tracks().af, plan.breaths(),
                rng.fork("ecg@" + fs));
        ArtefactRenderer.apply(x, fs, ChannelKind.ECG, plan, true, rng.fork("artefacts"));
        return x;
    }

    private static double[] belt(NightPlan plan, ChannelKind kind, RespRenderer.Kind what, double fs, SynthRandom rng) {
        double[] x = RespRenderer.render(plan, what, fs, rng.fork(kind.name() + "@" + fs));
        ArtefactRenderer.apply(x, fs, kind, plan, true, rng.fork("artefacts"));
        return x;
    }

    /**
     * The reference electrodes of a site that stores bare electrodes, {M1, M2}, against the
     * amplifier's common reference: their own small activity, the ECG they pick up, and a
     * common-mode part (drift and, for subjects with hum, mains) that every electrode shares and
     * every derivation cancels.
     */
    private static double[][] references(NightPlan plan, double fs, Map<Double, double[][]> cache, SynthRandom rng) {
        double[][] cached = cache.get(fs);
        if (cached != null) {
            return cached;
        }
        int n = (int) Math.round(plan.seconds() * fs);
        SynthRandom r = rng.fork("references@" + fs);
        double[] common = new double[n];
        PinkNoise drift = new PinkNoise(fs, r.fork(0));
        for (int i = 0; i < n; i++) {
            common[i] = 25 * drift.next();
        }
        double hum = plan.subject().faults().humMicrovolts();
        int mains = plan.subject().site().mainsHz();
        if (mains < 0.5 * fs) {
            ArtefactRenderer.addHum(common, fs, mains, 20 + 3 * hum, r.fork(1));
        }
        double[][] refs = new double[3][];
        for (int k = 0; k < 2; k++) {
            double[] m = new double[n];
            PinkNoise own = new PinkNoise(fs, r.fork(2 + k));
            double offset = r.uniform(-300, 300);
            for (int i = 0; i < n; i++) {
                m[i] = offset + 4 * own.next() + common[i];
            }
            EcgRenderer.addQrsPickup(m, fs, plan.beats(), r.uniform(2, 6) * plan.subject().cardio().rAmplitude());
            refs[k] = m;
        }
        refs[2] = common;
        cache.put(fs, refs);
        return refs;
    }

    /** A bare electrode: its derivation plus the reference it is measured against. */
    private static double[] electrode(NightPlan plan, EegGrid grid, double fs, ChannelKind kind,
                                      Map<String, double[]> pairs, Map<Double, double[][]> references, SynthRandom rng) {
        double[][] refs = references(plan, fs, references, rng);
        double[] m1 = refs[0];
        double[] m2 = refs[1];
        double[] common = refs[2];
        double[] x;
        switch (kind) {
            case C3 -> x = add(central(plan, grid, fs, ChannelKind.C3_M2, pairs, rng, false), m2);
            case C4 -> x = add(central(plan, grid, fs, ChannelKind.C4_M1, pairs, rng, false), m1);
            case E1 -> x = add(eog(plan, grid, fs, ChannelKind.E1_M2, pairs, rng, false), m2);
            case E2 -> x = add(eog(plan, grid, fs, ChannelKind.E2_M1, pairs, rng, false), m1);
            default -> {
                // Chin1 and Chin2 share one EMG: the first computes it, the second consumes it
                String key = "chin@" + fs;
                double[] emg = pairs.computeIfAbsent(key, k -> chin(plan, fs, rng, false));
                if (kind == ChannelKind.CHIN2) {
                    pairs.remove(key);
                }
                double half = kind == ChannelKind.CHIN1 ? 0.5 : -0.5;
                x = new double[emg.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = half * emg[i] + common[i];
                }
            }
        }
        ChannelKind derivation = switch (kind) {
            case C3 -> ChannelKind.C3_M2;
            case C4 -> ChannelKind.C4_M1;
            case E1 -> ChannelKind.E1_M2;
            case E2 -> ChannelKind.E2_M1;
            default -> kind == ChannelKind.CHIN1 ? ChannelKind.CHIN : null;
        };
        if (derivation != null) {
            for (NightPlan.Artefact a : plan.artefacts()) {
                if (a.type() == EventType.FLAT_SIGNAL && a.channel() == derivation) {
                    int from = Math.max(0, (int) (a.onset() * fs));
                    int to = Math.min(x.length, (int) StrictMath.ceil(a.end() * fs));
                    java.util.Arrays.fill(x, from, to, 0);
                }
            }
        }
        return x;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static void clip(double[] x, double lo, double hi) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] < lo) {
                x[i] = lo;
            } else if (x[i] > hi) {
                x[i] = hi;
            }
        }
    }

    /** The plan behind the signals (tracks, events, beats, breaths). */
    public NightPlan plan() {
        return plan;
    }

    public SubjectProfile subject() {
        return plan.subject();
    }

    /** The recording with the site's channels; annotations hold lights off and on. */
    public InMemoryRecording recording() {
        return recording;
    }

    /** The hypnogram a scorer would give (movement-time epochs unscored). */
    public Hypnogram hypnogram() {
        return Hypnogram.ofLabels(plan.scoredStages());
    }

    /** The stages that drove the physiology, per epoch (never unscored). */
    public Hypnogram latentHypnogram() {
        return Hypnogram.ofLabels(plan.latentStages());
    }

    /** Ground-truth events in onset order. */
    public List<SynthEvent> events() {
        return plan.events();
    }

    /** Ground truth: stages, per-second event flags, heart beats. */
    public GroundTruth truth() {
        return GroundTruth.of(plan);
    }

    /** Seconds from the start to lights off and to lights on. */
    public double[] lights() {
        return new double[] {plan.lightsOff(), plan.lightsOn()};
    }

    /** Number of events of each type (for logs and summaries). */
    public Map<EventType, Integer> eventCounts() {
        Map<EventType, Integer> m = new EnumMap<>(EventType.class);
        for (SynthEvent e : plan.events()) {
            m.merge(e.type(), 1, Integer::sum);
        }
        return m;
    }
}

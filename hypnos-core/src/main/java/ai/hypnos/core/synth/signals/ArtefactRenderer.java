package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.ChannelKind;
import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SynthRandom;

/**
 * Adds the recording's artefacts to one channel: body movements (broadband bursts and swings on
 * every channel, muscle bursts on the chin), electrode pops (a jump and an exponential return),
 * sweat (slow high-amplitude swings on EEG and EOG), mains hum, and flat stretches where an
 * electrode came off.
 */
public final class ArtefactRenderer {
    private ArtefactRenderer() {
    }

    /** How a channel kind reacts to artefacts. */
    private enum Group {
        EEG, EOG, CHIN, ECG, BELT, FLOW, OTHER
    }

    private static Group group(ChannelKind kind) {
        return switch (kind) {
            case C3_M2, C4_M1, FZ_CZ, CZ_OZ -> Group.EEG;
            case E1_M2, E2_M1 -> Group.EOG;
            case CHIN -> Group.CHIN;
            case ECG -> Group.ECG;
            case ABD, THX -> Group.BELT;
            case FLOW -> Group.FLOW;
            default -> Group.OTHER;
        };
    }

    /**
     * Adds artefacts to {@code x} (a channel of kind {@code kind} at {@code fs}).
     *
     * @param applyFlat whether flat-signal faults of this kind are applied here (false when the
     *                  site stores bare electrodes and the electrode itself goes flat)
     */
    public static void apply(double[] x, double fs, ChannelKind kind, NightPlan plan, boolean applyFlat, SynthRandom rng) {
        Group g = group(kind);
        if (g == Group.OTHER) {
            return;
        }
        double toUnits = g == Group.ECG ? 0.001 : 1.0;
        SynthRandom r = rng.fork(kind.name());
        for (NightPlan.Artefact a : plan.artefacts()) {
            switch (a.type()) {
                case MOVEMENT -> movement(x, fs, g, a, plan.subject().eeg().emgTone(), r);
                case ELECTRODE_POP -> {
                    if (a.channel() == kind) {
                        pop(x, fs, a);
                    }
                }
                case SWEAT -> {
                    if (g == Group.EEG || g == Group.EOG) {
                        sweat(x, fs, a, r.uniform(0.5, 1.1), r);
                    }
                }
                default -> {
                }
            }
        }
        double hum = plan.subject().faults().humMicrovolts();
        int mains = plan.subject().site().mainsHz();
        if (hum > 0 && mains < 0.5 * fs && g != Group.BELT && g != Group.FLOW) {
            addHum(x, fs, mains, hum * toUnits * r.uniform(0.4, 1.4), r);
        }
        // last, so that nothing is added on top of a flat stretch
        if (applyFlat) {
            for (NightPlan.Artefact a : plan.artefacts()) {
                if (a.type() == EventType.FLAT_SIGNAL && a.channel() == kind) {
                    flatten(x, fs, a);
                }
            }
        }
    }

    private static void movement(double[] x, double fs, Group g, NightPlan.Artefact a, double emgTone, SynthRandom r) {
        int from = Math.max(0, (int) (a.onset() * fs));
        int to = Math.min(x.length, (int) ((a.onset() + a.duration()) * fs));
        if (to <= from) {
            return;
        }
        double swing;
        double broadband;
        switch (g) {
            case EEG -> {
                swing = a.amplitude();
                broadband = 0.3 * a.amplitude();
            }
            case EOG -> {
                swing = 1.3 * a.amplitude();
                broadband = 0.3 * a.amplitude();
            }
            case CHIN -> {
                swing = 0.1 * a.amplitude();
                broadband = 6 * emgTone;
            }
            case ECG -> {
                swing = 0.4;
                broadband = 0.12;
            }
            case BELT -> {
                swing = 0.6;
                broadband = 0;
            }
            default -> {
                swing = 0.3;
                broadband = 0;
            }
        }
        swing *= r.uniform(0.5, 1.2);
        Biquad slow = Biquad.bandPass(r.uniform(0.4, 1.5), 0.7, fs);
        Biquad fast = Biquad.highPass(Math.min(15, 0.3 * fs), fs);
        double len = to - from;
        for (int i = from; i < to; i++) {
            double env = Waveforms.tukey((i - from) / len, 0.15);
            x[i] += env * (swing * slow.process(r.nextWhite()) + broadband * fast.process(r.nextWhite()));
        }
    }

    private static void pop(double[] x, double fs, NightPlan.Artefact a) {
        int from = Math.max(0, (int) (a.onset() * fs));
        double tau = a.duration() / 3;
        int to = Math.min(x.length, (int) ((a.onset() + 5 * tau) * fs) + 1);
        for (int i = from; i < to; i++) {
            double tt = i / fs - a.onset();
            x[i] += a.amplitude() * StrictMath.exp(-tt / tau);
        }
    }

    private static void sweat(double[] x, double fs, NightPlan.Artefact a, double gain, SynthRandom r) {
        int from = Math.max(0, (int) (a.onset() * fs));
        int to = Math.min(x.length, (int) ((a.onset() + a.duration()) * fs));
        double f = r.uniform(0.15, 0.4);
        double phase = r.uniform(0, 2 * Math.PI);
        double len = Math.max(1, to - from);
        // one sine evaluation per 0.1 s, linear in between: the swing is far below 10 Hz
        int step = Math.max(1, (int) (fs / 10));
        for (int i = from; i < to; i += step) {
            double t0 = i / fs - a.onset();
            double t1 = (i + step) / fs - a.onset();
            double v0 = StrictMath.sin(phase + 2 * Math.PI * f * t0) * Waveforms.tukey((i - from) / len, 0.2);
            double v1 = StrictMath.sin(phase + 2 * Math.PI * f * t1) * Waveforms.tukey((i + step - from) / len, 0.2);
            for (int k = 0; k < step && i + k < to; k++) {
                x[i + k] += gain * a.amplitude() * (v0 + (v1 - v0) * k / step);
            }
        }
    }

    private static void flatten(double[] x, double fs, NightPlan.Artefact a) {
        int from = Math.max(0, (int) (a.onset() * fs));
        int to = Math.min(x.length, (int) StrictMath.ceil((a.onset() + a.duration()) * fs));
        for (int i = from; i < to; i++) {
            x[i] = 0;
        }
    }

    /** Adds mains hum with a slowly waxing and waning amplitude, by a rotating phasor (no sine per sample). */
    public static void addHum(double[] x, double fs, double hz, double amplitude, SynthRandom r) {
        double w = 2 * Math.PI * hz / fs;
        double cw = StrictMath.cos(w);
        double sw = StrictMath.sin(w);
        double phase = r.uniform(0, 2 * Math.PI);
        double c = StrictMath.cos(phase);
        double s = StrictMath.sin(phase);
        double slow = 2 * Math.PI / (900 * fs);
        double a = amplitude;
        for (int i = 0; i < x.length; i++) {
            if ((i & 1023) == 0) {
                a = amplitude * (1 + 0.3 * StrictMath.sin(slow * i));
            }
            x[i] += a * s;
            double nc = c * cw - s * sw;
            double ns = s * cw + c * sw;
            c = nc;
            s = ns;
            if ((i & 1023) == 1023) {
                double norm = 1.0 / StrictMath.sqrt(c * c + s * s);
                c *= norm;
                s *= norm;
            }
        }
    }
}

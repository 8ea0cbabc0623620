package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SynthRandom;

/**
 * Draws the respiratory belts and airflow from the breaths.
 *
 * <p>Thorax and abdomen move together in normal breathing. In an obstructive event the chest and
 * belly work against a closed airway and move in opposition: the abdomen's phase slides towards
 * half a cycle behind the thorax ({@link Tracks#paradox}) while effort grows and airflow stops.
 * In a central apnoea effort and flow both stop; only the small cardiogenic oscillation of the
 * heart beats remains. Belts are DC-coupled: they drift slowly and jump with body position.
 */
public final class RespRenderer {
    private RespRenderer() {
    }

    /** Which respiratory signal to draw. */
    public enum Kind {
        THORAX, ABDOMEN, FLOW
    }

    /** The signal at sample rate {@code fs}, in arbitrary units (about 0.3 peak-to-peak at rest). */
    public static double[] render(NightPlan plan, Kind kind, double fs, SynthRandom rng) {
        Tracks t = plan.tracks();
        BreathTrain breaths = plan.breaths();
        BeatTrain beats = plan.beats();
        int n = (int) Math.round(plan.seconds() * fs);
        double[] x = new double[n];
        double gain = 0.3 * switch (kind) {
            case THORAX -> plan.subject().breathing().thxGain();
            case ABDOMEN -> plan.subject().breathing().abdGain();
            case FLOW -> 1.0;
        };
        BreathTrain.Cursor cursor = breaths.cursor();
        int beat = 0;
        Biquad drift = Biquad.lowPass(0.02, fs);
        SynthRandom white = rng.fork("drift");
        double driftGain = kind == Kind.FLOW ? 0 : 0.08 * StrictMath.sqrt(fs / 0.02) * 0.35;
        double offset = 0;
        int movement = 0;
        java.util.List<NightPlan.Artefact> moves = plan.artefacts().stream()
                .filter(a -> a.type() == EventType.MOVEMENT).toList();
        double cardiogenic = kind == Kind.FLOW ? 0.02 : 0.012;
        for (int i = 0; i < n; i++) {
            double time = i / fs;
            int k = cursor.index(time);
            double u = (time - breaths.onset(k)) / breaths.period(k);
            double amp = breaths.amplitude(k);
            double v;
            if (kind == Kind.FLOW) {
                v = Tracks.at(t.flow, time) * amp * (BreathTrain.waveform(u) - 0.35);
            } else {
                double lag = kind == Kind.ABDOMEN ? Tracks.at(t.paradox, time) : 0;
                v = Tracks.at(t.effort, time) * amp * BreathTrain.waveform(u - lag);
            }
            while (beat + 1 < beats.count() && beats.time(beat + 1) <= time) {
                beat++;
            }
            if (beat + 1 < beats.count()) {
                double cu = (time - beats.time(beat)) / (beats.time(beat + 1) - beats.time(beat));
                v += cardiogenic * StrictMath.sin(2 * Math.PI * Math.max(0, cu));
            }
            // body position changes at some movements shift the DC level
            while (movement < moves.size() && moves.get(movement).onset() <= time) {
                if (moves.get(movement).amplitude() > 180 && kind != Kind.FLOW) {
                    offset += white.gaussian(0, 0.15);
                }
                movement++;
            }
            x[i] = gain * v + driftGain * drift.process(white.nextWhite()) + offset;
        }
        return x;
    }
}

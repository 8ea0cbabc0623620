package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.ChannelKind;
import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthEvent;
import java.util.List;

/**
 * Everything decided about a night before any sample is drawn: the hypnogram, the per-second
 * {@link Tracks}, the graphoelements and eye movements to draw, the clinical events, the breaths
 * and the heart beats. Renderers turn a plan into signals at any sample rate, so all channels of
 * a night (and the EOG's copy of the EEG) tell the same story.
 *
 * @param subject      the subject
 * @param seconds      length of the night in seconds (a whole number of epochs)
 * @param latentStages the stage that drives the physiology, per 30-s epoch (0 W ... 4 REM)
 * @param scoredStages the stage a scorer gives, per epoch (-1 for movement time)
 * @param lightsOff    seconds from the start to lights off
 * @param lightsOn     seconds from the start to lights on
 * @param sleepOnset   seconds from the start to the first sleep epoch (or the end if none)
 * @param tracks       per-second physiology
 * @param spindles     sleep spindles
 * @param slowTransients K-complexes and vertex sharp waves (drawn on the slow EEG grid)
 * @param sawtooth     sawtooth-wave bursts of REM sleep
 * @param eyeMoves     saccades, slow rolling and rapid eye movements
 * @param blinks       blinks
 * @param artefacts    recording artefacts (pops, movements, sweat, flat channels)
 * @param breaths      the breaths
 * @param beats        the heart beats
 * @param events       ground-truth events in onset order
 */
public record NightPlan(
        SubjectProfile subject,
        int seconds,
        int[] latentStages,
        int[] scoredStages,
        double lightsOff,
        double lightsOn,
        double sleepOnset,
        Tracks tracks,
        List<Spindle> spindles,
        List<Transient> slowTransients,
        List<Burst> sawtooth,
        List<EyeMove> eyeMoves,
        List<Blink> blinks,
        List<Artefact> artefacts,
        BreathTrain breaths,
        BeatTrain beats,
        List<SynthEvent> events) {

    /** A sleep spindle: waxing-waning sinusoid. */
    public record Spindle(double onset, double duration, double frequency, double ampC3, double ampC4) {
    }

    /**
     * A K-complex ({@code vertex == false}) or vertex sharp wave: a biphasic slow transient.
     * Amplitude is peak-to-peak microvolts.
     */
    public record Transient(double onset, double amplitude, boolean vertex) {
    }

    /** A burst of sawtooth waves. */
    public record Burst(double onset, double duration, double frequency, double amplitude) {
    }

    /**
     * An eye movement: the gaze moves from where it is to {@code target} (microvolts at E2) over
     * {@code duration} seconds; short durations are saccades, long ones slow rolling movements.
     */
    public record EyeMove(double onset, double duration, double target) {
    }

    /** A blink (vertical eye movement seen by both EOG electrodes in anti-phase). */
    public record Blink(double onset, double duration, double amplitude) {
    }

    /**
     * A recording artefact on one channel kind, or on every exG channel when {@code channel} is
     * {@code null} (body movement).
     */
    public record Artefact(EventType type, ChannelKind channel, double onset, double duration, double amplitude) {
        public double end() {
            return onset + duration;
        }
    }

    /** Number of 30-s epochs. */
    public int epochs() {
        return latentStages.length;
    }
}

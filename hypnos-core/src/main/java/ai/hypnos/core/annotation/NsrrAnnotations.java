package ai.hypnos.core.annotation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The content of an NSRR annotation file: scored events (stages and everything else), the
 * scoring epoch length, and the recording's start clock time and length when the file states them.
 *
 * @param source             the file read (may be {@code null})
 * @param epochSeconds       {@code EpochLength} (30 when absent)
 * @param events             every scored event in file order, stages included
 * @param clockTime          the "Recording Start Time" event's {@code ClockTime} text, empty when absent
 * @param recordingSeconds   that event's duration (the recording length), if given
 */
public record NsrrAnnotations(Path source, double epochSeconds, List<ScoredEvent> events, String clockTime,
        OptionalDouble recordingSeconds) {

    public NsrrAnnotations {
        events = List.copyOf(events);
    }

    /** The sleep-stage events. */
    public List<ScoredEvent> stages() {
        return events.stream().filter(ScoredEvent::isStage).toList();
    }

    /** Every event that is not a sleep stage (apneas, hypopneas, arousals, desaturations, limb movements...). */
    public List<ScoredEvent> otherEvents() {
        return events.stream().filter(e -> !e.isStage()).toList();
    }

    /** The events of one kind. */
    public List<ScoredEvent> events(EventKind kind) {
        List<ScoredEvent> out = new ArrayList<>();
        for (ScoredEvent e : events) {
            if (e.kind() == kind) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The hypnogram in 30-s epochs, over {@code recordingSeconds} (NaN or ≤ 0: the file's
     * recording length if it gives one, else up to the last scored stage).
     */
    public Hypnogram hypnogram(double recordingSeconds) {
        return scoredNight(recordingSeconds).hypnogram();
    }

    /** Hypnogram with the alignment warnings; see {@link #hypnogram(double)}. */
    public ScoredNight scoredNight(double recordingSeconds) {
        double length = recordingSeconds > 0 ? recordingSeconds : this.recordingSeconds.orElse(Double.NaN);
        return Hypnograms.scoredNightFromEvents(events, length);
    }
}

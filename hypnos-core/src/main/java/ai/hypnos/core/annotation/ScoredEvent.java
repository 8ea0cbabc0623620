package ai.hypnos.core.annotation;

import java.util.Locale;
import java.util.Optional;

/**
 * One scored event of an NSRR annotation file (a sleep stage, an apnea, an arousal...).
 *
 * @param type     the {@code EventType} as written ({@code "Stages|Stages"}, {@code "Respiratory|Respiratory"}; may be empty)
 * @param concept  the {@code EventConcept} as written ({@code "Stage 2 sleep|2"}, {@code "Obstructive apnea|Obstructive Apnea"})
 * @param onset    seconds from the recording start
 * @param duration seconds
 * @param channel  the {@code SignalLocation} (e.g. {@code "ABDO RES"}), empty when none
 */
public record ScoredEvent(String type, String concept, double onset, double duration, String channel) {

    /** The concept's name: the part before {@code |} ({@code "Stage 2 sleep"}). */
    public String name() {
        int bar = concept.indexOf('|');
        return (bar >= 0 ? concept.substring(0, bar) : concept).strip();
    }

    /** The concept's code: the part after {@code |} ({@code "2"}), empty when there is none. */
    public String code() {
        int bar = concept.indexOf('|');
        return bar >= 0 ? concept.substring(bar + 1).strip() : "";
    }

    /**
     * Whether this is a sleep-stage event: {@code EventType} "Stages", or an untyped event whose
     * concept is a stage name with a one-digit code ({@code "Stage 2 sleep|2"}).
     */
    public boolean isStage() {
        String t = type.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("stages")) {
            return true;
        }
        return t.isEmpty() && code().matches("\\d") && StageText.parse(name()).isPresent();
    }

    /**
     * The stage of a stage event. NSRR codes: 0 wake, 1–4 R&amp;K stages (3 and 4 → N3), 5 REM,
     * 6 movement and 9 unscored (→ unscored); without a code, the name is read by {@link StageText}.
     */
    public Optional<SleepStage> stage() {
        if (!isStage()) {
            return Optional.empty();
        }
        switch (code()) {
            case "0":
                return Optional.of(SleepStage.W);
            case "1":
                return Optional.of(SleepStage.N1);
            case "2":
                return Optional.of(SleepStage.N2);
            case "3", "4":
                return Optional.of(SleepStage.N3);
            case "5":
                return Optional.of(SleepStage.REM);
            case "6", "7", "8", "9":
                return Optional.of(SleepStage.UNSCORED);
            default:
                return Optional.of(StageText.parse(name()).orElse(SleepStage.UNSCORED));
        }
    }

    /** What kind of event this is. */
    public EventKind kind() {
        return isStage() ? EventKind.STAGE : EventKind.ofName(name());
    }

    /** End of the event in seconds. */
    public double end() {
        return onset + duration;
    }
}

package ai.hypnos.core.annotation;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A night's sleep scoring: the epoch hypnogram, the stage intervals it was built from, lights
 * off/on when the scoring marks them, and what was odd on the way (off-grid onsets, overlaps...).
 *
 * @param hypnogram 30-s epochs aligned to the recording start
 * @param stages    stage intervals as the source states them, sorted by onset
 * @param lightsOff seconds from the recording start, if marked
 * @param lightsOn  seconds from the recording start, if marked
 * @param warnings  human-readable notes on anything the alignment had to decide
 */
public record ScoredNight(Hypnogram hypnogram, List<StageInterval> stages, OptionalDouble lightsOff,
        OptionalDouble lightsOn, List<String> warnings) {

    public ScoredNight {
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /**
     * The hypnogram with epochs outside the lights-off period (an epoch counts as inside when its
     * midpoint lies in [lights off, lights on)) marked unscored. Without marks, the hypnogram itself.
     */
    public Hypnogram withinLights() {
        double off = lightsOff.orElse(Double.NEGATIVE_INFINITY);
        double on = lightsOn.orElse(Double.POSITIVE_INFINITY);
        SleepStage[] s = hypnogram.stages();
        double len = hypnogram.epochSeconds();
        for (int i = 0; i < s.length; i++) {
            double mid = (i + 0.5) * len;
            if (mid < off || mid >= on) {
                s[i] = SleepStage.UNSCORED;
            }
        }
        return new Hypnogram(len, s);
    }
}

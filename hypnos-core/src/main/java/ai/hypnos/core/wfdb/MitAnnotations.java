package ai.hypnos.core.wfdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Views of a list of MIT annotations: beats, label counts, rhythm intervals. */
public final class MitAnnotations {
    private MitAnnotations() {
    }

    /** The beat annotations (N, A, V, L, R... see {@link MitCodes#isBeat}), in file order. */
    public static List<MitAnnotation> beats(List<MitAnnotation> annotations) {
        List<MitAnnotation> out = new ArrayList<>();
        for (MitAnnotation a : annotations) {
            if (a.isBeat()) {
                out.add(a);
            }
        }
        return out;
    }

    /** Number of annotations per mnemonic, sorted by mnemonic. */
    public static Map<String, Integer> countByLabel(List<MitAnnotation> annotations) {
        Map<String, Integer> counts = new TreeMap<>();
        for (MitAnnotation a : annotations) {
            counts.merge(a.label(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Rhythm intervals from the rhythm-change annotations ({@code "+"} with aux text such as
     * {@code "(AFIB"}): each rhythm lasts until the next change, the last one until
     * {@code endSample} (the record's length in frames). Nothing is assumed before the first
     * change.
     *
     * @param fs frames per second, to express the intervals in seconds
     */
    public static List<RhythmInterval> rhythms(List<MitAnnotation> annotations, long endSample, double fs) {
        List<MitAnnotation> changes = new ArrayList<>();
        for (MitAnnotation a : annotations) {
            if (a.isRhythmChange()) {
                changes.add(a);
            }
        }
        changes.sort((x, y) -> Long.compare(x.sample(), y.sample()));
        List<RhythmInterval> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            MitAnnotation c = changes.get(i);
            long end = i + 1 < changes.size() ? changes.get(i + 1).sample() : Math.max(endSample, c.sample());
            if (end > c.sample()) {
                out.add(new RhythmInterval(c.rhythm(), c.sample(), end, c.sample() / fs, end / fs));
            }
        }
        return out;
    }
}

package ai.hypnos.eval.data;

import ai.hypnos.core.wfdb.MitAnnotation;
import ai.hypnos.core.wfdb.RhythmInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-window AF labels from rhythm annotations (WFDB rhythm changes such as {@code "(AFIB"}).
 * A window is AF (1) when atrial fibrillation or flutter covers at least {@code minFraction} of
 * it, non-AF (0) when known rhythms cover the rest of that share, and unscored (−1) when less than
 * {@code minFraction} of it is covered by any rhythm annotation.
 */
public final class RhythmLabels {
    private RhythmLabels() {
    }

    /** Whether a rhythm name means AF (AFIB, or AFL when {@code flutterIsAf}). */
    public static boolean isAf(String rhythm, boolean flutterIsAf) {
        String r = rhythm.trim().toUpperCase(Locale.ROOT);
        return r.equals("AFIB") || r.equals("AF") || (flutterIsAf && (r.equals("AFL") || r.equals("AFLT")));
    }

    /**
     * Labels {@code windows} windows of {@code windowSeconds} from rhythm intervals.
     *
     * @param minFraction share of a window that must be annotated, and AF for an AF label (e.g. 0.5)
     */
    public static int[] fromIntervals(List<RhythmInterval> intervals, double windowSeconds, int windows,
                                      double minFraction, boolean flutterIsAf) {
        if (!(minFraction > 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction must be in (0, 1], got " + minFraction);
        }
        int[] labels = new int[windows];
        for (int w = 0; w < windows; w++) {
            double a = w * windowSeconds;
            double b = a + windowSeconds;
            double covered = 0;
            double af = 0;
            for (RhythmInterval r : intervals) {
                double overlap = Math.min(b, r.end()) - Math.max(a, r.start());
                if (overlap > 0) {
                    covered += overlap;
                    if (isAf(r.rhythm(), flutterIsAf)) {
                        af += overlap;
                    }
                }
            }
            if (covered < minFraction * windowSeconds) {
                labels[w] = -1;
            } else {
                labels[w] = af >= minFraction * windowSeconds ? 1 : 0;
            }
        }
        return labels;
    }

    /**
     * Rhythm intervals from WFDB annotations: each rhythm change lasts until the next one or
     * {@code endSeconds}.
     */
    public static List<RhythmInterval> intervals(List<MitAnnotation> annotations, double endSeconds) {
        List<MitAnnotation> changes = new ArrayList<>();
        for (MitAnnotation a : annotations) {
            if (a.isRhythmChange()) {
                changes.add(a);
            }
        }
        changes.sort((x, y) -> Double.compare(x.time(), y.time()));
        List<RhythmInterval> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            MitAnnotation c = changes.get(i);
            double end = i + 1 < changes.size() ? changes.get(i + 1).time() : Math.max(endSeconds, c.time());
            if (end > c.time()) {
                long endSample = i + 1 < changes.size() ? changes.get(i + 1).sample() : c.sample();
                out.add(new RhythmInterval(c.rhythm(), c.sample(), endSample, c.time(), end));
            }
        }
        return out;
    }
}

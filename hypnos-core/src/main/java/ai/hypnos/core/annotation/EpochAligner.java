package ai.hypnos.core.annotation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns stage intervals into a hypnogram of fixed epochs aligned to the recording start.
 *
 * <p>The rule, for every epoch {@code [i·L, (i+1)·L)}: the stage whose intervals cover most of
 * it wins, provided they cover at least half of it; otherwise the epoch is unscored. A tie (two
 * stages covering exactly half each) goes to the stage that started first. When the scoring is
 * on the epoch grid (onsets and durations multiples of L, the usual case) this is exactly the
 * scored stage; when it is not (a scoring that starts 10 s after the recording, say), no onset is
 * silently shifted: each epoch takes what covers its majority and a warning says how many
 * intervals were off the grid and by how much.
 */
public final class EpochAligner {
    /** Onsets within this many seconds of the grid count as on it (file time resolution). */
    private static final double GRID_TOLERANCE = 1e-3;
    /**
     * Longest scoring accepted when the recording length is unknown: a week. The hypnogram is
     * allocated up to the last interval's end, so one corrupt onset (a TAL at +9e9 s) would
     * otherwise ask for gigabytes; no sleep study runs that long.
     */
    static final double MAX_UNKNOWN_SECONDS = 7 * 24 * 3600;

    private EpochAligner() {
    }

    /**
     * Aligns intervals to epochs.
     *
     * @param intervals        stage intervals (any order)
     * @param recordingSeconds recording length; {@code NaN} or ≤ 0 means "unknown": the
     *                         hypnogram then ends with the last whole epoch the intervals reach
     * @param epochSeconds     epoch length (30 for AASM)
     * @param warnings         receives one line per oddity
     * @throws IllegalArgumentException if the length is unknown and an interval ends more than
     *                                  7 days after the start, naming the interval
     */
    public static Hypnogram align(List<StageInterval> intervals, double recordingSeconds, double epochSeconds,
            List<String> warnings) {
        if (!(epochSeconds > 0)) {
            throw new IllegalArgumentException("epoch length must be positive, got " + epochSeconds);
        }
        List<StageInterval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingDouble(StageInterval::onset));
        double end = recordingSeconds;
        if (!(end > 0)) {
            end = 0;
            for (StageInterval s : sorted) {
                if (!(s.end() <= MAX_UNKNOWN_SECONDS)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "stage '%s' at %s s lasting %s s ends after %.0f s (7 days), and the recording length is"
                                    + " unknown: a corrupt onset or duration? (give the recording length to clip it)",
                            s.text(), s.onset(), s.duration(), MAX_UNKNOWN_SECONDS));
                }
                end = Math.max(end, s.end());
            }
        }
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.floor(end / epochSeconds + 1e-6));
        checkGrid(sorted, epochSeconds, warnings);
        checkOverlaps(sorted, warnings);
        if (recordingSeconds > 0 && !sorted.isEmpty()) {
            double last = sorted.stream().mapToDouble(StageInterval::end).max().orElse(0);
            if (last > n * epochSeconds + GRID_TOLERANCE) {
                warnings.add(String.format(Locale.ROOT,
                        "stages are scored up to %.3f s but the recording holds %d whole epochs (%.3f s): the rest is dropped",
                        last, n, n * epochSeconds));
            }
        }

        // per epoch, coverage per stage in order of first appearance (ties go to the earlier stage)
        int kinds = SleepStage.values().length;
        double[][] cover = new double[n][];
        int[][] order = new int[n][];
        int[] seen = new int[n];
        for (StageInterval s : sorted) {
            double a = Math.max(0, s.onset());
            double b = Math.min(s.end(), n * epochSeconds);
            if (b <= a) {
                continue;
            }
            int first = (int) Math.floor(a / epochSeconds);
            int last = Math.min(n - 1, (int) Math.ceil(b / epochSeconds) - 1);
            for (int e = first; e <= last; e++) {
                double overlap = Math.min(b, (e + 1) * epochSeconds) - Math.max(a, e * epochSeconds);
                if (overlap <= 0) {
                    continue;
                }
                if (cover[e] == null) {
                    cover[e] = new double[kinds];
                    order[e] = new int[kinds];
                }
                int k = s.stage().ordinal();
                if (cover[e][k] == 0) {
                    order[e][seen[e]++] = k;
                }
                cover[e][k] += overlap;
            }
        }
        SleepStage[] stages = new SleepStage[n];
        int noMajority = 0;
        for (int e = 0; e < n; e++) {
            stages[e] = SleepStage.UNSCORED;
            if (cover[e] == null) {
                continue;
            }
            int best = -1;
            for (int j = 0; j < seen[e]; j++) {
                int k = order[e][j];
                if (best < 0 || cover[e][k] > cover[e][best] + 1e-9) {
                    best = k;
                }
            }
            if (cover[e][best] >= epochSeconds / 2 - 1e-9) {
                stages[e] = SleepStage.values()[best];
            } else {
                noMajority++;
            }
        }
        if (noMajority > 0) {
            warnings.add(noMajority + " epochs are covered by stages but by none for half the epoch: marked unscored");
        }
        return new Hypnogram(epochSeconds, stages);
    }

    private static void checkGrid(List<StageInterval> sorted, double epochSeconds, List<String> warnings) {
        int off = 0;
        StageInterval firstOff = null;
        for (StageInterval s : sorted) {
            if (!onGrid(s.onset(), epochSeconds) || !onGrid(s.duration(), epochSeconds)) {
                off++;
                if (firstOff == null) {
                    firstOff = s;
                }
            }
        }
        if (off > 0) {
            double shift = firstOff.onset() - Math.floor(firstOff.onset() / epochSeconds) * epochSeconds;
            warnings.add(String.format(Locale.ROOT,
                    "%d of %d stage intervals are not on the %.0f-s epoch grid of the recording start (first: '%s' at %.3f s,"
                            + " %.3f s into its epoch, lasting %.3f s); each epoch takes the stage covering most of it"
                            + " (at least half), else unscored", off, sorted.size(), epochSeconds, firstOff.text(),
                    firstOff.onset(), shift, firstOff.duration()));
        }
    }

    private static void checkOverlaps(List<StageInterval> sorted, List<String> warnings) {
        int overlaps = 0;
        double reach = Double.NEGATIVE_INFINITY;
        for (StageInterval s : sorted) {
            if (s.onset() < reach - GRID_TOLERANCE) {
                overlaps++;
            }
            reach = Math.max(reach, s.end());
        }
        if (overlaps > 0) {
            warnings.add(overlaps + " stage intervals overlap an earlier one; overlapping time counts for both stages");
        }
    }

    private static boolean onGrid(double t, double epochSeconds) {
        double r = t - Math.rint(t / epochSeconds) * epochSeconds;
        return Math.abs(r) <= GRID_TOLERANCE;
    }
}

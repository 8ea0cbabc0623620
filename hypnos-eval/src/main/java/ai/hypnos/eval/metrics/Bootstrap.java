package ai.hypnos.eval.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Percentile bootstrap confidence intervals, seeded and repeatable.
 *
 * <p>Each replicate draws rows with replacement — or, with groups, whole subjects with
 * replacement (the cluster bootstrap: epochs of one night are not independent, so subject-level
 * resampling gives honest intervals). A replicate is passed to the statistic as a weight per row
 * (how many times the row, or its subject, was drawn), which weighted metrics treat exactly like
 * duplicated rows. Replicates where the statistic is undefined (NaN, e.g. a single class drawn)
 * are skipped and counted. Bounds are numpy's default (linear) percentiles of the valid replicates.
 */
public final class Bootstrap {
    /** A statistic of weighted rows; returns NaN where undefined. */
    @FunctionalInterface
    public interface WeightedStatistic {
        double apply(double[] weights);
    }

    private final int resamples;
    private final double level;
    private final long seed;

    /**
     * @param resamples number of replicates (e.g. 1000)
     * @param level     confidence level in (0, 1), e.g. 0.95
     * @param seed      seed of the resampling
     */
    public Bootstrap(int resamples, double level, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("need at least 1 resample, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
    }

    /** 1000 replicates, 95 %, seed 0. */
    public static Bootstrap defaults() {
        return new Bootstrap(1000, 0.95, 0L);
    }

    public int resamples() {
        return resamples;
    }

    public double level() {
        return level;
    }

    public long seed() {
        return seed;
    }

    /**
     * The statistic on all rows (unit weights) with its percentile interval.
     *
     * @param n         number of rows
     * @param groups    group (subject) per row for cluster resampling, or {@code null} for rows
     * @param statistic the weighted statistic
     */
    public ConfidenceInterval interval(int n, int[] groups, WeightedStatistic statistic) {
        if (groups != null && groups.length != n) {
            throw new IllegalArgumentException(groups.length + " groups for " + n + " rows");
        }
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        double estimate = statistic.apply(ones);
        int[][] members = groups == null ? null : members(groups);
        // Child seeds drawn in order keep replicates identical whatever the thread schedule.
        SplittableRandom root = new SplittableRandom(seed);
        long[] seeds = new long[resamples];
        for (int r = 0; r < resamples; r++) {
            seeds[r] = root.nextLong();
        }
        double[] reps = new double[resamples];
        IntStream.range(0, resamples).parallel().forEach(r -> {
            SplittableRandom rng = new SplittableRandom(seeds[r]);
            double[] w = new double[n];
            if (members == null) {
                for (int i = 0; i < n; i++) {
                    w[rng.nextInt(n)] += 1;
                }
            } else {
                for (int g = 0; g < members.length; g++) {
                    for (int row : members[rng.nextInt(members.length)]) {
                        w[row] += 1;
                    }
                }
            }
            reps[r] = statistic.apply(w);
        });
        double[] valid = Arrays.stream(reps).filter(Double::isFinite).sorted().toArray();
        if (valid.length == 0) {
            return new ConfidenceInterval(estimate, Double.NaN, Double.NaN, level, resamples, 0, groups != null);
        }
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate, percentile(valid, alpha), percentile(valid, 1 - alpha),
                level, resamples, valid.length, groups != null);
    }

    /** Row indices of each distinct group, groups in order of first appearance. */
    static int[][] members(int[] groups) {
        Map<Integer, Integer> index = new HashMap<>();
        int[] count = new int[groups.length];
        int[] groupOf = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            int g = index.computeIfAbsent(groups[i], k -> index.size());
            groupOf[i] = g;
            count[g]++;
        }
        int[][] m = new int[index.size()][];
        for (int g = 0; g < m.length; g++) {
            m[g] = new int[count[g]];
        }
        int[] fill = new int[m.length];
        for (int i = 0; i < groups.length; i++) {
            m[groupOf[i]][fill[groupOf[i]]++] = i;
        }
        return m;
    }

    /** numpy.percentile(sorted, 100·q) with linear interpolation; {@code sorted} ascending. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }
}

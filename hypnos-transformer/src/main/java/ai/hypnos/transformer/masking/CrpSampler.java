package ai.hypnos.transformer.masking;

import java.util.random.RandomGenerator;

/**
 * Chinese Restaurant Process partitions of M modality slots (DESIGN §6): slot 0 opens group 0;
 * slot m joins an existing group g with probability {@code |g| / (m + α)} or opens a new group
 * with probability {@code α / (m + α)}. Groups are numbered in order of first appearance.
 * The expected number of groups is {@code Σ_{i<M} α / (α + i)} (2.72 for M = 8, α = 1).
 */
public final class CrpSampler {
    private CrpSampler() {
    }

    /** One partition: the group of each of the {@code m} slots. */
    public static int[] sample(int m, double alpha, RandomGenerator rng) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("CRP concentration must be > 0, got " + alpha);
        }
        int[] group = new int[m];
        if (m == 0) {
            return group;
        }
        int[] sizes = new int[m];
        sizes[0] = 1;
        int groups = 1;
        for (int slot = 1; slot < m; slot++) {
            double u = rng.nextDouble() * (slot + alpha);
            int chosen = groups; // a new group unless u falls inside an existing group's share
            double acc = 0;
            for (int g = 0; g < groups; g++) {
                acc += sizes[g];
                if (u < acc) {
                    chosen = g;
                    break;
                }
            }
            group[slot] = chosen;
            sizes[chosen]++;
            if (chosen == groups) {
                groups++;
            }
        }
        return group;
    }

    /** The expected number of groups of a CRP over {@code m} slots. */
    public static double expectedGroups(int m, double alpha) {
        double e = 0;
        for (int i = 0; i < m; i++) {
            e += alpha / (alpha + i);
        }
        return e;
    }
}

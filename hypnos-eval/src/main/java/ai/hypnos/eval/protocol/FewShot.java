package ai.hypnos.eval.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Few-shot subsets of labelled training subjects: for each seed, the training subjects are put in
 * a random order and the first {@code max(1, round(f·n))} are kept for each fraction f. Subsets
 * of one seed are therefore nested (1 % ⊂ 10 % ⊂ 100 %), and the same seed always picks the same
 * subjects from the same list.
 */
public final class FewShot {
    private final double[] fractions;
    private final long[] seeds;

    /**
     * @param fractions label fractions in (0, 1], e.g. {0.01, 0.1, 1.0}
     * @param seeds     one subset draw per seed
     */
    public FewShot(double[] fractions, long[] seeds) {
        if (fractions.length == 0 || seeds.length == 0) {
            throw new IllegalArgumentException("need at least one fraction and one seed");
        }
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("label fractions must be in (0, 1], got " + f);
            }
        }
        this.fractions = fractions.clone();
        Arrays.sort(this.fractions);
        this.seeds = seeds.clone();
    }

    /** 1 %, 10 %, 100 % over seeds 0..count-1. */
    public static FewShot standard(int seedCount) {
        long[] s = new long[seedCount];
        for (int i = 0; i < seedCount; i++) {
            s[i] = i;
        }
        return new FewShot(new double[] {0.01, 0.1, 1.0}, s);
    }

    public double[] fractions() {
        return fractions.clone();
    }

    public long[] seeds() {
        return seeds.clone();
    }

    /** Number of subjects kept out of {@code n} for fraction {@code f} (at least one). */
    public static int count(double f, int n) {
        return Math.min(n, Math.max(1, (int) Math.round(f * n)));
    }

    /**
     * The training subset for one fraction and seed.
     *
     * @param salt mixed into the seed so that different folds draw different subsets (e.g. the
     *             fold number); use 0 for a single split
     */
    public List<String> subset(List<String> trainSubjects, double fraction, long seed, long salt) {
        List<String> order = new ArrayList<>(trainSubjects);
        SubjectKFold.shuffle(order, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + salt));
        return List.copyOf(order.subList(0, count(fraction, order.size())));
    }
}

package ai.hypnos.eval.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Subject-grouped k-fold cross-validation: subjects are shuffled with the seed and dealt round
 * robin into k folds (sizes differ by at most one); fold i tests on its subjects and trains on all
 * others. Every subject is tested exactly once and never trained on in the same fold — epochs of
 * one night never sit on both sides.
 */
public final class SubjectKFold {
    private final int k;
    private final long seed;

    public SubjectKFold(int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k-fold needs k >= 2, got " + k);
        }
        this.k = k;
        this.seed = seed;
    }

    public int k() {
        return k;
    }

    /** The k splits of these (distinct) subjects, named {@code fold-1..fold-k}. */
    public List<Split> splits(List<String> subjects) {
        if (subjects.size() < k) {
            throw new IllegalArgumentException(k + "-fold cross-validation needs at least " + k + " subjects, got " + subjects.size());
        }
        if (subjects.stream().distinct().count() != subjects.size()) {
            throw new IllegalArgumentException("subject list has duplicates");
        }
        List<String> order = new ArrayList<>(subjects);
        shuffle(order, new SplittableRandom(seed));
        List<List<String>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        for (int i = 0; i < order.size(); i++) {
            folds.get(i % k).add(order.get(i));
        }
        List<Split> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<String> train = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                if (g != f) {
                    train.addAll(folds.get(g));
                }
            }
            out.add(new Split("fold-" + (f + 1), train, folds.get(f)));
        }
        return out;
    }

    /** Fisher–Yates shuffle. */
    static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

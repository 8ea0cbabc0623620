package ai.hypnos.train.cohort;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Assigns subjects to train/validation/test by hashing: a subject's split is a function of its
 * id and the seed only. Every recording of a subject therefore lands in the same split (no
 * leakage between splits), and adding subjects to a cohort never moves the ones already there —
 * unlike a shuffled list cut into fractions, which reshuffles everybody when the list grows.
 *
 * <p>The fractions hold in expectation; a small cohort can come out uneven (even with an empty
 * validation or test split), so {@link Cohort} logs the counts.
 */
public final class SubjectSplitter {
    private final double valFraction;
    private final double testFraction;
    private final long seed;

    /**
     * @param valFraction  expected share of validation subjects
     * @param testFraction expected share of test subjects
     * @param seed         salt of the hash: another seed draws another partition
     */
    public SubjectSplitter(double valFraction, double testFraction, long seed) {
        if (!(valFraction >= 0) || !(testFraction >= 0) || valFraction + testFraction >= 1) {
            throw new IllegalArgumentException("split fractions must be >= 0 and leave room for training: val "
                    + valFraction + ", test " + testFraction);
        }
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /** 80 % train, 10 % validation, 10 % test, seed 0. */
    public static SubjectSplitter defaults() {
        return new SubjectSplitter(0.1, 0.1, 0);
    }

    /** The split of a subject. */
    public Split splitOf(String subject) {
        double u = unitHash(subject);
        if (u < testFraction) {
            return Split.TEST;
        }
        if (u < testFraction + valFraction) {
            return Split.VAL;
        }
        return Split.TRAIN;
    }

    /** A uniform number in [0, 1) from SHA-256 of the seed and the subject id. */
    private double unitHash(String subject) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("hypnos-split:" + seed + ":").getBytes(StandardCharsets.UTF_8));
            sha.update(subject.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(sha.digest()).getLong();
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    public double valFraction() {
        return valFraction;
    }

    public double testFraction() {
        return testFraction;
    }

    public long seed() {
        return seed;
    }
}

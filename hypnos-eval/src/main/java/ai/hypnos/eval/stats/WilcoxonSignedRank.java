package ai.hypnos.eval.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The two-sided Wilcoxon signed-rank test of paired samples, computed as
 * {@code scipy.stats.wilcoxon(x, y)} with its defaults ({@code zero_method="wilcox"},
 * {@code correction=False}, {@code method="auto"}; scipy ≥ 1.13 rules):
 * <ul>
 *   <li>differences {@code d = x − y}; zero differences are dropped; the rest ranked by |d|
 *       (ties get average ranks); {@code r⁺} = sum of ranks of positive differences;</li>
 *   <li><b>exact</b> null distribution of {@code r⁺} when there are at most 50 pairs and neither
 *       zeros nor ties: {@code p = min(1, 2·min(P(T ≥ r⁺), P(T ≤ r⁺)))};</li>
 *   <li>with zeros or ties and at most 13 pairs: the exact <b>permutation</b> (sign-flip)
 *       distribution of {@code r⁺} over all 2ⁿ sign patterns of the tied ranks (what scipy's
 *       {@code permutation_test} enumerates);</li>
 *   <li>otherwise the <b>normal approximation</b> {@code z = (r⁺ − n(n+1)/4) / σ} with the tie
 *       correction {@code σ² = [n(n+1)(2n+1) − ½Σ(t³−t)] / 24} and no continuity correction.</li>
 * </ul>
 * The reported statistic is {@code min(r⁺, r⁻)}, as scipy's two-sided result. With no non-zero
 * difference at all the test returns statistic 0 and p = 1 (scipy ≥ 1.13).
 *
 * <p>Why not commons-math3's {@code WilcoxonSignedRankTest}: it keeps zero differences in the
 * ranking, computes exact p-values only up to 30 pairs (and ignores ties there), and its normal
 * approximation has a continuity correction but no tie correction — so its p-values differ from
 * scipy's, which is what sleep papers report. {@code docs/evaluation.md} shows an example.
 */
public final class WilcoxonSignedRank {
    /** Largest number of pairs for the exact distribution (scipy's rule). */
    static final int EXACT_LIMIT = 50;
    /** Largest number of pairs for the permutation distribution with ties or zeros (scipy's rule). */
    static final int PERMUTATION_LIMIT = 13;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    /** How the p-value was computed. */
    public enum Method {
        EXACT, PERMUTATION, NORMAL_APPROXIMATION, NO_DIFFERENCES
    }

    /**
     * @param statistic min(r⁺, r⁻)
     * @param rPlus     sum of ranks of positive differences
     * @param pValue    two-sided p-value
     * @param z         normal-approximation z of r⁺ (NaN unless that method was used)
     * @param nonZero   pairs with a non-zero difference
     * @param pairs     all pairs
     * @param method    how p was computed
     */
    public record Result(double statistic, double rPlus, double pValue, double z, int nonZero, int pairs, Method method) {
    }

    private WilcoxonSignedRank() {
    }

    /** Tests {@code x} against {@code y} (paired, same length, finite). */
    public static Result test(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: " + x[i] + " - " + y[i]);
            }
        }
        return testDifferences(d);
    }

    /** Tests the differences {@code d} against a median of zero. */
    public static Result testDifferences(double[] d) {
        if (d.length == 0) {
            throw new IllegalArgumentException("no pairs to test");
        }
        int pairs = d.length;
        double[] nz = Arrays.stream(d).filter(v -> v != 0).toArray();
        int n = nz.length;
        boolean zeros = n < pairs;
        if (n == 0) {
            return new Result(0, 0, 1.0, Double.NaN, 0, pairs, Method.NO_DIFFERENCES);
        }
        // Rank |d| with average ranks for ties; keep tie-group sizes for the variance correction.
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(nz[a]), Math.abs(nz[b])));
        double[] rank = new double[n];
        double tieTerm = 0;
        boolean ties = false;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && Math.abs(nz[idx[j + 1]]) == Math.abs(nz[idx[i]])) {
                j++;
            }
            double avg = (i + j + 2) / 2.0; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                rank[idx[k]] = avg;
            }
            int t = j - i + 1;
            if (t > 1) {
                ties = true;
                tieTerm += (double) t * t * t - t;
            }
            i = j + 1;
        }
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < n; i++) {
            if (nz[i] > 0) {
                rPlus += rank[i];
            } else {
                rMinus += rank[i];
            }
        }
        double statistic = Math.min(rPlus, rMinus);
        if (pairs <= EXACT_LIMIT && !zeros && !ties) {
            double[] pmf = signedRankPmf(doubledRanks(rank));
            int r2 = (int) Math.round(2 * rPlus);
            return new Result(statistic, rPlus, twoSided(pmf, r2), Double.NaN, n, pairs, Method.EXACT);
        }
        if (pairs <= PERMUTATION_LIMIT) {
            double[] pmf = signedRankPmf(doubledRanks(rank));
            int r2 = (int) Math.round(2 * rPlus);
            return new Result(statistic, rPlus, twoSided(pmf, r2), Double.NaN, n, pairs, Method.PERMUTATION);
        }
        double mean = n * (n + 1) / 4.0;
        double var = (n * (n + 1.0) * (2.0 * n + 1) - tieTerm / 2) / 24;
        double z = (rPlus - mean) / Math.sqrt(var);
        double p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
        return new Result(statistic, rPlus, Math.min(1.0, p), z, n, pairs, Method.NORMAL_APPROXIMATION);
    }

    private static int[] doubledRanks(double[] rank) {
        int[] r = new int[rank.length];
        for (int i = 0; i < rank.length; i++) {
            r[i] = (int) Math.round(2 * rank[i]);
        }
        return r;
    }

    /**
     * Distribution of {@code 2·r⁺} when each rank's sign is + or − with probability ½
     * independently (the null of the test): subset-sum counting over the doubled ranks.
     */
    static double[] signedRankPmf(int[] doubledRanks) {
        int total = 0;
        for (int r : doubledRanks) {
            total += r;
        }
        double[] count = new double[total + 1];
        count[0] = 1;
        int reach = 0;
        for (int r : doubledRanks) {
            for (int s = reach; s >= 0; s--) {
                if (count[s] != 0) {
                    count[s + r] += count[s];
                }
            }
            reach += r;
        }
        double all = Math.pow(2, doubledRanks.length);
        for (int s = 0; s <= total; s++) {
            count[s] /= all;
        }
        return count;
    }

    /** {@code min(1, 2·min(P(T ≤ t), P(T ≥ t)))} for the pmf over doubled statistics. */
    private static double twoSided(double[] pmf, int t) {
        double le = 0;
        double ge = 0;
        for (int s = 0; s < pmf.length; s++) {
            if (s <= t) {
                le += pmf[s];
            }
            if (s >= t) {
                ge += pmf[s];
            }
        }
        return Math.min(1.0, 2 * Math.min(le, ge));
    }
}

package ai.hypnos.eval.metrics;

/**
 * A point estimate with a two-sided bootstrap percentile interval.
 *
 * @param estimate  the statistic on the full data
 * @param lower     lower bound ({@code (1-level)/2} percentile of the replicates)
 * @param upper     upper bound ({@code (1+level)/2} percentile)
 * @param level     confidence level, e.g. 0.95
 * @param resamples replicates drawn
 * @param valid     replicates where the statistic was defined (e.g. both classes drawn)
 * @param bySubject whether replicates drew whole subjects (the cluster bootstrap) rather than rows;
 *                  carried here so that a report can say which kind of interval it prints
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level, int resamples, int valid,
                                 boolean bySubject) {

    /** Whether {@code lower ≤ value ≤ upper}. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}

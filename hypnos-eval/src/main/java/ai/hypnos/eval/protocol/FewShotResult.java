package ai.hypnos.eval.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Few-shot results: one cross-validated evaluation per (label fraction, seed).
 *
 * @param points every run
 */
public record FewShotResult(List<Point> points) {

    /**
     * @param fraction      share of labelled training subjects
     * @param seed          subset seed
     * @param trainSubjects training subjects per fold (first fold; others differ by at most one)
     * @param result        the pooled evaluation over folds
     */
    public record Point(double fraction, long seed, int trainSubjects, EvaluationResult result) {
    }

    /**
     * Mean and sample standard deviation over seeds of a metric, per fraction (ascending).
     *
     * @return rows {@code {fraction, mean, std, seeds}}
     */
    public List<double[]> curve(ToDoubleFunction<EvaluationResult> metric) {
        TreeMap<Double, List<Double>> by = new TreeMap<>();
        for (Point p : points) {
            by.computeIfAbsent(p.fraction(), k -> new ArrayList<>()).add(metric.applyAsDouble(p.result()));
        }
        List<double[]> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN;
            out.add(new double[] {e.getKey(), mean, std, v.length});
        }
        return out;
    }
}

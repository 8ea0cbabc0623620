package ai.hypnos.eval.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Paired comparisons of two models over subjects: for each named comparison (a metric, a task, a
 * label fraction...), per-subject scores of model A and model B are matched by subject, tested
 * with {@link WilcoxonSignedRank}, and all p-values of the family are adjusted together with
 * {@link BenjaminiHochberg}.
 *
 * <pre>{@code
 * List<PairedComparison.Outcome> out = new PairedComparison()
 *         .add("kappa", kappaHypnos, kappaCnn)       // Map<subject, value>
 *         .add("macro-F1", f1Hypnos, f1Cnn)
 *         .run();
 * }</pre>
 */
public final class PairedComparison {

    /**
     * @param name              the comparison's name
     * @param subjects          subjects scored by both models
     * @param meanA             mean of A over those subjects
     * @param meanB             mean of B
     * @param medianDifference  median of A − B
     * @param test              the Wilcoxon result (raw p-value)
     * @param adjustedP         Benjamini–Hochberg adjusted p-value within the family
     */
    public record Outcome(String name, List<String> subjects, double meanA, double meanB, double medianDifference,
                          WilcoxonSignedRank.Result test, double adjustedP) {
    }

    private record Input(String name, Map<String, Double> a, Map<String, Double> b) {
    }

    private final List<Input> inputs = new ArrayList<>();

    /** Adds one comparison; subjects missing from either map (or NaN) are left out of it. */
    public PairedComparison add(String name, Map<String, Double> a, Map<String, Double> b) {
        inputs.add(new Input(name, Map.copyOf(a), Map.copyOf(b)));
        return this;
    }

    /** Runs every comparison and adjusts their p-values together. */
    public List<Outcome> run() {
        List<String[]> subjectLists = new ArrayList<>();
        List<WilcoxonSignedRank.Result> tests = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        for (Input in : inputs) {
            TreeSet<String> common = new TreeSet<>();
            for (String s : in.a().keySet()) {
                Double va = in.a().get(s);
                Double vb = in.b().get(s);
                if (vb != null && Double.isFinite(va) && Double.isFinite(vb)) {
                    common.add(s);
                }
            }
            if (common.isEmpty()) {
                throw new IllegalArgumentException("comparison '" + in.name() + "': no subject has finite scores from both models");
            }
            double[] xa = new double[common.size()];
            double[] xb = new double[common.size()];
            int i = 0;
            for (String s : common) {
                xa[i] = in.a().get(s);
                xb[i] = in.b().get(s);
                i++;
            }
            double[] diff = new double[xa.length];
            for (int k = 0; k < diff.length; k++) {
                diff[k] = xa[k] - xb[k];
            }
            Arrays.sort(diff);
            double median = diff.length % 2 == 1 ? diff[diff.length / 2]
                    : (diff[diff.length / 2 - 1] + diff[diff.length / 2]) / 2;
            subjectLists.add(common.toArray(String[]::new));
            tests.add(WilcoxonSignedRank.test(xa, xb));
            means.add(new double[] {Arrays.stream(xa).average().orElse(Double.NaN),
                Arrays.stream(xb).average().orElse(Double.NaN), median});
        }
        double[] p = tests.stream().mapToDouble(WilcoxonSignedRank.Result::pValue).toArray();
        double[] adj = BenjaminiHochberg.adjust(p);
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            double[] m = means.get(i);
            out.add(new Outcome(inputs.get(i).name(), List.of(subjectLists.get(i)), m[0], m[1], m[2], tests.get(i), adj[i]));
        }
        return out;
    }
}

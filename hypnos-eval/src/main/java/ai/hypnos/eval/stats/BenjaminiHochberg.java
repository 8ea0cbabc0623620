package ai.hypnos.eval.stats;

import java.util.Arrays;

/**
 * Benjamini–Hochberg false-discovery-rate adjustment: the adjusted p-value of the i-th smallest of
 * m p-values is {@code min over j ≥ i of (m·p₍ⱼ₎ / j)}, capped at 1 — the same numbers as
 * statsmodels' {@code multipletests(p, method="fdr_bh")[1]} and R's {@code p.adjust(p, "BH")}.
 * NaN p-values are passed through and not counted in m.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** Adjusted p-values, in the order of the input. */
    public static double[] adjust(double[] p) {
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        Integer[] idx = java.util.stream.IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed().toArray(Integer[]::new);
        for (int i : idx) {
            if (p[i] < 0 || p[i] > 1) {
                throw new IllegalArgumentException("p-value " + p[i] + " at index " + i + " is outside [0, 1]");
            }
        }
        Arrays.sort(idx, (a, b) -> Double.compare(p[a], p[b]));
        int m = idx.length;
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = idx[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            out[i] = running;
        }
        return out;
    }

    /** Which hypotheses are rejected at false-discovery rate {@code q}. */
    public static boolean[] reject(double[] p, double q) {
        double[] adj = adjust(p);
        boolean[] r = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = adj[i] <= q;
        }
        return r;
    }
}

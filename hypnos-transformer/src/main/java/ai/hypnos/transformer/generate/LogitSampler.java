package ai.hypnos.transformer.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws one code from a row of logits on the host: temperature, then top-k, then top-p
 * filtering, then an inverse-CDF draw from the softmax (DJL has no multinomial sampler, and a
 * 2048-way row is cheap to sample in Java). Seeded, so generation is reproducible.
 */
public final class LogitSampler {
    private final SamplingOptions options;
    private final SplittableRandom random;

    public LogitSampler(SamplingOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    /** A code index in {@code [0, logits.length)}. */
    public int sample(float[] logits) {
        int v = logits.length;
        if (options.temperature() <= 0) {
            return argmax(logits);
        }
        double[] l = new double[v];
        for (int i = 0; i < v; i++) {
            l[i] = logits[i] / options.temperature();
        }
        if (options.topK() > 0 && options.topK() < v) {
            double[] sorted = l.clone();
            Arrays.sort(sorted);
            double kth = sorted[v - options.topK()];
            for (int i = 0; i < v; i++) {
                if (l[i] < kth) {
                    l[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double x : l) {
            max = Math.max(max, x);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp(l[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < v; i++) {
            p[i] /= sum;
        }
        if (options.topP() > 0 && options.topP() < 1) {
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            double before = 0; // probability of the codes ranked above this one
            double kept = 0;
            boolean[] keep = new boolean[v];
            for (int r = 0; r < v; r++) {
                int i = order[r];
                if (before > options.topP()) {
                    break;
                }
                keep[i] = true;
                kept += p[i];
                before += p[i];
            }
            for (int i = 0; i < v; i++) {
                p[i] = keep[i] ? p[i] / kept : 0;
            }
        }
        double u = random.nextDouble();
        double acc = 0;
        int last = -1;
        for (int i = 0; i < v; i++) {
            if (p[i] <= 0) {
                continue;
            }
            last = i;
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        return last >= 0 ? last : argmax(logits);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}

package ai.hypnos.train.pretrain;

import ai.djl.ndarray.NDManager;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TrainingOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation loss on a fixed set of windows: per modality, the next-token cross-entropy (mean
 * over levels, nats) over the windows where the modality is present, with every present
 * modality visible (no masking, no dropout); overall, the mean over modalities. Also the
 * baseline it is judged against: each modality's unigram entropy on the same windows (mean over
 * levels of the entropy of the level's code frequencies) — the loss of a model that knows code
 * frequencies but nothing about context.
 */
public final class Validation {
    /**
     * @param loss        mean over modalities of {@code perModality}
     * @param perModality loss per modality (NaN for one absent from every window)
     */
    public record Result(double loss, Map<String, Double> perModality) {
    }

    private final List<TokenBatch> batches;
    private final ShardLayout layout;

    public Validation(List<TokenBatch> batches, ShardLayout layout) {
        this.batches = List.copyOf(batches);
        this.layout = layout;
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Windows in the set. */
    public int windows() {
        return batches.stream().mapToInt(TokenBatch::batch).sum();
    }

    /** The validation loss of a model (one NDManager scope per batch). */
    public Result evaluate(RqTransformer model) {
        int m = layout.size();
        double[] sum = new double[m];
        long[] count = new long[m];
        for (TokenBatch b : batches) {
            float[] losses;
            try (NDManager scope = model.parameters().manager().newSubManager()) {
                TrainingOutput out = model.evaluate(b, scope);
                losses = out.perModalityLoss();
            }
            boolean[] presence = b.presence();
            for (int i = 0; i < m; i++) {
                int present = 0;
                for (int s = 0; s < b.batch(); s++) {
                    present += presence[s * m + i] ? 1 : 0;
                }
                if (present > 0 && Float.isFinite(losses[i])) {
                    sum[i] += (double) losses[i] * present;
                    count[i] += present;
                }
            }
        }
        return result(sum, count);
    }

    /** Unigram entropy (nats) per modality of the validation tokens. */
    public Result unigramEntropy() {
        int m = layout.size();
        double[] sum = new double[m];
        long[] count = new long[m];
        for (int i = 0; i < m; i++) {
            int k = layout.modality(i).numQuantizers();
            int v = layout.modality(i).codebookSize();
            long[][] freq = new long[k][v];
            long n = 0;
            for (TokenBatch b : batches) {
                boolean[] presence = b.presence();
                for (int s = 0; s < b.batch(); s++) {
                    if (!presence[s * m + i]) {
                        continue;
                    }
                    for (int t = 0; t < b.seconds(); t++) {
                        for (int j = 0; j < k; j++) {
                            freq[j][b.token(s, t, layout.columnOffset(i) + j)]++;
                        }
                    }
                    n += b.seconds();
                }
            }
            if (n == 0) {
                continue;
            }
            double h = 0;
            for (int j = 0; j < k; j++) {
                for (long c : freq[j]) {
                    if (c > 0) {
                        double p = c / (double) n;
                        h -= p * Math.log(p);
                    }
                }
            }
            sum[i] = h / k;
            count[i] = 1;
        }
        return result(sum, count);
    }

    private Result result(double[] sum, long[] count) {
        Map<String, Double> per = new LinkedHashMap<>();
        double total = 0;
        int n = 0;
        for (int i = 0; i < sum.length; i++) {
            double v = count[i] > 0 ? sum[i] / count[i] : Double.NaN;
            per.put(layout.modality(i).name(), v);
            if (count[i] > 0) {
                total += v;
                n++;
            }
        }
        return new Result(n > 0 ? total / n : Double.NaN, per);
    }
}

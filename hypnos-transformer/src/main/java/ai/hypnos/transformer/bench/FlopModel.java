package ai.hypnos.transformer.bench;

import ai.hypnos.transformer.TransformerConfig;

/**
 * Useful floating-point operations of the model's work, for MFU figures: 2 FLOPs per
 * multiply-add of every projection, FFN and attention product, counting only the attention
 * scores a query may see (its window), not padding or masked-out entries. Norms, softmax and
 * element-wise ops are left out (a few % at these widths).
 */
public final class FlopModel {
    private final TransformerConfig c;

    public FlopModel(TransformerConfig c) {
        this.c = c;
    }

    /** Keys attended, summed over the positions of one chunk of {@code len} tokens, for window w (0: all). */
    static double attendedKeys(int len, int w) {
        double sum = 0;
        for (int p = 0; p < len; p++) {
            sum += w > 0 ? Math.min(p + 1, w) : p + 1;
        }
        return sum;
    }

    private double ffnPerToken(long width, int hidden) {
        if (c.swiglu()) {
            long h = (long) (2.0 * hidden / 3.0);
            return 2.0 * 3 * width * h;
        }
        return 2.0 * 2 * width * hidden;
    }

    /** Temporal stack over one chunk of {@code len} seconds for {@code sequences} modality sequences. */
    public double temporalChunk(int len, long sequences) {
        long d = c.embedDim();
        double perTokenDense = 0;
        double attention = 0;
        for (int i = 0; i < c.temporalDepth(); i++) {
            perTokenDense += 2.0 * 4 * d * d + ffnPerToken(d, c.temporalFeedForward());
            attention += 2.0 * 2 * d * attendedKeys(len, c.windowOfLayer(i));
            if (c.hasModalityLayerAfter(i)) {
                perTokenDense += 2.0 * 4 * d * d + (c.modalityUseFfn() ? ffnPerToken(d, c.temporalFeedForward()) : 0);
                perTokenDense += 2.0 * 2 * d * c.numModalities();
            }
        }
        return sequences * (perTokenDense * len + attention);
    }

    /** Embedding a recording of {@code seconds} with {@code modalities} sequences in chunks. */
    public double embed(int seconds, int chunk, int modalities) {
        double total = 0;
        for (int start = 0; start < seconds; start += chunk) {
            total += temporalChunk(Math.min(chunk, seconds - start), modalities);
        }
        return total;
    }

    /** Depth transformer, heads and loss for {@code tokens} (modality-seconds), forward only. */
    public double depth(long tokens) {
        long dd = c.depthDim();
        double perToken = 0;
        int k = c.modalities().stream().mapToInt(m -> m.numQuantizers()).max().orElse(1);
        double v = c.modalities().stream().mapToInt(m -> m.codebookSize()).average().orElse(0);
        if (!c.depthTablesTied()) {
            perToken += 2.0 * c.embedDim() * dd;
        }
        for (int l = 0; l < c.depthDepth(); l++) {
            perToken += k * (2.0 * 4 * dd * dd + ffnPerToken(dd, c.depthFeedForward()));
            perToken += 2.0 * 2 * dd * attendedKeys(k, 0);
        }
        perToken += 2.0 * k * dd * v;
        return tokens * perToken;
    }

    /** A training step (forward + backward ≈ 3 × forward) on {@code batch} × {@code seconds}. */
    public double trainingStep(int batch, int seconds) {
        int m = c.numModalities();
        double forward = batch * temporalChunk(seconds, m) + depth((long) batch * seconds * m);
        return 3 * forward;
    }
}

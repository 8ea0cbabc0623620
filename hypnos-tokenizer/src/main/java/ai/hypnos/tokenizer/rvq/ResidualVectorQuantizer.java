package ai.hypnos.tokenizer.rvq;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.tokenizer.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Residual vector quantization with K {@link VectorQuantizer} levels (DESIGN §5): level i
 * quantizes what levels 0…i−1 left over; the quantized vector is the sum of the chosen codes.
 *
 * <p>Training: levels initialise in cascade (level i runs k-means only once level i−1 was
 * initialised on an earlier batch, so later levels never start from near-zero residuals); the
 * commitment loss is averaged over levels; the straight-through estimator q = x + sg(q − x)
 * passes the decoder's gradient to the encoder unchanged. Quantizer dropout: each example keeps
 * the first max(1, ⌊K·(1 − u·p)⌋) levels, u ~ U(0,1) — the reference's formula, drawn per
 * example rather than per batch. A level is trained (k-means, EMA, dead codes, commitment) only
 * by the examples that keep it, as the reference runs only the levels it keeps; the commitment
 * loss is the mean over the levels that some example kept.
 *
 * <p>Reference names: {@code quantizers.<i>.embedding.weight}, {@code .ema_cluster_size},
 * {@code .ema_embed_sum}, {@code .initialized}, {@code .usage_count}.
 */
public final class ResidualVectorQuantizer implements AutoCloseable {
    private final List<VectorQuantizer> levels = new ArrayList<>();
    private final int dim;
    private final double dropout;

    public ResidualVectorQuantizer(NDManager parent, int dim, int codebookSize, int numQuantizers,
            double commitmentCost, double emaDecay, double quantizerDropout, Rng rng) {
        this.dim = dim;
        this.dropout = quantizerDropout;
        for (int i = 0; i < numQuantizers; i++) {
            levels.add(new VectorQuantizer(parent, dim, codebookSize, emaDecay, 1e-5, commitmentCost, rng));
        }
    }

    public List<VectorQuantizer> levels() {
        return Collections.unmodifiableList(levels);
    }

    public int numQuantizers() {
        return levels.size();
    }

    public int dim() {
        return dim;
    }

    /**
     * Codes of {@code x} [N, D] with the first {@code k} levels → indices [N, k] int64 (in x's
     * manager).
     */
    public NDArray encode(NDArray x, int k) {
        NDArray residual = x;
        NDList indices = new NDList();
        for (int i = 0; i < k; i++) {
            VectorQuantizer q = levels.get(i);
            NDArray idx = q.encode(residual);
            indices.add(idx);
            if (i + 1 < k) {
                residual = residual.sub(q.decode(idx));
            }
        }
        return NDArrays.stack(indices, 1);
    }

    /** Sum of the codes of {@code indices} [..., k] (k ≤ K) → [..., D]. */
    public NDArray decode(NDArray indices) {
        long k = indices.getShape().get(indices.getShape().dimension() - 1);
        NDArray sum = null;
        for (int i = 0; i < k; i++) {
            NDArray part = levels.get(i).decode(indices.get(new NDIndex("..., {}", i)));
            sum = sum == null ? part : sum.add(part);
        }
        return sum;
    }

    /** What a training step returns. */
    public record Output(NDArray quantized, NDArray indices, NDArray commitment, NDArray levelMask) {}

    /**
     * One training step on {@code x} [N, D] (rows grouped by example: {@code rowsPerExample}
     * consecutive rows belong to one example, for quantizer dropout).
     *
     * @return quantized (straight-through: value of the codes, gradient of x), indices [N, K],
     *     mean commitment loss, and the [N, K] 0/1 mask of levels kept (null without dropout)
     */
    public Output trainStep(NDArray x, int rowsPerExample, Rng rng) {
        NDManager scope = x.getManager();
        int k = levels.size();
        long n = x.getShape().get(0);
        NDArray mask = null;
        // Per level, the rows of the examples that keep it (null: every row).
        long[][] trainingRows = new long[k][];
        if (dropout > 0) {
            float[] keep = new float[Math.toIntExact(n * k)];
            long examples = n / rowsPerExample;
            int[] keptBy = new int[Math.toIntExact(examples)];
            int[] rowsKeeping = new int[k];
            for (int e = 0; e < examples; e++) {
                keptBy[e] = Math.max(1, (int) (k * (1 - rng.nextDouble() * dropout)));
                for (long r = (long) e * rowsPerExample; r < (long) (e + 1) * rowsPerExample; r++) {
                    for (int i = 0; i < keptBy[e]; i++) {
                        keep[(int) (r * k + i)] = 1f;
                    }
                }
                for (int i = 0; i < keptBy[e]; i++) {
                    rowsKeeping[i] += rowsPerExample;
                }
            }
            for (int i = 0; i < k; i++) {
                if (rowsKeeping[i] == n) {
                    continue;
                }
                long[] rows = new long[rowsKeeping[i]];
                int at = 0;
                for (int e = 0; e < examples; e++) {
                    if (keptBy[e] > i) {
                        for (int r = 0; r < rowsPerExample; r++) {
                            rows[at++] = (long) e * rowsPerExample + r;
                        }
                    }
                }
                trainingRows[i] = rows;
            }
            mask = ai.hypnos.nn.HostData.floats(scope, keep, new Shape(n, k));
        }
        NDArray residual = x;
        NDArray sum = null;
        NDArray commitment = null;
        int levelsTrained = 0;
        NDList indices = new NDList();
        boolean previousInitialised = true;
        for (int i = 0; i < k; i++) {
            VectorQuantizer q = levels.get(i);
            boolean wasInitialised = q.isInitialized();
            VectorQuantizer.Step s = q.trainStep(residual, trainingRows[i], previousInitialised, rng);
            previousInitialised = wasInitialised;
            residual = residual.sub(s.quantized());
            NDArray contribution = mask == null ? s.quantized() : s.quantized().mul(mask.get(new NDIndex(":, {}:{}", i, i + 1)));
            sum = sum == null ? contribution : sum.add(contribution);
            if (trainingRows[i] == null || trainingRows[i].length > 0) {
                commitment = commitment == null ? s.commitment() : commitment.add(s.commitment());
                levelsTrained++;
            }
            indices.add(s.indices());
        }
        NDArray straightThrough = x.add(sum.sub(x).stopGradient());
        // Level 0 is kept by every example, so at least one level trained.
        return new Output(straightThrough, NDArrays.stack(indices, 1),
                commitment.mul(ai.hypnos.nn.HostData.scalar(commitment.getManager(), 1f / levelsTrained)), mask);
    }

    @Override
    public void close() {
        for (VectorQuantizer q : levels) {
            q.close();
        }
    }
}

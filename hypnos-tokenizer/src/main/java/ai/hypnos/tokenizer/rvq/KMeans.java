package ai.hypnos.tokenizer.rvq;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.tokenizer.Rng;

/**
 * Lloyd's k-means as the codebooks start from it (DESIGN §5; EnCodec/Moshi's {@code kmeans}):
 * seeds are k samples drawn without replacement (with replacement when there are fewer samples
 * than clusters); each iteration assigns every sample to its nearest mean (squared Euclidean,
 * lowest index on ties), recomputes the means, and reseeds empty clusters with fresh random
 * samples. Runs on the samples' device; all random indices go up in one transfer.
 */
public final class KMeans {
    private KMeans() {}

    /** Cluster means [k, D] and sizes [k] (clamped to at least 1, as the reference returns them). */
    public record Result(NDArray means, NDArray sizes) {}

    /**
     * @param samples [N, D] float32; results live in the samples' manager
     */
    public static Result fit(NDArray samples, int k, int iterations, Rng rng) {
        NDManager m = samples.getManager();
        int n = Math.toIntExact(samples.getShape().get(0));
        if (n == 0) {
            throw new IllegalArgumentException("k-means needs at least one sample");
        }
        long[] draws = new long[(iterations + 1) * k];
        for (int it = 0; it <= iterations; it++) {
            System.arraycopy(rng.sampleIndices(n, k), 0, draws, it * k, k);
        }
        NDArray allDraws = ai.hypnos.nn.HostData.longs(m, draws);
        NDArray means = samples.get(allDraws.get(new NDIndex("0:{}", k)));
        NDArray sizes = null;
        for (int it = 0; it < iterations; it++) {
            NDArray assign = VectorQuantizer.nearest(samples, means);
            NDArray onehot = assign.oneHot(k).toType(DataType.FLOAT32, false);
            NDArray counts = onehot.sum(new int[] {0});
            NDArray empty = counts.eq(0).reshape(k, 1).broadcast(new ai.djl.ndarray.types.Shape(k, samples.getShape().get(1)));
            sizes = counts.maximum(1f);
            NDArray sums = onehot.transpose().matMul(samples);
            NDArray updated = sums.div(sizes.reshape(k, 1));
            NDArray reseeded = samples.get(allDraws.get(new NDIndex("{}:{}", (it + 1) * k, (it + 2) * k)));
            means = NDArrays.where(empty, reseeded, updated);
        }
        if (sizes == null) {
            sizes = m.ones(new ai.djl.ndarray.types.Shape(k));
        }
        return new Result(means, sizes);
    }
}

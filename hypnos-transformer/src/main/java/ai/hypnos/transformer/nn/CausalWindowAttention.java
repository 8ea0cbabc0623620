package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Causal sliding-window attention: query q sees keys k with {@code 0 <= q − k < W}.
 *
 * <p>Computed blockwise (DESIGN §6): queries in blocks of W attend to the keys of their own and
 * the previous block, so a 2,048-token chunk with W = 64 computes {@code S·2W} scores instead of
 * the dense form's {@code S²} (16× fewer) and holds no {@code S×S} matrix. A sequence no longer
 * than W, or a layer without a window, uses one dense causal score matrix. All heads and all
 * sequences (batch × modalities) go through one batched matmul.
 *
 * <p>A long chunk may also be computed in segments ({@link TemporalTransformer}): a segment's
 * first block then attends to the last W keys and values of the previous segment instead of
 * padding, which gives the same result as the whole chunk.
 */
public final class CausalWindowAttention {
    private CausalWindowAttention() {
    }

    /**
     * @param q      queries {@code [N, H, S, hd]}, already scaled by {@code 1/sqrt(hd)}
     * @param k      keys {@code [N, H, S, hd]}
     * @param v      values {@code [N, H, S, hd]}
     * @param window W, or 0 for plain causal attention
     * @param ctx    the pass (masks are built once per pass)
     * @param scope  the calling block's scope (for padding arrays)
     * @return {@code [N, H, S, hd]}
     */
    public static NDArray apply(NDArray q, NDArray k, NDArray v, int window, ForwardContext ctx, NDManager scope) {
        return apply(q, k, v, window, null, ctx, scope);
    }

    /**
     * As {@link #apply(NDArray, NDArray, NDArray, int, ForwardContext, NDManager)}, continuing a
     * sequence whose earlier positions were computed before.
     *
     * @param previous {@code {keys, values}} of the W positions just before {@code q}'s first
     *                 position, each {@code [N, H, W, hd]} (after RoPE), or {@code null} at the
     *                 start of a sequence; needs {@code window > 0}
     */
    public static NDArray apply(NDArray q, NDArray k, NDArray v, int window, NDArray[] previous, ForwardContext ctx,
            NDManager scope) {
        Shape shape = q.getShape();
        long n = shape.get(0);
        long h = shape.get(1);
        int s = Math.toIntExact(shape.get(2));
        long hd = shape.get(3);
        if (previous != null && (window <= 0 || previous[0].getShape().get(2) != window)) {
            throw new IllegalArgumentException("continuing a sequence needs the last " + window
                    + " keys of a windowed layer, got " + previous[0].getShape());
        }
        if (previous == null && (window <= 0 || s <= window)) {
            NDArray scores = q.matMul(k.swapAxes(2, 3)).add(ctx.causalBias(s, 0));
            return scores.softmax(-1).matMul(v);
        }
        int w = window;
        int nb = (s + w - 1) / w;
        int pad = nb * w - s;
        if (pad > 0) {
            NDArray zeros = scope.zeros(new Shape(n, h, pad, hd), q.getDataType());
            q = q.concat(zeros, 2);
            k = k.concat(zeros, 2);
            v = v.concat(zeros, 2);
        }
        Shape blocks = new Shape(n, h, nb, w, hd);
        NDArray qb = q.reshape(blocks);
        NDArray kb = k.reshape(blocks);
        NDArray vb = v.reshape(blocks);
        // The block before block 0: padding that the bias hides, or the previous segment's keys.
        Shape one = new Shape(n, h, 1, w, hd);
        NDArray kFirst = previous == null ? scope.zeros(one, q.getDataType()) : previous[0].reshape(one);
        NDArray vFirst = previous == null ? kFirst : previous[1].reshape(one);
        NDIndex allButLast = new NDIndex(":, :, 0:{}", nb - 1);
        NDArray kPair = NDArrays.concat(new NDList(kFirst.concat(kb.get(allButLast), 2), kb), 3);
        NDArray vPair = NDArrays.concat(new NDList(vFirst.concat(vb.get(allButLast), 2), vb), 3);
        NDArray scores = qb.matMul(kPair.swapAxes(3, 4)).add(ctx.blockBias(nb, w, previous != null));
        NDArray out = scores.softmax(-1).matMul(vPair).reshape(new Shape(n, h, (long) nb * w, hd));
        return pad > 0 ? out.get(new NDIndex(":, :, 0:{}", s)) : out;
    }
}

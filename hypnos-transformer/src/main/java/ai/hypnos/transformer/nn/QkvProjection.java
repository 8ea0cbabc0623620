package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.hypnos.transformer.weights.ModelParameters;
import java.util.List;

/**
 * The bias-free {@code q_proj}, {@code k_proj}, {@code v_proj} and {@code out_proj} of an
 * attention layer. Q, K and V run as one GEMM against the three matrices concatenated: stored so
 * once for inference-only weights ({@link ModelParameters#sharedRows}), else once per pass
 * ({@link ForwardContext#fused}, inside the autograd graph).
 */
public final class QkvProjection {
    private final NDArray q;
    private final NDArray k;
    private final NDArray v;
    private final NDArray out;
    private final NDArray sharedQkv;
    private final int heads;

    /** The projections named {@code prefix.q_proj.weight} etc. */
    public QkvProjection(ModelParameters p, String prefix, int heads) {
        // Before the getters: sharing replaces the named tensors by views of the fused one.
        this.sharedQkv = p.sharedRows(List.of(prefix + ".q_proj.weight", prefix + ".k_proj.weight",
                prefix + ".v_proj.weight"));
        this.q = p.get(prefix + ".q_proj.weight");
        this.k = p.get(prefix + ".k_proj.weight");
        this.v = p.get(prefix + ".v_proj.weight");
        this.out = p.get(prefix + ".out_proj.weight");
        this.heads = heads;
    }

    public int heads() {
        return heads;
    }

    /** Model width D. */
    public long dim() {
        return q.getShape().get(0);
    }

    /**
     * Projects {@code h [..., T, D]} to {@code [3, ..., H, T, hd]} (Q, K, V stacked on the first
     * axis, heads before tokens), the layout batched attention wants.
     */
    public NDArray project(NDArray h, ForwardContext ctx) {
        NDArray w = sharedQkv != null ? sharedQkv : ctx.fused(this, 0, List.of(q, k, v));
        NDArray qkv = Linear.linear(h, w).singletonOrThrow();
        Shape s = h.getShape();
        int nd = s.dimension();
        long d = dim();
        long[] split = new long[nd + 2];
        for (int i = 0; i < nd - 1; i++) {
            split[i] = s.get(i);
        }
        split[nd - 1] = 3;
        split[nd] = heads;
        split[nd + 1] = d / heads;
        // [..., T, 3, H, hd] -> [3, ..., H, T, hd]
        int[] axes = new int[nd + 2];
        axes[0] = nd - 1;
        for (int i = 0; i < nd - 2; i++) {
            axes[1 + i] = i;
        }
        axes[nd - 1] = nd;
        axes[nd] = nd - 2;
        axes[nd + 1] = nd + 1;
        return qkv.reshape(new Shape(split)).transpose(axes);
    }

    /** Merges heads {@code [..., H, T, hd] → [..., T, D]} and applies {@code out_proj}. */
    public NDArray output(NDArray attended) {
        Shape s = attended.getShape();
        int nd = s.dimension();
        int[] axes = new int[nd];
        for (int i = 0; i < nd - 3; i++) {
            axes[i] = i;
        }
        axes[nd - 3] = nd - 2;
        axes[nd - 2] = nd - 3;
        axes[nd - 1] = nd - 1;
        long[] merged = new long[nd - 1];
        for (int i = 0; i < nd - 3; i++) {
            merged[i] = s.get(i);
        }
        merged[nd - 3] = s.get(nd - 2);
        merged[nd - 2] = s.get(nd - 3) * s.get(nd - 1);
        NDArray m = attended.transpose(axes).reshape(new Shape(merged));
        return Linear.linear(m, out).singletonOrThrow();
    }
}

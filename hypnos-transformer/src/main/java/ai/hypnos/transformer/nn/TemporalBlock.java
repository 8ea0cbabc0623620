package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;
import java.util.List;

/**
 * One temporal block (the reference's {@code RoPETransformerLayer}), applied to every modality's
 * sequence separately: pre-LayerNorm, bias-free Q/K/V, optional per-head RMSNorm of Q and K
 * (before RoPE), interleaved RoPE, causal (windowed) attention, {@code out_proj}, LayerScale on
 * both residual branches, FFN.
 */
public final class TemporalBlock {
    private final int index;
    private final int window;
    private final int heads;
    private final int headDim;
    private final float scale;
    private final boolean xsa;
    private final float dropout;
    private final LayerNormWeights norm1;
    private final LayerNormWeights norm2;
    private final QkvProjection attention;
    private final NDArray qNorm;
    private final NDArray kNorm;
    private final FeedForward ffn;
    private final NDArray layerScaleAttn;
    private final NDArray layerScaleFfn;

    public TemporalBlock(ModelParameters p, TransformerConfig c, int index) {
        this.index = index;
        this.window = c.windowOfLayer(index);
        this.heads = c.temporalHeads();
        this.headDim = c.headDim();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.xsa = c.xsa();
        this.dropout = (float) c.dropout();
        String prefix = ParameterNames.temporalLayerPrefix(index);
        norm1 = new LayerNormWeights(p, prefix + ".norm1");
        norm2 = new LayerNormWeights(p, prefix + ".norm2");
        attention = new QkvProjection(p, prefix, heads);
        qNorm = c.qkNorm() ? p.get(prefix + ".q_norm.weight") : null;
        kNorm = c.qkNorm() ? p.get(prefix + ".k_norm.weight") : null;
        ffn = new FeedForward(p, prefix + ".ffn", c.swiglu());
        layerScaleAttn = p.get(prefix + ".layer_scale_attn");
        layerScaleFfn = p.get(prefix + ".layer_scale_ffn");
    }

    /** Attention window of this block (0: plain causal). */
    public int window() {
        return window;
    }

    public int index() {
        return index;
    }

    /**
     * Runs the block over whole sequences.
     *
     * @param x    {@code [N, S, D]} (N = batch × modalities), positions 0..S−1 of one chunk
     * @param rope RoPE tables for positions 0..S−1
     */
    public NDArray forward(NDArray x, NDArray[] rope, ForwardContext ctx) {
        try (BlockScope scope = BlockScope.open(x)) {
            NDArray[] qkv = queriesKeysValues(x, rope, ctx);
            NDArray attended = CausalWindowAttention.apply(qkv[0], qkv[1], qkv[2], window, ctx, scope.manager());
            return scope.keep(residuals(x, attended, qkv[2], ctx));
        }
    }

    /**
     * Runs the block over one segment of longer sequences whose positions continue from the
     * previous segment (see {@link TemporalTransformer}); needs a window.
     *
     * @param x        {@code [N, L, D]}, the segment
     * @param rope     RoPE tables for the segment's positions
     * @param previous the previous segment's last W keys and values ({@code [N, H, W, hd]}, after
     *                 RoPE), or {@code null} for the first segment
     * @return {@code {y, keys, values}}: the output and this segment's last W keys and values
     *         (both {@code null} when the segment is shorter than W), attached to x's manager
     */
    public NDArray[] forwardSegment(NDArray x, NDArray[] rope, NDArray[] previous, ForwardContext ctx) {
        if (window <= 0) {
            throw new IllegalStateException("temporal block " + index + " has no window: it cannot run in segments");
        }
        NDArray[] inputs = previous == null ? new NDArray[0] : previous;
        try (BlockScope scope = BlockScope.open(x, inputs)) {
            NDArray[] qkv = queriesKeysValues(x, rope, ctx);
            NDArray attended = CausalWindowAttention.apply(qkv[0], qkv[1], qkv[2], window, previous, ctx,
                    scope.manager());
            NDArray y = scope.keep(residuals(x, attended, qkv[2], ctx));
            long length = x.getShape().get(1);
            if (length < window) {
                return new NDArray[] {y, null, null};
            }
            // Copies, not views: a view of the last W positions would keep the whole segment's
            // Q/K/V projection alive until the next segment (19 MB per block for base).
            NDIndex last = new NDIndex(":, :, {}:", length - window);
            NDArray keys = scope.keep(qkv[1].get(last).duplicate());
            NDArray values = scope.keep(qkv[2].get(last).duplicate());
            return new NDArray[] {y, keys, values};
        }
    }

    /**
     * Runs the block for one new position per sequence against a key/value cache (streaming).
     *
     * @param x     {@code [N, 1, D]}
     * @param rope  RoPE tables for the new position
     * @param cache this block's cache; the new key and value are written into it
     */
    public NDArray step(NDArray x, NDArray[] rope, KvCache cache, ForwardContext ctx) {
        try (BlockScope scope = BlockScope.open(x)) {
            NDArray[] qkv = queriesKeysValues(x, rope, ctx);
            NDArray[] kv = cache.append(qkv[1], qkv[2]);
            NDArray keys = scope.own(kv[0]);
            NDArray values = scope.own(kv[1]);
            NDArray attended = qkv[0].matMul(keys.swapAxes(2, 3)).softmax(-1).matMul(values);
            return scope.keep(residuals(x, attended, qkv[2], ctx));
        }
    }

    /** {@code {q·scale, k, v}}, each {@code [N, H, S, hd]}, with QK-norm and RoPE applied. */
    private NDArray[] queriesKeysValues(NDArray x, NDArray[] rope, ForwardContext ctx) {
        NDArray qkv = attention.project(norm1.apply(x), ctx);
        NDArray qk = qkv.get(new NDIndex("0:2"));
        NDArray v = qkv.get(2);
        if (qNorm != null) {
            NDArray w = ctx.memo(List.of(this, "qk_norm"), () -> {
                NDArray r = ctx.stacked(List.of(this, "qk_norm_stack"), 0, List.of(qNorm, kNorm))
                        .reshape(new Shape(2, 1, 1, 1, headDim));
                r.attach(ctx.manager());
                return r;
            });
            qk = RmsNorm.apply(qk, w);
        }
        qk = Rope.apply(qk, rope);
        return new NDArray[] {qk.get(0).mul(ctx.scalar(scale)), qk.get(1), v};
    }

    private NDArray residuals(NDArray x, NDArray attended, NDArray v, ForwardContext ctx) {
        if (xsa) {
            // Exclusive self-attention: remove the component along the position's own value.
            NDArray norm = v.norm(new int[] {-1}, true).maximum(ctx.scalar(1e-12f));
            NDArray unit = v.div(norm);
            attended = attended.sub(attended.mul(unit).sum(new int[] {-1}, true).mul(unit));
        }
        NDArray a = attention.output(attended);
        if (ctx.training() && dropout > 0) {
            a = Dropout.dropout(a, dropout, true).singletonOrThrow();
        }
        NDArray y = x.add(a.mul(layerScaleAttn));
        NDArray f = ffn.apply(norm2.apply(y));
        if (ctx.training() && dropout > 0) {
            f = Dropout.dropout(f, dropout, true).singletonOrThrow();
        }
        return y.add(f.mul(layerScaleFfn));
    }
}

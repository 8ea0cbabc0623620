package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;

/**
 * A modality-attention layer (the reference's {@code ModalityAttentionLayer}): at every second,
 * bidirectional attention across the M modalities. A learned per-modality position vector is
 * added to the residual stream first; pre-LayerNorm, bias-free projections, LayerScale, optional
 * FFN. Pairs where either side is absent, or in different CRP groups, are masked; a modality that
 * may attend to nothing (absent) gets a zero attention output, never NaN.
 */
public final class ModalityBlock {
    private final int heads;
    private final float scale;
    private final float dropout;
    private final NDArray positions;
    private final LayerNormWeights norm1;
    private final QkvProjection attention;
    private final NDArray layerScaleAttn;
    private final LayerNormWeights norm2;
    private final FeedForward ffn;
    private final NDArray layerScaleFfn;

    /** Modality layer {@code j} (counting modality layers only). */
    public ModalityBlock(ModelParameters p, TransformerConfig c, int j) {
        this.heads = c.temporalHeads();
        this.scale = (float) (1.0 / Math.sqrt(c.headDim()));
        this.dropout = (float) c.dropout();
        String prefix = ParameterNames.modalityLayerPrefix(j);
        positions = p.get(prefix + ".pos_embed.weight");
        norm1 = new LayerNormWeights(p, prefix + ".norm1");
        attention = new QkvProjection(p, prefix, heads);
        layerScaleAttn = p.get(prefix + ".layer_scale_attn");
        if (c.modalityUseFfn()) {
            norm2 = new LayerNormWeights(p, prefix + ".norm2");
            ffn = new FeedForward(p, prefix + ".ffn", c.swiglu());
            layerScaleFfn = p.get(prefix + ".layer_scale_ffn");
        } else {
            norm2 = null;
            ffn = null;
            layerScaleFfn = null;
        }
    }

    /**
     * @param x    {@code [B, M, S, D]}
     * @param mask which modality pairs may attend, or {@code null} for all pairs
     * @return {@code [B, M, S, D]}
     */
    public NDArray forward(NDArray x, ModalityAttentionMask mask, ForwardContext ctx) {
        try (BlockScope scope = BlockScope.open(x)) {
            // [B, S, M, D]: the modalities of one second are one short sequence.
            NDArray y = x.transpose(0, 2, 1, 3).add(positions);
            NDArray qkv = attention.project(norm1.apply(y), ctx); // [3, B, S, H, M, hd]
            NDArray q = qkv.get(0).mul(ctx.scalar(scale));
            NDArray scores = q.matMul(qkv.get(1).swapAxes(3, 4)); // [B, S, H, M, M]
            NDArray weights;
            if (mask == null) {
                weights = scores.softmax(-1);
            } else {
                NDArray[] m = mask.arrays(ctx);
                weights = scores.add(m[0]).softmax(-1).mul(m[1]);
            }
            NDArray a = attention.output(weights.matMul(qkv.get(2)));
            if (ctx.training() && dropout > 0) {
                a = Dropout.dropout(a, dropout, true).singletonOrThrow();
            }
            y = y.add(a.mul(layerScaleAttn));
            if (ffn != null) {
                NDArray f = ffn.apply(norm2.apply(y));
                if (ctx.training() && dropout > 0) {
                    f = Dropout.dropout(f, dropout, true).singletonOrThrow();
                }
                y = y.add(f.mul(layerScaleFfn));
            }
            return scope.keep(y.transpose(0, 2, 1, 3));
        }
    }
}

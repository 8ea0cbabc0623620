package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;

/**
 * A depth-transformer layer (the reference's {@code DepthTransformerLayer}): pre-LayerNorm,
 * bias-free projections, causal attention over the K levels, plain residuals (no LayerScale),
 * FFN. No position encoding inside: positions enter as the depth position table.
 */
public final class DepthBlock {
    private final float scale;
    private final float dropout;
    private final LayerNormWeights norm1;
    private final LayerNormWeights norm2;
    private final QkvProjection attention;
    private final FeedForward ffn;

    public DepthBlock(ModelParameters p, TransformerConfig c, int index) {
        String prefix = ParameterNames.depthLayerPrefix(index);
        this.scale = (float) (1.0 / Math.sqrt((double) c.depthDim() / c.depthHeads()));
        this.dropout = (float) c.dropout();
        norm1 = new LayerNormWeights(p, prefix + ".norm1");
        norm2 = new LayerNormWeights(p, prefix + ".norm2");
        attention = new QkvProjection(p, prefix, c.depthHeads());
        ffn = new FeedForward(p, prefix + ".ffn", c.swiglu());
    }

    /** {@code x [N, K, Dd] → [N, K, Dd]}, causal over K. */
    public NDArray forward(NDArray x, ForwardContext ctx) {
        try (BlockScope scope = BlockScope.open(x)) {
            int k = Math.toIntExact(x.getShape().get(1));
            NDArray qkv = attention.project(norm1.apply(x), ctx); // [3, N, H, K, hd]
            NDArray scores = qkv.get(0).mul(ctx.scalar(scale)).matMul(qkv.get(1).swapAxes(2, 3)).add(ctx.causalBias(k, 0));
            NDArray a = attention.output(scores.softmax(-1).matMul(qkv.get(2)));
            if (ctx.training() && dropout > 0) {
                a = Dropout.dropout(a, dropout, true).singletonOrThrow();
            }
            NDArray y = x.add(a);
            NDArray f = ffn.apply(norm2.apply(y));
            if (ctx.training() && dropout > 0) {
                f = Dropout.dropout(f, dropout, true).singletonOrThrow();
            }
            return scope.keep(y.add(f));
        }
    }
}

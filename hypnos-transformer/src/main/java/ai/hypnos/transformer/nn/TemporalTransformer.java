package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The temporal stack: temporal blocks (each modality's sequence on its own), each optionally
 * followed by a modality layer (across modalities at each second), then a final LayerNorm.
 * Input and output {@code [B, M, S, D]}; the output is the per-modality embedding z.
 */
public final class TemporalTransformer {
    private final List<TemporalBlock> blocks = new ArrayList<>();
    private final List<ModalityBlock> modalityAfter = new ArrayList<>();
    private final LayerNormWeights norm;
    private final Rope rope;

    public TemporalTransformer(ModelParameters p, TransformerConfig c, Rope rope) {
        this.rope = rope;
        int j = 0;
        for (int i = 0; i < c.temporalDepth(); i++) {
            blocks.add(new TemporalBlock(p, c, i));
            modalityAfter.add(c.hasModalityLayerAfter(i) ? new ModalityBlock(p, c, j++) : null);
        }
        norm = new LayerNormWeights(p, ParameterNames.temporalNormPrefix());
    }

    /** Temporal blocks, in order. */
    public List<TemporalBlock> blocks() {
        return blocks;
    }

    public Rope rope() {
        return rope;
    }

    /**
     * Whole chunks: positions 0..S−1 (RoPE restarts at every chunk, as the reference).
     *
     * @param x    {@code [B, M, S, D]}
     * @param mask modality-pair mask or {@code null}
     */
    public NDArray forward(NDArray input, ModalityAttentionMask mask, ForwardContext ctx) {
        NDArray x = input;
        Shape shape = x.getShape();
        long b = shape.get(0);
        long m = shape.get(1);
        int s = Math.toIntExact(shape.get(2));
        long d = shape.get(3);
        NDArray[] tables = rope.slice(0, s, ctx.dataType(), ctx.manager());
        for (int i = 0; i < blocks.size(); i++) {
            // Each block's output replaces its input; intermediates are closed as soon as they are
            // consumed, so inference holds one activation per block (autograd keeps what it needs).
            NDArray flat = x.reshape(new Shape(b * m, s, d));
            NDArray y = blocks.get(i).forward(flat, tables, ctx);
            flat.close();
            release(x, input);
            x = y.reshape(new Shape(b, m, s, d));
            y.close();
            ModalityBlock mod = modalityAfter.get(i);
            if (mod != null) {
                NDArray z = mod.forward(x, mask, ctx);
                release(x, input);
                x = z;
            }
        }
        NDArray out;
        try (BlockScope scope = BlockScope.open(x)) {
            out = scope.keep(norm.apply(x));
        }
        release(x, input);
        return out;
    }

    /**
     * One new position per modality against the blocks' caches (streaming).
     *
     * @param x        {@code [1, M, 1, D]}
     * @param position RoPE position of the new token within its chunk
     * @param caches   one cache per temporal block
     */
    public NDArray step(NDArray x, int position, KvCache[] caches, ModalityAttentionMask mask, ForwardContext ctx) {
        Shape shape = x.getShape();
        long m = shape.get(1);
        long d = shape.get(3);
        NDArray[] tables = rope.slice(position, 1, ctx.dataType(), x.getManager());
        for (int i = 0; i < blocks.size(); i++) {
            NDArray flat = x.reshape(new Shape(m, 1, d));
            NDArray y = blocks.get(i).step(flat, tables, caches[i], ctx);
            x = y.reshape(new Shape(1, m, 1, d));
            ModalityBlock mod = modalityAfter.get(i);
            if (mod != null) {
                x = mod.forward(x, mask, ctx);
            }
        }
        try (BlockScope scope = BlockScope.open(x)) {
            return scope.keep(norm.apply(x));
        }
    }

    /** Closes an intermediate, never the caller's input. */
    private static void release(NDArray x, NDArray input) {
        if (x != input) {
            x.close();
        }
    }
}

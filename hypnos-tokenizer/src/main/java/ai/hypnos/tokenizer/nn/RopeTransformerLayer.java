package ai.hypnos.tokenizer.nn;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.ConstantInitializer;
import ai.hypnos.tokenizer.Rng;

/**
 * One pre-norm transformer layer of the tokenizer's optional contextualiser (the reference's
 * {@code RoPETransformerLayer} without QK-norm): causal sliding-window self-attention with
 * rotary embeddings on interleaved pairs, LayerScale on both branches, GELU FFN.
 *
 * <p>Reference names: {@code norm1.*}, {@code norm2.*}, {@code q_proj.weight},
 * {@code k_proj.weight}, {@code v_proj.weight}, {@code out_proj.weight}, {@code ffn.0.*},
 * {@code ffn.2.*}, {@code layer_scale_attn}, {@code layer_scale_ffn}.
 *
 * <p>With a {@link StreamState} the layer keeps the rotated keys and the values of the last
 * window−1 positions (a fixed-size cache; positions before the sequence start are masked; none
 * for window 1), so a sequence fed in pieces attends exactly as when fed whole. With an unlimited
 * window (0, the reference's {@code window_size=None}) every position stays attendable, so the
 * cache keeps every key and value seen and grows with the stream: 2·D floats per position per
 * layer.
 */
public final class RopeTransformerLayer extends NamedBlock {
    private static final float LN_EPS = 1e-5f;

    private final int dim;
    private final int heads;
    private final int headDim;
    private final int window;
    private final Parameter norm1Weight;
    private final Parameter norm1Bias;
    private final Parameter norm2Weight;
    private final Parameter norm2Bias;
    private final Dense q;
    private final Dense k;
    private final Dense v;
    private final Dense out;
    private final Dense ffnIn;
    private final Dense ffnOut;
    private final Parameter scaleAttn;
    private final Parameter scaleFfn;

    /**
     * @param window causal window in positions (a query sees keys q−window &lt; k ≤ q); 0 = unlimited
     */
    public RopeTransformerLayer(int dim, int heads, int ffnDim, int window, double layerScaleInit, Rng rng) {
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.window = window;
        this.norm1Weight = param("norm1.weight", new Shape(dim), new ConstantInitializer(1f), false);
        this.norm1Bias = param("norm1.bias", new Shape(dim), new ConstantInitializer(0f), false);
        this.norm2Weight = param("norm2.weight", new Shape(dim), new ConstantInitializer(1f), false);
        this.norm2Bias = param("norm2.bias", new Shape(dim), new ConstantInitializer(0f), false);
        this.q = child("q_proj", new Dense(dim, dim, false, rng));
        this.k = child("k_proj", new Dense(dim, dim, false, rng));
        this.v = child("v_proj", new Dense(dim, dim, false, rng));
        this.out = child("out_proj", new Dense(dim, dim, false, rng));
        this.ffnIn = child("ffn.0", new Dense(dim, ffnDim, true, rng));
        this.ffnOut = child("ffn.2", new Dense(ffnDim, dim, true, rng));
        this.scaleAttn = param("layer_scale_attn", new Shape(dim), new ConstantInitializer((float) layerScaleInit), false);
        this.scaleFfn = param("layer_scale_ffn", new Shape(dim), new ConstantInitializer((float) layerScaleInit), false);
    }

    @Override
    public NDArray forward(NDArray x) {
        return forward(x, 0, null, null, null);
    }

    /**
     * @param x [B, S, D] positions {@code pos0 … pos0+S−1}
     * @param cos [S, headDim/2] rotary cosines for those positions
     * @param sin [S, headDim/2] rotary sines
     */
    public NDArray forward(NDArray x, long pos0, NDArray cos, NDArray sin, StreamState state) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        if (cos == null) {
            NDArray[] cs = RopeTransformer.rotary(m, pos0, s, headDim);
            cos = cs[0];
            sin = cs[1];
        }
        NDArray h = LayerNorm.layerNorm(x, new Shape(dim), norm1Weight.getArray(), norm1Bias.getArray(), LN_EPS)
                .singletonOrThrow();
        NDArray qh = rotate(q.forward(h).reshape(b, s, heads, headDim).transpose(0, 2, 1, 3), cos, sin);
        NDArray kh = rotate(k.forward(h).reshape(b, s, heads, headDim).transpose(0, 2, 1, 3), cos, sin);
        NDArray vh = v.forward(h).reshape(b, s, heads, headDim).transpose(0, 2, 1, 3);

        long keyStart = pos0;
        // Window 1: a query sees only its own key, so there is nothing to carry.
        if (state != null && window != 1) {
            NDArray kc = state.get(this, "k");
            NDArray vc = state.get(this, "v");
            if (kc == null && window > 1) {
                kc = m.zeros(new Shape(b, heads, window - 1, headDim), x.getDataType());
                vc = m.zeros(new Shape(b, heads, window - 1, headDim), x.getDataType());
            }
            if (kc != null) {
                long cached = kc.getShape().get(2);
                kh = own(NDArrays.concat(new NDList(kc, kh), 2), m);
                vh = own(NDArrays.concat(new NDList(vc, vh), 2), m);
                keyStart = pos0 - cached;
            }
            long total = kh.getShape().get(2);
            // A window keeps its last window−1 positions; an unlimited one keeps every position.
            long keep = window > 1 ? window - 1 : total;
            state.put(this, "k", kh.get(new NDIndex(":, :, {}:", total - keep)).duplicate());
            state.put(this, "v", vh.get(new NDIndex(":, :, {}:", total - keep)).duplicate());
        }
        long keys = kh.getShape().get(2);
        NDArray qpos = m.arange((int) pos0, (int) (pos0 + s), 1, DataType.INT64).reshape(s, 1);
        NDArray kpos = m.arange((int) keyStart, (int) (keyStart + keys), 1, DataType.INT64).reshape(1, keys);
        NDArray diff = qpos.sub(kpos);
        NDArray allowed = diff.gte(0).logicalAnd(kpos.gte(0));
        if (window > 0) {
            allowed = allowed.logicalAnd(diff.lt(window));
        }
        // Additive mask: 0 where allowed, −1e30 elsewhere (exp underflows to exactly 0).
        NDArray bias = allowed.logicalNot().toType(x.getDataType(), false).mul(-1e30f);
        NDArray scale = HostData.scalar(m, (float) (1.0 / Math.sqrt(headDim))); // not mul(float): see HostData
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(scale).add(bias);
        NDArray att = scores.softmax(-1).matMul(vh);
        NDArray o = out.forward(att.transpose(0, 2, 1, 3).reshape(b, s, dim));
        x = x.add(o.mul(scaleAttn.getArray()));
        NDArray h2 = LayerNorm.layerNorm(x, new Shape(dim), norm2Weight.getArray(), norm2Bias.getArray(), LN_EPS)
                .singletonOrThrow();
        NDArray f = ffnOut.forward(ai.djl.nn.Activation.gelu(ffnIn.forward(h2)));
        return x.add(f.mul(scaleFfn.getArray()));
    }

    /** Rotary embedding on interleaved pairs (2i, 2i+1) of the last axis of x [B, H, S, hd]. */
    private NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        Shape shape = x.getShape();
        NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), headDim / 2, 2);
        NDArray x1 = pairs.get(new NDIndex("..., 0"));
        NDArray x2 = pairs.get(new NDIndex("..., 1"));
        NDArray r1 = x1.mul(cos).sub(x2.mul(sin));
        NDArray r2 = x2.mul(cos).add(x1.mul(sin));
        return NDArrays.stack(new NDList(r1, r2), -1).reshape(shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

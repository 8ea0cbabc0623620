package ai.hypnos.tokenizer.nn;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.ConstantInitializer;
import ai.hypnos.tokenizer.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenizer's optional causal contextualiser (the reference's {@code RoPETransformer}):
 * {@code depth} {@link RopeTransformerLayer}s and a final LayerNorm, positions counted from the
 * first token of the sequence. Reference names {@code layers.<i>.*}, {@code norm.*}, and the
 * rotary tables {@code rope.freqs}, {@code rope.cos_cached}, {@code rope.sin_cached}, which are
 * buffers fully determined by the head size: we recompute them rather than load them, and write
 * them when saving so our bundles have the published layout.
 *
 * <p>Streaming memory: with a window of W tokens each layer carries the last W−1 keys and values
 * (flat memory); with an unlimited window ({@code window_size} None) it carries all of them, so
 * memory grows with the stream, and the first stream logs a warning saying so.
 */
public final class RopeTransformer extends NamedBlock {
    private static final Logger LOG = LoggerFactory.getLogger(RopeTransformer.class);
    /** The reference precomputes this many positions of rotary tables (its {@code max_seq_len}). */
    public static final int CACHED_POSITIONS = 8192;
    private static final double THETA = 10000.0;

    private final int dim;
    private final int headDim;
    private final List<RopeTransformerLayer> layers = new ArrayList<>();
    private final Parameter normWeight;
    private final Parameter normBias;
    private final int window;
    /** Whether the unlimited-window warning was logged (once per transformer, not per chunk or stream). */
    private final AtomicBoolean warnedUnlimited = new AtomicBoolean();

    public RopeTransformer(int dim, int depth, int heads, int ffnDim, int window, double layerScaleInit, Rng rng) {
        this.dim = dim;
        this.window = window;
        this.headDim = dim / heads;
        for (int i = 0; i < depth; i++) {
            layers.add(child("layers." + i, new RopeTransformerLayer(dim, heads, ffnDim, window, layerScaleInit, rng)));
        }
        this.normWeight = param("norm.weight", new Shape(dim), new ConstantInitializer(1f), false);
        this.normBias = param("norm.bias", new Shape(dim), new ConstantInitializer(0f), false);
    }

    /** Rotary frequencies 1/θ^(2i/hd) as the reference computes them in float32. */
    static float[] frequencies(int headDim) {
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            float exponent = (float) (2 * i) / headDim;
            f[i] = (float) (1.0 / Math.pow(THETA, exponent));
        }
        return f;
    }

    /** cos and sin [S, hd/2] of positions pos0 … pos0+S−1 times the frequencies, computed on the device. */
    static NDArray[] rotary(NDManager m, long pos0, long s, int headDim) {
        NDArray pos = m.arange((int) pos0, (int) (pos0 + s), 1, DataType.INT64).toType(DataType.FLOAT32, false).reshape(s, 1);
        NDArray freqs = HostData.floats(m, frequencies(headDim)).reshape(1, headDim / 2);
        NDArray angles = pos.mul(freqs);
        return new NDArray[] {angles.cos(), angles.sin()};
    }

    @Override
    public NDArray forward(NDArray x) {
        return forward(x, 0, null);
    }

    /** x [B, S, D] at positions pos0…; continues the sequence in {@code state} if given. */
    public NDArray forward(NDArray x, long pos0, StreamState state) {
        if (state != null && window == 0 && warnedUnlimited.compareAndSet(false, true)) {
            LOG.warn("streaming through a causal transformer with an unlimited attention window (window_size None): its key/value "
                    + "cache keeps every past token ({} floats per token), so memory grows with the length of the stream",
                    2L * dim * layers.size());
        }
        long s = x.getShape().get(1);
        NDArray[] cs = rotary(x.getManager(), pos0, s, headDim);
        NDArray h = x;
        for (RopeTransformerLayer layer : layers) {
            h = Scope.run(h, in -> layer.forward(in, pos0, cs[0], cs[1], state));
        }
        return Scope.run(h, in -> LayerNorm.layerNorm(in, new Shape(dim), normWeight.getArray(), normBias.getArray(), 1e-5f)
                .singletonOrThrow());
    }

    /** The rotary buffers as the reference's state dict holds them (names relative to this block). */
    public Map<String, float[][]> rotaryBuffers() {
        float[] f = frequencies(headDim);
        float[][] cos = new float[CACHED_POSITIONS][f.length];
        float[][] sin = new float[CACHED_POSITIONS][f.length];
        for (int t = 0; t < CACHED_POSITIONS; t++) {
            for (int i = 0; i < f.length; i++) {
                float a = (float) t * f[i];
                cos[t][i] = (float) Math.cos(a);
                sin[t][i] = (float) Math.sin(a);
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        out.put("rope.freqs", new float[][] {f});
        out.put("rope.cos_cached", cos);
        out.put("rope.sin_cached", sin);
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

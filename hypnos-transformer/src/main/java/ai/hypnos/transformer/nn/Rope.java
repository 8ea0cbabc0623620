package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;

/**
 * Rotary position embedding on interleaved pairs {@code (2i, 2i+1)}, θ = 10000, as the
 * reference's {@code RotaryEmbedding}: frequency {@code f_i = 1/θ^(2i/hd)}, angle {@code p·f_i}
 * at position p, and {@code (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin)}.
 *
 * <p>Tables are computed in float32 the way torch does (so that they equal the buffers a bundle
 * stores) or taken from a bundle's {@code cos_cached}/{@code sin_cached}; they grow on demand for
 * long streams. The rotation runs as {@code x·C + swap(x)·S'} with C the cosine repeated per pair
 * and S' the sine with the sign of the pair's slot, which gives the same float results as the
 * reference's formula in four ops.
 */
public final class Rope {
    private static final double THETA = 10000.0;

    private final int headDim;
    private final float[] freqs;
    private final NDManager manager;
    private float[] cos;
    private float[] sin;
    private int length;
    private NDArray cosFull;
    private NDArray sinSigned;

    /**
     * @param headDim   head dimension (even)
     * @param length    initial table length (the config's {@code max_seq_len})
     * @param cosCached optional {@code [L, hd/2]} table from a bundle (row-major), or {@code null}
     * @param sinCached optional {@code [L, hd/2]} table from a bundle, or {@code null}
     * @param manager   the manager that owns the device tables (the model's weights manager)
     */
    public Rope(int headDim, int length, float[] cosCached, float[] sinCached, NDManager manager) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head dimension, got " + headDim);
        }
        this.headDim = headDim;
        this.manager = manager;
        this.freqs = frequencies(headDim);
        int half = headDim / 2;
        if (cosCached != null && sinCached != null) {
            if (cosCached.length != sinCached.length || cosCached.length % half != 0) {
                throw new IllegalArgumentException("RoPE tables of " + cosCached.length + " and " + sinCached.length
                        + " values do not fit head dimension " + headDim);
            }
            this.cos = cosCached.clone();
            this.sin = sinCached.clone();
            this.length = cosCached.length / half;
        } else {
            this.cos = new float[0];
            this.sin = new float[0];
            this.length = 0;
        }
        ensure(Math.max(1, length));
    }

    /** {@code 1/θ^(2i/hd)} for i < hd/2, rounded at each step as torch's float32 arithmetic. */
    public static float[] frequencies(int headDim) {
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float power = (float) Math.pow(THETA, exponent);
            f[i] = 1.0f / power;
        }
        return f;
    }

    /** The frequencies (the {@code rope.freqs} buffer). */
    public float[] freqs() {
        return freqs.clone();
    }

    /** Cosine table {@code [rows, hd/2]} row-major (the {@code rope.cos_cached} buffer). */
    public synchronized float[] cosTable(int rows) {
        ensure(rows);
        return java.util.Arrays.copyOf(cos, rows * (headDim / 2));
    }

    /** Sine table {@code [rows, hd/2]} row-major (the {@code rope.sin_cached} buffer). */
    public synchronized float[] sinTable(int rows) {
        ensure(rows);
        return java.util.Arrays.copyOf(sin, rows * (headDim / 2));
    }

    /** Grows the tables to at least {@code rows} positions (doubling), computing the new rows. */
    private void ensure(int rows) {
        if (rows <= length && cosFull != null) {
            return;
        }
        int half = headDim / 2;
        int newLength = Math.max(rows, length);
        if (newLength > length) {
            newLength = Math.max(newLength, 2 * length);
            float[] c = java.util.Arrays.copyOf(cos, newLength * half);
            float[] s = java.util.Arrays.copyOf(sin, newLength * half);
            for (int p = length; p < newLength; p++) {
                for (int i = 0; i < half; i++) {
                    float angle = (float) p * freqs[i];
                    c[p * half + i] = (float) Math.cos(angle);
                    s[p * half + i] = (float) Math.sin(angle);
                }
            }
            cos = c;
            sin = s;
            length = newLength;
        }
        float[] cf = new float[length * headDim];
        float[] ss = new float[length * headDim];
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < half; i++) {
                float cv = cos[p * half + i];
                float sv = sin[p * half + i];
                int o = p * headDim + 2 * i;
                cf[o] = cv;
                cf[o + 1] = cv;
                ss[o] = -sv;
                ss[o + 1] = sv;
            }
        }
        NDArray newCos = HostData.floats(manager, cf, new Shape(length, headDim));
        NDArray newSin = HostData.floats(manager, ss, new Shape(length, headDim));
        // Slices handed out earlier are views that keep the old storage alive in libtorch.
        if (cosFull != null) {
            cosFull.close();
            sinSigned.close();
        }
        cosFull = newCos;
        sinSigned = newSin;
    }

    /**
     * The tables for positions {@code [offset, offset+count)} as {@code {C, S'}} of shape
     * {@code [count, hd]}, in {@code dataType}, attached to {@code target}.
     */
    public synchronized NDArray[] slice(int offset, int count, DataType dataType, NDManager target) {
        ensure(offset + count);
        NDIndex index = new NDIndex("{}:{}", offset, offset + count);
        NDArray c = cosFull.get(index);
        NDArray s = sinSigned.get(index);
        c.attach(target);
        s.attach(target);
        if (dataType != DataType.FLOAT32) {
            NDArray c2 = c.toType(dataType, false);
            NDArray s2 = s.toType(dataType, false);
            return new NDArray[] {c2, s2};
        }
        return new NDArray[] {c, s};
    }

    /**
     * Rotates {@code x [..., S, hd]} with tables {@code {C, S'}} of shape {@code [S, hd]}
     * (broadcast over the leading axes).
     */
    public static NDArray apply(NDArray x, NDArray[] tables) {
        Shape shape = x.getShape();
        int nd = shape.dimension();
        long hd = shape.get(nd - 1);
        long[] pairs = new long[nd + 1];
        for (int i = 0; i < nd - 1; i++) {
            pairs[i] = shape.get(i);
        }
        pairs[nd - 1] = hd / 2;
        pairs[nd] = 2;
        NDArray swapped = x.reshape(new Shape(pairs)).flip(nd).reshape(shape);
        return x.mul(tables[0]).add(swapped.mul(tables[1]));
    }
}

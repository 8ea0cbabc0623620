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
 * <p>Values are computed in float32 the way torch does (so that they equal the buffers a bundle
 * stores) or taken from a bundle's {@code cos_cached}/{@code sin_cached}. The rotation runs as
 * {@code x·C + swap(x)·S'} with C the cosine repeated per pair and S' the sine with the sign of the
 * pair's slot, which gives the same float results as the reference's formula in four ops.
 *
 * <p>Memory is bounded whatever the positions asked for. Device tables start with one row and grow
 * on demand, doubling up to {@code max_seq_len} rows (and at most {@link #MAX_TABLE_VALUES} values), so a config's
 * {@code max_seq_len} costs nothing until positions are used. Positions past the tables — a
 * stream that never restarts runs past any length — get their rows computed for that call only,
 * outside the lock, instead of growing shared tables without end.
 */
public final class Rope {
    private static final double THETA = 10000.0;

    /** Most values ({@code rows × hd}) of one device table: 64 MiB of float32. */
    static final long MAX_TABLE_VALUES = 1L << 24;

    /** Largest Java array we ask for (the VM's limit is a few below Integer.MAX_VALUE). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int headDim;
    private final int half;
    private final float[] freqs;
    private final NDManager manager;
    /** Rows the device tables may grow to. */
    private final int capacity;
    // Host half tables [length, hd/2]: the bundle's whole table, or the rows computed so far.
    // Never written after they are published (growth makes new arrays), so a reader may use a
    // reference taken under the lock after releasing it.
    private float[] cos;
    private float[] sin;
    private int length;
    // Device tables [tableRows, hd] over host rows [0, tableRows).
    private int tableRows;
    private NDArray cosFull;
    private NDArray sinSigned;

    /**
     * @param headDim   head dimension (even)
     * @param length    positions the tables may hold (the config's {@code max_seq_len}); later
     *                  positions are computed per call
     * @param cosCached optional {@code [L, hd/2]} table from a bundle (row-major), or {@code null}
     * @param sinCached optional {@code [L, hd/2]} table from a bundle, or {@code null}
     * @param manager   the manager that owns the device tables (the model's weights manager)
     */
    public Rope(int headDim, int length, float[] cosCached, float[] sinCached, NDManager manager) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs a positive even head dimension, got " + headDim);
        }
        this.headDim = headDim;
        this.half = headDim / 2;
        this.manager = manager;
        this.freqs = frequencies(headDim);
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
        long rows = Math.max(1, Math.max(length, this.length));
        this.capacity = (int) Math.max(1, Math.min(rows, MAX_TABLE_VALUES / headDim));
        // One row now, the rest on demand: the device tables exist from the start, so the
        // weights manager holds the same number of arrays before and after any pass.
        ensure(1);
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
    public float[] cosTable(int rows) {
        return hostTable(rows, true);
    }

    /** Sine table {@code [rows, hd/2]} row-major (the {@code rope.sin_cached} buffer). */
    public float[] sinTable(int rows) {
        return hostTable(rows, false);
    }

    private float[] hostTable(int rows, boolean cosine) {
        if (rows < 0) {
            throw new IllegalArgumentException("RoPE table rows must be >= 0, got " + rows);
        }
        float[] out = new float[values(rows, half)];
        float[] known;
        int knownRows;
        synchronized (this) {
            known = cosine ? cos : sin;
            knownRows = length;
        }
        int copied = Math.min(rows, knownRows);
        System.arraycopy(known, 0, out, 0, copied * half);
        for (int p = copied; p < rows; p++) {
            for (int i = 0; i < half; i++) {
                float angle = angle(p, i);
                out[p * half + i] = (float) (cosine ? Math.cos(angle) : Math.sin(angle));
            }
        }
        return out;
    }

    /** Position p's angle for frequency i, rounded as torch's {@code outer(arange(L).float(), freqs)}. */
    private float angle(int p, int i) {
        return (float) p * freqs[i];
    }

    /** {@code rows × width} as an array length, or a message instead of an overflow or a huge allocation. */
    private static int values(long rows, long width) {
        long n = rows * width;
        if (n > MAX_ARRAY) {
            throw new IllegalArgumentException("RoPE table of " + rows + " rows × " + width + " = " + n
                    + " values does not fit in one array");
        }
        return (int) n;
    }

    /** Grows the device tables to at least {@code rows ≤ capacity} positions (doubling). */
    private void ensure(int rows) {
        if (rows <= tableRows) {
            return;
        }
        int newRows = (int) Math.min(capacity, Math.max(rows, 2L * tableRows));
        if (newRows > length) {
            float[] c = java.util.Arrays.copyOf(cos, values(newRows, half));
            float[] s = java.util.Arrays.copyOf(sin, values(newRows, half));
            for (int p = length; p < newRows; p++) {
                for (int i = 0; i < half; i++) {
                    float angle = angle(p, i);
                    c[p * half + i] = (float) Math.cos(angle);
                    s[p * half + i] = (float) Math.sin(angle);
                }
            }
            cos = c;
            sin = s;
            length = newRows;
        }
        NDArray[] tables = device(cos, sin, 0, newRows, manager);
        // Slices handed out earlier are views that keep the old storage alive in libtorch.
        if (cosFull != null) {
            cosFull.close();
            sinSigned.close();
        }
        cosFull = tables[0];
        sinSigned = tables[1];
        tableRows = newRows;
    }

    /**
     * {@code {C, S'}} of shape {@code [count, hd]} for positions {@code [offset, offset+count)}:
     * rows below {@code knownRows} from the host half tables, later ones computed.
     */
    private NDArray[] device(float[] c, float[] s, long offset, int count, NDManager target) {
        float[] cf = new float[values(count, headDim)];
        float[] ss = new float[cf.length];
        int knownRows = c.length / half;
        for (int r = 0; r < count; r++) {
            long p = offset + r;
            for (int i = 0; i < half; i++) {
                float cv;
                float sv;
                if (p < knownRows) {
                    cv = c[(int) p * half + i];
                    sv = s[(int) p * half + i];
                } else {
                    float angle = angle((int) p, i);
                    cv = (float) Math.cos(angle);
                    sv = (float) Math.sin(angle);
                }
                int o = r * headDim + 2 * i;
                cf[o] = cv;
                cf[o + 1] = cv;
                ss[o] = -sv;
                ss[o + 1] = sv;
            }
        }
        return new NDArray[] {HostData.floats(target, cf, new Shape(count, headDim)),
            HostData.floats(target, ss, new Shape(count, headDim))};
    }

    /** Rows of the device tables now held (for tests of the bound). */
    synchronized int tableRows() {
        return tableRows;
    }

    /** Rows the device tables may grow to. */
    int capacity() {
        return capacity;
    }

    /**
     * The tables for positions {@code [offset, offset+count)} as {@code {C, S'}} of shape
     * {@code [count, hd]}, in {@code dataType}, attached to {@code target}.
     */
    public NDArray[] slice(int offset, int count, DataType dataType, NDManager target) {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("RoPE positions [" + offset + ", " + offset + " + " + count + ")");
        }
        long end = (long) offset + count;
        if (end > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("RoPE position " + end + " is beyond the int range");
        }
        NDArray c;
        NDArray s;
        if (end <= capacity) {
            synchronized (this) {
                ensure((int) end);
                NDIndex index = new NDIndex("{}:{}", offset, end);
                c = cosFull.get(index);
                s = sinSigned.get(index);
                c.attach(target);
                s.attach(target);
            }
        } else {
            // Past the tables: this call's rows only, computed without holding the lock, so that a
            // long stream neither grows the shared tables nor stalls other threads' slices.
            float[] hostCos;
            float[] hostSin;
            synchronized (this) {
                hostCos = cos;
                hostSin = sin;
            }
            NDArray[] rows = device(hostCos, hostSin, offset, count, target);
            c = rows[0];
            s = rows[1];
        }
        if (dataType != DataType.FLOAT32) {
            return new NDArray[] {c.toType(dataType, false), s.toType(dataType, false)};
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

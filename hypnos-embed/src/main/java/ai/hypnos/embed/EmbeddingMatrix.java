package ai.hypnos.embed;

import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpyDtype;
import ai.hypnos.core.numeric.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A row-major {@code [rows, cols]} matrix of embeddings stored in its output type: float16
 * matrices keep the half-precision bit patterns (half the memory of a night's float32 output).
 * Rows are written once, then read; not thread-safe while being written.
 */
public final class EmbeddingMatrix {
    private final int rows;
    private final int cols;
    private final OutputType type;
    private final float[] f32;
    private final short[] f16;

    private EmbeddingMatrix(int rows, int cols, OutputType type) {
        long n = (long) rows * cols;
        if (rows < 0 || cols < 1 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cannot hold a [" + rows + ", " + cols + "] matrix in one Java array");
        }
        this.rows = rows;
        this.cols = cols;
        this.type = type;
        this.f32 = type == OutputType.FLOAT32 ? new float[(int) n] : null;
        this.f16 = type == OutputType.FLOAT16 ? new short[(int) n] : null;
    }

    /** A zero matrix. */
    public static EmbeddingMatrix zeros(int rows, int cols, OutputType type) {
        return new EmbeddingMatrix(rows, cols, type);
    }

    /** A matrix holding {@code values} (row-major), rounded to {@code type}. */
    public static EmbeddingMatrix of(float[] values, int rows, int cols, OutputType type) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException(values.length + " values for [" + rows + ", " + cols + "]");
        }
        EmbeddingMatrix m = new EmbeddingMatrix(rows, cols, type);
        m.set(0, values, 0, values.length);
        return m;
    }

    /** Writes {@code count} values from {@code src[offset]} at flat position {@code at}, rounding to the type. */
    public void set(int at, float[] src, int offset, int count) {
        if (f32 != null) {
            System.arraycopy(src, offset, f32, at, count);
        } else {
            for (int i = 0; i < count; i++) {
                f16[at + i] = Float16.fromFloat(src[offset + i]);
            }
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public OutputType type() {
        return type;
    }

    /** Element {@code [r, c]} as a float (exact: float16 widens without loss). */
    public float get(int r, int c) {
        int i = r * cols + c;
        return f32 != null ? f32[i] : Float16.toFloat(f16[i]);
    }

    /** Row {@code r} as floats (a copy). */
    public float[] row(int r) {
        float[] out = new float[cols];
        for (int c = 0; c < cols; c++) {
            out[c] = get(r, c);
        }
        return out;
    }

    /** All values, row-major, as floats (a copy). */
    public float[] toFloatArray() {
        if (f32 != null) {
            return f32.clone();
        }
        return Float16.toFloats(f16);
    }

    /** The half-precision bit patterns (a copy); only for float16 matrices. */
    public short[] toFloat16Bits() {
        if (f16 == null) {
            throw new IllegalStateException("a float32 matrix has no float16 bits; use toFloatArray()");
        }
        return f16.clone();
    }

    /** The matrix as an NPY array of its type, shape {@code [rows, cols]}. */
    public NpyArray toNpy() {
        if (f32 != null) {
            return NpyArray.of(f32, rows, cols);
        }
        ByteBuffer b = ByteBuffer.allocate(f16.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(f16);
        return NpyArray.ofBytes(NpyDtype.FLOAT16, 2, new long[] {rows, cols}, b);
    }

    /** Heap bytes of the values. */
    public long bytes() {
        return (long) rows * cols * (f32 != null ? 4 : 2);
    }
}

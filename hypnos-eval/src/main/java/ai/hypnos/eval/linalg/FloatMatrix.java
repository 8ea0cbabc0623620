package ai.hypnos.eval.linalg;

import java.util.Arrays;

/**
 * A dense row-major matrix of {@code float}: the feature tables of probes (rows = epochs or
 * windows, columns = embedding dimensions). One flat primitive array keeps a 100,000 × 768 table
 * at 300 MB and lets matrix kernels stream through memory.
 */
public final class FloatMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    /**
     * Wraps {@code data} (not copied) as a {@code rows × cols} matrix.
     *
     * @throws IllegalArgumentException if the sizes do not match
     */
    public FloatMatrix(int rows, int cols, float[] data) {
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("matrix " + rows + " x " + cols + " needs "
                    + ((long) rows * cols) + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A zero matrix. */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** Copies a rectangular {@code float[][]}. */
    public static FloatMatrix of(float[][] rowsData) {
        int r = rowsData.length;
        int c = r == 0 ? 0 : rowsData[0].length;
        float[] d = new float[Math.multiplyExact(r, c)];
        for (int i = 0; i < r; i++) {
            if (rowsData[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rowsData[i].length + " columns, expected " + c);
            }
            System.arraycopy(rowsData[i], 0, d, i * c, c);
        }
        return new FloatMatrix(r, c, d);
    }

    /** Copies a rectangular {@code double[][]}, rounding to float. */
    public static FloatMatrix of(double[][] rowsData) {
        int r = rowsData.length;
        int c = r == 0 ? 0 : rowsData[0].length;
        float[] d = new float[Math.multiplyExact(r, c)];
        for (int i = 0; i < r; i++) {
            if (rowsData[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rowsData[i].length + " columns, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                d[i * c + j] = (float) rowsData[i][j];
            }
        }
        return new FloatMatrix(r, c, d);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array (row-major, shared, not copied). */
    public float[] data() {
        return data;
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    public void set(int row, int col, float value) {
        data[row * cols + col] = value;
    }

    /** A copy of one row. */
    public float[] row(int row) {
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /** A new matrix holding the given rows, in the given order. */
    public FloatMatrix selectRows(int[] rowIndices) {
        float[] d = new float[Math.multiplyExact(rowIndices.length, cols)];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(data, rowIndices[i] * cols, d, i * cols, cols);
        }
        return new FloatMatrix(rowIndices.length, cols, d);
    }

    /** A deep copy. */
    public FloatMatrix copy() {
        return new FloatMatrix(rows, cols, data.clone());
    }

    /** The transpose, as a new matrix. */
    public FloatMatrix transpose() {
        float[] t = new float[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new FloatMatrix(cols, rows, t);
    }

    /** Rows of several matrices with equal column counts, stacked in order. */
    public static FloatMatrix vstack(java.util.List<FloatMatrix> parts) {
        if (parts.isEmpty()) {
            return zeros(0, 0);
        }
        int c = parts.get(0).cols;
        long n = 0;
        for (FloatMatrix m : parts) {
            if (m.cols != c) {
                throw new IllegalArgumentException("cannot stack matrices with " + c + " and " + m.cols + " columns");
            }
            n += m.rows;
        }
        float[] d = new float[Math.toIntExact(n * c)];
        int off = 0;
        for (FloatMatrix m : parts) {
            System.arraycopy(m.data, 0, d, off, m.data.length);
            off += m.data.length;
        }
        return new FloatMatrix((int) n, c, d);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + "]";
    }
}

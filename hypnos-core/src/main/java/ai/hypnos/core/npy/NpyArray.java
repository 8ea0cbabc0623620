package ai.hypnos.core.npy;

import ai.hypnos.core.numeric.Float16;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as numpy stores it: an element type, a shape, and the elements in C
 * (row-major) order.
 *
 * <p>The elements live in one byte buffer (on the heap for arrays read or built in memory,
 * memory-mapped for {@link Npy#map}), so an array is limited to 2 GiB of data. Arrays are
 * immutable: factories copy their input and getters return fresh Java arrays. Reads are
 * thread-safe.
 *
 * <h2>Conversions</h2>
 * The typed getters convert like numpy's {@code astype} where the result is exact or the intent
 * is plain, and refuse otherwise:
 * <ul>
 * <li>{@link #toDoubleArray()} and {@link #toFloatArray()}: any numeric type and bool (0/1);
 *     int64 beyond 2^53 and float64 → float32 round to nearest (once, as numpy does: 64-bit
 *     integers go to float32 directly, not through float64).</li>
 * <li>{@link #toLongArray()}, {@link #toIntArray()}, {@link #toShortArray()},
 *     {@link #toByteArray()}: integer types and bool; a narrower target is allowed when every
 *     element fits (otherwise {@link ArithmeticException} naming the element). Floats are refused:
 *     rounding is a decision for the caller.</li>
 * <li>{@link #toBooleanArray()}: bool only. {@link #toStringArray()}: unicode only.</li>
 * </ul>
 * A refused conversion throws {@link IllegalStateException} naming both types.
 */
public final class NpyArray {
    private final NpyDtype dtype;
    private final int itemSize;
    private final long[] shape;
    private final long size;
    /** Read-only, positioned at 0, limit = size * itemSize; its byte order is the data's. */
    private final ByteBuffer data;

    NpyArray(NpyDtype dtype, int itemSize, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.itemSize = itemSize;
        this.shape = shape.clone();
        this.size = elementCount(this.shape);
        if (size * itemSize != data.remaining()) {
            throw new IllegalArgumentException(dtype + " shape " + Arrays.toString(shape) + " needs "
                    + size * itemSize + " bytes, buffer holds " + data.remaining());
        }
        ByteOrder order = data.order();
        this.data = data.slice().asReadOnlyBuffer().order(order);
    }

    // ------------------------------------------------------------------------------------------
    // Factories

    /** A float32 array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(float[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 4);
        b.asFloatBuffer().put(data);
        return new NpyArray(NpyDtype.FLOAT32, 4, s, b);
    }

    /** A float64 array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(double[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 8);
        b.asDoubleBuffer().put(data);
        return new NpyArray(NpyDtype.FLOAT64, 8, s, b);
    }

    /** An int64 array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(long[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 8);
        b.asLongBuffer().put(data);
        return new NpyArray(NpyDtype.INT64, 8, s, b);
    }

    /** An int32 array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(int[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 4);
        b.asIntBuffer().put(data);
        return new NpyArray(NpyDtype.INT32, 4, s, b);
    }

    /** An int16 array (token shards); with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(short[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 2);
        b.asShortBuffer().put(data);
        return new NpyArray(NpyDtype.INT16, 2, s, b);
    }

    /** An int8 array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(byte[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        return new NpyArray(NpyDtype.INT8, 1, s, allocate(data.length, 1).put(data).flip());
    }

    /** A bool array; with no shape given, one dimension of {@code data.length}. */
    public static NpyArray of(boolean[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 1);
        for (boolean v : data) {
            b.put((byte) (v ? 1 : 0));
        }
        return new NpyArray(NpyDtype.BOOL, 1, s, b.flip());
    }

    /**
     * A float16 array from float32 values, each rounded to the nearest half (ties to even) as
     * numpy's {@code astype(np.float16)} does.
     */
    public static NpyArray ofFloat16(float[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        ByteBuffer b = allocate(data.length, 2);
        for (float v : data) {
            b.putShort(Float16.fromFloat(v));
        }
        return new NpyArray(NpyDtype.FLOAT16, 2, s, b.flip());
    }

    /** A unicode array ({@code <U<width>}) as wide as the longest string (at least 1). */
    public static NpyArray ofStrings(String[] data, long... shape) {
        long[] s = checkShape(data.length, shape);
        int width = 1;
        for (String v : data) {
            width = Math.max(width, v.codePointCount(0, v.length()));
        }
        ByteBuffer b = allocate(data.length, 4L * width);
        for (String v : data) {
            int[] cps = v.codePoints().toArray();
            for (int i = 0; i < width; i++) {
                b.putInt(i < cps.length ? cps[i] : 0);
            }
        }
        return new NpyArray(NpyDtype.UNICODE, 4 * width, s, b.flip());
    }

    /** A 0-dimensional float64 array (what {@code np.save(f, 2.5)} writes). */
    public static NpyArray scalar(double value) {
        ByteBuffer b = allocate(1, 8).putDouble(0, value);
        return new NpyArray(NpyDtype.FLOAT64, 8, new long[0], b);
    }

    /** A 0-dimensional int64 array. */
    public static NpyArray scalar(long value) {
        ByteBuffer b = allocate(1, 8).putLong(0, value);
        return new NpyArray(NpyDtype.INT64, 8, new long[0], b);
    }

    /**
     * An array over raw element bytes in the given dtype; the bytes are copied, read in the
     * buffer's byte order from its position to its limit.
     *
     * @param itemSize bytes per element: the dtype's size, or 4 × width for unicode
     */
    public static NpyArray ofBytes(NpyDtype dtype, int itemSize, long[] shape, ByteBuffer bytes) {
        if (dtype != NpyDtype.UNICODE && itemSize != dtype.itemSize()) {
            throw new IllegalArgumentException(dtype + " has item size " + dtype.itemSize() + ", not " + itemSize);
        }
        if (dtype == NpyDtype.UNICODE && (itemSize <= 0 || itemSize % 4 != 0)) {
            throw new IllegalArgumentException("unicode item size must be a positive multiple of 4: " + itemSize);
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(bytes.order());
        copy.put(bytes.duplicate()).flip();
        return new NpyArray(dtype, itemSize, shape, copy);
    }

    // ------------------------------------------------------------------------------------------
    // Description

    public NpyDtype dtype() {
        return dtype;
    }

    /** Bytes per element ({@link NpyDtype#itemSize()}, or 4 × width for unicode). */
    public int itemSize() {
        return itemSize;
    }

    /** The shape (a copy); empty for a 0-dimensional array. */
    public long[] shape() {
        return shape.clone();
    }

    /** Length of one dimension. */
    public long shape(int axis) {
        return shape[axis];
    }

    public int ndim() {
        return shape.length;
    }

    /** Number of elements (1 for a 0-dimensional array). */
    public long size() {
        return size;
    }

    /** Byte order of the stored elements (big-endian only for big-endian files read as they are). */
    public ByteOrder byteOrder() {
        return data.order();
    }

    /** numpy's type string for this array, e.g. {@code "<f4"}. */
    public String descr() {
        return NpyHeader.descr(dtype, itemSize, data.order());
    }

    /** The element bytes, read-only, in {@link #byteOrder()}, C order. */
    public ByteBuffer data() {
        return data.duplicate().order(data.order());
    }

    /** The same elements viewed with another shape of equal size; one dimension may be -1 (inferred). */
    public NpyArray reshape(long... newShape) {
        long[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("bad dimension in " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + size + " elements to " + Arrays.toString(newShape));
            }
            s[infer] = size / known;
        }
        if (elementCount(s) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + size
                    + " elements) to " + Arrays.toString(newShape));
        }
        return new NpyArray(dtype, itemSize, s, data());
    }

    // ------------------------------------------------------------------------------------------
    // Whole-array getters

    public float[] toFloatArray() {
        return toFloatArray(0, wholeCount());
    }

    public double[] toDoubleArray() {
        return toDoubleArray(0, wholeCount());
    }

    public long[] toLongArray() {
        return toLongArray(0, wholeCount());
    }

    public int[] toIntArray() {
        return toIntArray(0, wholeCount());
    }

    public short[] toShortArray() {
        return toShortArray(0, wholeCount());
    }

    public byte[] toByteArray() {
        return toByteArray(0, wholeCount());
    }

    public boolean[] toBooleanArray() {
        return toBooleanArray(0, wholeCount());
    }

    /** Unicode elements as Java strings, trailing NUL characters removed (as numpy does). */
    public String[] toStringArray() {
        return toStringArray(0, wholeCount());
    }

    /** The raw float16 bit patterns of a float16 array. */
    public short[] toFloat16Bits() {
        requireDtype(NpyDtype.FLOAT16, "float16 bits");
        return rawShorts(0, wholeCount());
    }

    /** The only element of a one-element array, as a double. */
    public double doubleValue() {
        requireOneElement();
        return toDoubleArray(0, 1)[0];
    }

    /** The only element of a one-element integer or bool array, as a long. */
    public long longValue() {
        requireOneElement();
        return toLongArray(0, 1)[0];
    }

    // ------------------------------------------------------------------------------------------
    // Range getters (flat C-order element index): random windows of memory-mapped shards

    /** {@code count} elements from flat index {@code from}, as float32. */
    public float[] toFloatArray(long from, int count) {
        checkRange(from, count);
        float[] out = new float[count];
        switch (dtype) {
            case FLOAT32 -> slice(from, count).asFloatBuffer().get(out);
            case FLOAT16 -> {
                ByteBuffer b = slice(from, count);
                for (int i = 0; i < count; i++) {
                    out[i] = Float16.toFloat(b.getShort(2 * i));
                }
            }
            // 64-bit integers straight to float: through double they would be rounded twice
            // (2^60 + 2^36 + 1 → 2^60 + 2^36 → 2^60, where numpy gives 2^60 + 2^37).
            case INT64 -> {
                ByteBuffer b = slice(from, count);
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getLong(8 * i);
                }
            }
            case UINT64 -> {
                ByteBuffer b = slice(from, count);
                for (int i = 0; i < count; i++) {
                    out[i] = unsignedToFloat(b.getLong(8 * i));
                }
            }
            default -> {
                requireNumeric("float32");
                ByteBuffer b = slice(from, count);
                for (int i = 0; i < count; i++) {
                    out[i] = (float) doubleAt(b, i);
                }
            }
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from}, as float64. */
    public double[] toDoubleArray(long from, int count) {
        checkRange(from, count);
        double[] out = new double[count];
        if (dtype == NpyDtype.FLOAT64) {
            slice(from, count).asDoubleBuffer().get(out);
            return out;
        }
        requireNumeric("float64");
        ByteBuffer b = slice(from, count);
        for (int i = 0; i < count; i++) {
            out[i] = doubleAt(b, i);
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from}, as int64. */
    public long[] toLongArray(long from, int count) {
        checkRange(from, count);
        requireIntegral("int64");
        long[] out = new long[count];
        if (dtype == NpyDtype.INT64) {
            slice(from, count).asLongBuffer().get(out);
            return out;
        }
        ByteBuffer b = slice(from, count);
        for (int i = 0; i < count; i++) {
            long v = longAt(b, i);
            if (dtype == NpyDtype.UINT64 && v < 0) {
                throw doesNotFit(from + i, Long.toUnsignedString(v), "int64");
            }
            out[i] = v;
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from}, as int32 (checked when narrowing). */
    public int[] toIntArray(long from, int count) {
        checkRange(from, count);
        requireIntegral("int32");
        int[] out = new int[count];
        if (dtype == NpyDtype.INT32) {
            slice(from, count).asIntBuffer().get(out);
            return out;
        }
        ByteBuffer b = slice(from, count);
        for (int i = 0; i < count; i++) {
            long v = longAt(b, i);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || (dtype == NpyDtype.UINT64 && v < 0)) {
                throw doesNotFit(from + i, dtype == NpyDtype.UINT64 ? Long.toUnsignedString(v) : Long.toString(v), "int32");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from}, as int16 (checked when narrowing). */
    public short[] toShortArray(long from, int count) {
        checkRange(from, count);
        requireIntegral("int16");
        if (dtype == NpyDtype.INT16) {
            return rawShorts(from, count);
        }
        short[] out = new short[count];
        ByteBuffer b = slice(from, count);
        for (int i = 0; i < count; i++) {
            long v = longAt(b, i);
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw doesNotFit(from + i, dtype == NpyDtype.UINT64 ? Long.toUnsignedString(v) : Long.toString(v), "int16");
            }
            out[i] = (short) v;
        }
        return out;
    }

    /**
     * {@code count} elements from flat index {@code from}, as bytes: int8 and bool (0/1) as
     * values, uint8 as its raw bytes (read them with {@code Byte.toUnsignedInt}), other integer
     * types checked to fit int8.
     */
    public byte[] toByteArray(long from, int count) {
        checkRange(from, count);
        requireIntegral("int8");
        byte[] out = new byte[count];
        ByteBuffer b = slice(from, count);
        if (dtype == NpyDtype.INT8 || dtype == NpyDtype.UINT8) {
            b.get(out);
            return out;
        }
        for (int i = 0; i < count; i++) {
            long v = longAt(b, i);
            if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
                throw doesNotFit(from + i, dtype == NpyDtype.UINT64 ? Long.toUnsignedString(v) : Long.toString(v), "int8");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from} of a bool array (any non-zero byte is true). */
    public boolean[] toBooleanArray(long from, int count) {
        checkRange(from, count);
        requireDtype(NpyDtype.BOOL, "boolean");
        boolean[] out = new boolean[count];
        ByteBuffer b = slice(from, count);
        for (int i = 0; i < count; i++) {
            out[i] = b.get(i) != 0;
        }
        return out;
    }

    /** {@code count} elements from flat index {@code from} of a unicode array. */
    public String[] toStringArray(long from, int count) {
        checkRange(from, count);
        requireDtype(NpyDtype.UNICODE, "String");
        String[] out = new String[count];
        ByteBuffer b = slice(from, count);
        int width = itemSize / 4;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int end = width;
            while (end > 0 && b.getInt((i * width + end - 1) * 4) == 0) {
                end--;
            }
            sb.setLength(0);
            for (int c = 0; c < end; c++) {
                int cp = b.getInt((i * width + c) * 4);
                // numpy rejects invalid code points; a corrupt file must not stop the reader.
                sb.appendCodePoint(Character.isValidCodePoint(cp) && !(cp >= 0xd800 && cp <= 0xdfff) ? cp : 0xfffd);
            }
            out[i] = sb.toString();
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Single elements

    /** Element at a flat C-order index, as a double (numeric types and bool). */
    public double getDouble(long index) {
        return toDoubleArray(index, 1)[0];
    }

    /** Element at a flat C-order index, as a long (integer types and bool). */
    public long getLong(long index) {
        return toLongArray(index, 1)[0];
    }

    /** Flat C-order index of the element at the given coordinates. */
    public long index(long... coordinates) {
        if (coordinates.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " coordinates, got " + coordinates.length);
        }
        long idx = 0;
        for (int i = 0; i < shape.length; i++) {
            if (coordinates[i] < 0 || coordinates[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("coordinate " + coordinates[i] + " outside axis " + i + " of length " + shape[i]);
            }
            idx = idx * shape[i] + coordinates[i];
        }
        return idx;
    }

    // ------------------------------------------------------------------------------------------

    /** Same dtype, shape and element bytes (after byte-order normalisation). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NpyArray other)) {
            return false;
        }
        return dtype == other.dtype && itemSize == other.itemSize && Arrays.equals(shape, other.shape)
                && littleEndianBytes().equals(other.littleEndianBytes());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + littleEndianBytes().hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + (dtype == NpyDtype.UNICODE ? "(" + itemSize / 4 + ")" : "")
                + ", shape=" + NpyHeader.shapeRepr(shape) + "]";
    }

    /** The element bytes in little-endian order (a view when already little-endian). */
    ByteBuffer littleEndianBytes() {
        ByteBuffer b = data();
        if (b.order() == ByteOrder.LITTLE_ENDIAN || itemSize == 1) {
            return b.order(ByteOrder.LITTLE_ENDIAN);
        }
        return swapToLittleEndian(b, dtype == NpyDtype.UNICODE ? 4 : itemSize);
    }

    /** Copies big-endian elements of {@code unit} bytes into a new little-endian buffer. */
    static ByteBuffer swapToLittleEndian(ByteBuffer bigEndian, int unit) {
        ByteBuffer in = bigEndian.duplicate();
        ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining();
        int base = in.position();
        for (int i = 0; i < n; i += unit) {
            for (int k = 0; k < unit; k++) {
                out.put(i + k, in.get(base + i + unit - 1 - k));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Internals

    private int wholeCount() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("array of " + size + " elements does not fit one Java array; read it in ranges");
        }
        return (int) size;
    }

    private void checkRange(long from, int count) {
        if (from < 0 || count < 0 || from > size - count) {
            throw new IndexOutOfBoundsException("elements [" + from + ", " + (from + count) + ") outside an array of " + size);
        }
    }

    /** A buffer over elements [from, from+count), positioned at 0, in the data's order. */
    private ByteBuffer slice(long from, int count) {
        ByteBuffer b = data.duplicate();
        int start = (int) (from * itemSize);
        b.position(start).limit(start + count * itemSize);
        return b.slice().order(data.order());
    }

    private short[] rawShorts(long from, int count) {
        short[] out = new short[count];
        slice(from, count).asShortBuffer().get(out);
        return out;
    }

    /** Element i of a slice as a double (numeric types and bool). */
    private double doubleAt(ByteBuffer b, int i) {
        return switch (dtype) {
            case BOOL, INT8 -> b.get(i);
            case UINT8 -> b.get(i) & 0xff;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> b.getInt(4 * i) & 0xffffffffL;
            case INT64 -> b.getLong(8 * i);
            case UINT64 -> unsignedToDouble(b.getLong(8 * i));
            case FLOAT16 -> Float16.toFloat(b.getShort(2 * i));
            case FLOAT32 -> b.getFloat(4 * i);
            case FLOAT64 -> b.getDouble(8 * i);
            case UNICODE -> throw new IllegalStateException("unicode array has no numeric value");
        };
    }

    /** Element i of a slice as a long (integer types and bool; uint64 as its bit pattern). */
    private long longAt(ByteBuffer b, int i) {
        return switch (dtype) {
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case INT8 -> b.get(i);
            case UINT8 -> b.get(i) & 0xff;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> b.getInt(4 * i) & 0xffffffffL;
            case INT64, UINT64 -> b.getLong(8 * i);
            default -> throw new IllegalStateException(dtype + " has no integer value");
        };
    }

    private static double unsignedToDouble(long v) {
        // Halve with the lost bit folded in ("round to odd"), so the doubling rounds only once.
        return v >= 0 ? (double) v : (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    private static float unsignedToFloat(long v) {
        // As unsignedToDouble: the folded-in bit keeps "above half-way" visible to the one rounding.
        return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2.0f;
    }

    private void requireNumeric(String target) {
        if (dtype == NpyDtype.UNICODE) {
            throw refused(target);
        }
    }

    private void requireIntegral(String target) {
        if (!dtype.isInteger() && dtype != NpyDtype.BOOL) {
            throw refused(target);
        }
    }

    private void requireDtype(NpyDtype wanted, String target) {
        if (dtype != wanted) {
            throw refused(target);
        }
    }

    private void requireOneElement() {
        if (size != 1) {
            throw new IllegalStateException("array " + this + " has " + size + " elements, not one");
        }
    }

    private IllegalStateException refused(String target) {
        return new IllegalStateException("cannot read a " + dtype + " array as " + target
                + " (shape " + NpyHeader.shapeRepr(shape) + ")");
    }

    private ArithmeticException doesNotFit(long index, String value, String target) {
        return new ArithmeticException("element " + index + " = " + value + " of a " + dtype + " array does not fit " + target);
    }

    private static long[] checkShape(int length, long[] shape) {
        if (shape.length == 0) {
            return new long[] {length};
        }
        long n = elementCount(shape);
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements, data has " + length);
        }
        return shape.clone();
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static ByteBuffer allocate(long count, long itemSize) {
        long bytes = count * itemSize;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array of " + bytes + " bytes exceeds the 2 GiB limit of one NpyArray");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}

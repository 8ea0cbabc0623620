package ai.hypnos.core.npy;

/**
 * The element types an {@link NpyArray} holds, with their numpy type codes.
 *
 * <p>All fixed-size types have one item size. {@link #UNICODE} ({@code '<U8'}: fixed-width
 * UTF-32 strings, what {@code np.array(["eeg_c3", ...])} saves) has a width per array, given by
 * {@link NpyArray#itemSize()}.
 */
public enum NpyDtype {
    BOOL('b', 1, "bool"),
    INT8('i', 1, "int8"),
    UINT8('u', 1, "uint8"),
    INT16('i', 2, "int16"),
    UINT16('u', 2, "uint16"),
    INT32('i', 4, "int32"),
    UINT32('u', 4, "uint32"),
    INT64('i', 8, "int64"),
    UINT64('u', 8, "uint64"),
    FLOAT16('f', 2, "float16"),
    FLOAT32('f', 4, "float32"),
    FLOAT64('f', 8, "float64"),
    /** Fixed-width unicode strings; 4 bytes per character, width per array. */
    UNICODE('U', 4, "str");

    private final char kind;
    private final int size;
    private final String numpyName;

    NpyDtype(char kind, int size, String numpyName) {
        this.kind = kind;
        this.size = size;
        this.numpyName = numpyName;
    }

    /** numpy's kind character: {@code b i u f U}. */
    public char kind() {
        return kind;
    }

    /** Bytes per element; for {@link #UNICODE} bytes per character (the element width varies). */
    public int itemSize() {
        return size;
    }

    /** The numpy name, e.g. {@code "float32"}. */
    public String numpyName() {
        return numpyName;
    }

    /** True for the float kinds. */
    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** True for signed and unsigned integers (not bool). */
    public boolean isInteger() {
        return kind == 'i' || kind == 'u';
    }

    /** The dtype with this numpy kind and item size, or {@code null}. */
    static NpyDtype of(char kind, int itemSize) {
        if (kind == 'U') {
            return UNICODE;
        }
        for (NpyDtype d : values()) {
            if (d.kind == kind && d.size == itemSize) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}

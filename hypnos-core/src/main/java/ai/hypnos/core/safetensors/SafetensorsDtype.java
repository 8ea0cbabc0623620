package ai.hypnos.core.safetensors;

/**
 * Element types of a safetensors file, by their header names.
 *
 * <p>The declaration order is the safetensors library's (increasing alignment): writers lay
 * tensors out by descending dtype in this order, then by name, as the Python library does.
 */
public enum SafetensorsDtype {
    BOOL(1),
    U8(1),
    I8(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8);

    private final int size;

    SafetensorsDtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int itemSize() {
        return size;
    }

    /** F16, BF16, F32, F64. */
    public boolean isFloatingPoint() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** Signed and unsigned integers (not BOOL). */
    public boolean isInteger() {
        return !isFloatingPoint() && this != BOOL;
    }

    /** The dtype with this header name, or {@code null} if unknown. */
    public static SafetensorsDtype byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}

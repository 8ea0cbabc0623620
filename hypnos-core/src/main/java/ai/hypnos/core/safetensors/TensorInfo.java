package ai.hypnos.core.safetensors;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: dtype, shape and byte range.
 *
 * <p>Offsets are relative to the start of the data section (just after the header), as the
 * format stores them; {@link SafetensorsFile} has checked that they are consistent.
 */
public final class TensorInfo {
    private final String name;
    private final SafetensorsDtype dtype;
    private final long[] shape;
    private final long begin;
    private final long end;

    TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.begin = begin;
        this.end = end;
    }

    public String name() {
        return name;
    }

    public SafetensorsDtype dtype() {
        return dtype;
    }

    /** The shape (a copy); empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d; // checked against overflow when the header was read
        }
        return n;
    }

    /** First byte, relative to the data section. */
    public long begin() {
        return begin;
    }

    /** One past the last byte, relative to the data section. */
    public long end() {
        return end;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}

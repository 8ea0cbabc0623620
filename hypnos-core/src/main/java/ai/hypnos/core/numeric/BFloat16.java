package ai.hypnos.core.numeric;

/**
 * bfloat16 (safetensors {@code BF16}): the top 16 bits of a float32, held in a {@code short}.
 *
 * <p>Decoded in Java because DJL aborts the JVM when asked for {@code BFLOAT16} (DESIGN §2).
 * {@link #fromFloat(float)} rounds to nearest, ties to even, like PyTorch's
 * {@code tensor.to(torch.bfloat16)}; every NaN becomes the canonical quiet NaN {@code 0x7fc0}
 * (PyTorch does the same), infinities stay infinite, and finite values above the largest
 * bfloat16 round to infinity.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /** The float32 value of a bfloat16 bit pattern (exact). */
    public static float toFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** The nearest bfloat16 value (ties to even) as a bit pattern. */
    public static short fromFloat(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7fc0;
        }
        int bits = Float.floatToRawIntBits(value);
        // Adding 0x7fff plus the lowest kept bit rounds half-way cases towards the even neighbour.
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Decodes a whole array of bfloat16 bit patterns. */
    public static float[] toFloats(short[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = toFloat(values[i]);
        }
        return out;
    }
}

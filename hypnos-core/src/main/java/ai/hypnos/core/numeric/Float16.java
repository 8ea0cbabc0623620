package ai.hypnos.core.numeric;

import java.nio.ShortBuffer;

/**
 * IEEE 754 half precision ({@code float16}, numpy {@code '<f2'}, safetensors {@code F16}) held in
 * the low 16 bits of a {@code short}.
 *
 * <p>Java 17 has no half-precision type, so arrays of float16 are stored as raw bit patterns and
 * converted here. {@link #fromFloat(float)} rounds to nearest, ties to even, exactly as numpy's
 * {@code astype(np.float16)} does: values beyond the largest half (65504 + half an ulp) become
 * infinity, values below half the smallest subnormal become signed zero, NaN stays NaN (its top
 * payload bits kept, never turned into infinity). {@link #toFloat(short)} is exact.
 */
public final class Float16 {
    /** Largest finite half-precision value (65504). */
    public static final float MAX_VALUE = 65504f;

    private Float16() {
    }

    /** The float32 value of a half-precision bit pattern (exact: every half is a float). */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exactly representable as a float.
            float magnitude = Math.scalb((float) mant, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exp == 0x1f) {
            // Infinity or NaN: keep the payload in the top mantissa bits.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * The nearest half-precision value (ties to even) as a bit pattern. Branch-light, for the
     * millions of values a night's embeddings hold: the normal range rounds with integer adds, the
     * subnormal range with one float add; {@code HalfPrecisionTest} checks it against the
     * rule-by-rule rounding on a sweep of all floats and every tie.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x47800000) {
            // 2^16 or more, infinity or NaN: no half is that large.
            if (abs > 0x7f800000) {
                // NaN: keep the top 10 payload bits; if they are all zero set one so it stays NaN.
                int payload = (abs >>> 13) & 0x3ff;
                return (short) (sign | 0x7c00 | (payload == 0 ? 1 : payload));
            }
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // Below 2^-14, the smallest normal half: a count of 2^-24 units. Adding 0.5 (whose ulp
            // is 2^-24) lets the float adder round that count to nearest even into the low bits.
            float aligned = Float.intBitsToFloat(abs) + 0.5f;
            return (short) (sign | (Float.floatToRawIntBits(aligned) - 0x3f000000));
        }
        // Normal: rebias the exponent from 127 to 15 and round away the 13 low mantissa bits, to
        // nearest even by adding 0xfff plus the lowest kept bit. A carry out of the mantissa bumps
        // the exponent, up to 0x7c00, infinity, as it should.
        int rounded = abs - ((127 - 15) << 23) + 0xfff + ((abs >>> 13) & 1);
        return (short) (sign | (rounded >>> 13));
    }

    /** Decodes a whole array of half-precision bit patterns. */
    public static float[] toFloats(short[] halves) {
        float[] table = Widened.TABLE;
        float[] out = new float[halves.length];
        for (int i = 0; i < halves.length; i++) {
            out[i] = table[halves[i] & 0xffff];
        }
        return out;
    }

    /**
     * Decodes {@code count} half-precision values from {@code src} (from its position, which is
     * left unchanged) into {@code dst[offset..]}: how a float16 tensor's host memory becomes floats.
     */
    public static void toFloats(ShortBuffer src, float[] dst, int offset, int count) {
        float[] table = Widened.TABLE;
        int from = src.position();
        for (int i = 0; i < count; i++) {
            dst[offset + i] = table[src.get(from + i) & 0xffff];
        }
    }

    /** Every half's float value, indexed by its bits: a look-up is twice as fast as decoding (measured). */
    private static final class Widened {
        static final float[] TABLE = new float[1 << 16];

        static {
            for (int bits = 0; bits < TABLE.length; bits++) {
                TABLE[bits] = toFloat((short) bits);
            }
        }
    }

    /** Encodes a whole array, rounding each value to nearest even. */
    public static short[] fromFloats(float[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = fromFloat(values[i]);
        }
        return out;
    }
}

package ai.hypnos.core.numeric;

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

    /** The nearest half-precision value (ties to even) as a bit pattern. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;

        if (exp == 0xff) {
            if (mant == 0) {
                return (short) (sign | 0x7c00);
            }
            // NaN: keep the top 10 payload bits; if they are all zero set one so it stays NaN.
            int payload = mant >>> 13;
            return (short) (sign | 0x7c00 | (payload == 0 ? 1 : payload));
        }
        int halfExp = exp - 127 + 15;
        if (halfExp >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExp <= 0) {
            if (halfExp < -10) {
                // Below 2^-25: rounds to zero whatever the mantissa.
                return (short) sign;
            }
            // Half subnormal: count units of 2^-24. The float is m * 2^(exp-150) with the
            // implicit bit restored, so the count is m >> (126 - exp), rounded to even.
            int m = mant | 0x800000;
            int shift = 126 - exp;
            int q = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (q & 1) == 1)) {
                q++; // may carry into the smallest normal: that encoding is correct too
            }
            return (short) (sign | q);
        }
        int q = (halfExp << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (q & 1) == 1)) {
            q++; // a carry out of the mantissa bumps the exponent; 0x7c00 is infinity, as it should be
        }
        return (short) (sign | q);
    }

    /** Decodes a whole array of half-precision bit patterns. */
    public static float[] toFloats(short[] halves) {
        float[] out = new float[halves.length];
        for (int i = 0; i < halves.length; i++) {
            out[i] = toFloat(halves[i]);
        }
        return out;
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

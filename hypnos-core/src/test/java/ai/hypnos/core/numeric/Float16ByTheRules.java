package ai.hypnos.core.numeric;

/**
 * Float-to-half rounding written out rule by rule from IEEE 754 (exponent cases, then the
 * remainder against the half-way point): slow and plain, the oracle for {@link Float16#fromFloat}.
 */
final class Float16ByTheRules {
    private Float16ByTheRules() {
    }

    static short fromFloat(float value) {
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
}

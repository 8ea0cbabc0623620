package ai.hypnos.core.numeric;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounding edge cases of {@link Float16} and {@link BFloat16}, written out by hand from the IEEE
 * rules (the numpy and PyTorch digests in the npy and safetensors golden tests cover the bulk).
 */
class HalfPrecisionTest {
    static int h(float f) {
        return Float16.fromFloat(f) & 0xffff;
    }

    @Test
    void float16RoundsToNearestEven() {
        assertEquals(0x3c00, h(1f));
        assertEquals(0x3c00, h(1f + 0x1p-11f), "half-way between 1 and 1+2^-10: tie to even (1)");
        assertEquals(0x3c02, h(1f + 3 * 0x1p-11f), "half-way between odd and even: tie to even");
        assertEquals(0x3c01, h(1f + 0x1p-11f + 0x1p-20f), "just above half-way: up");
        assertEquals(0x7bff, h(65504f));
        assertEquals(0x7bff, h(65519.99f), "below 65520 rounds down to the largest half");
        assertEquals(0x7c00, h(65520f), "65520 ties to even: infinity");
        assertEquals(0xfc00, h(-1e9f));
        assertEquals(0x0001, h(0x1p-24f), "smallest subnormal");
        assertEquals(0x0000, h(0x1p-25f), "half of the smallest subnormal ties to zero");
        assertEquals(0x0001, h(Math.nextUp(0x1p-25f)));
        assertEquals(0x8000, h(-1e-10f));
        assertEquals(0x0400, h(0x1p-14f), "smallest normal");
        assertEquals(0x0400, h(0x1p-14f - 0x1p-25f), "rounds up into the normal range");
        assertEquals(0x7c00, h(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.intBitsToFloat(0x7f800001)))),
                "a NaN whose payload sits below the half mantissa stays NaN");
    }

    @Test
    void float16DecodesEveryPatternBackToItself() {
        for (int bits = 0; bits < 65536; bits++) {
            float f = Float16.toFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, Float16.fromFloat(f) & 0xffff, Integer.toHexString(bits));
            }
        }
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Float16.toFloat((short) 1));
        assertEquals(-0f, Float16.toFloat((short) 0x8000));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals(0x3f80, BFloat16.fromFloat(1f) & 0xffff);
        assertEquals(0x3f80, BFloat16.fromFloat(Float.intBitsToFloat(0x3f808000)) & 0xffff, "tie to even (down)");
        assertEquals(0x3f82, BFloat16.fromFloat(Float.intBitsToFloat(0x3f818000)) & 0xffff, "tie to even (up)");
        assertEquals(0x3f81, BFloat16.fromFloat(Float.intBitsToFloat(0x3f808001)) & 0xffff);
        assertEquals(0x7f80, BFloat16.fromFloat(Float.MAX_VALUE) & 0xffff, "rounds past the largest bfloat16");
        assertEquals(0x7f80, BFloat16.fromFloat(Float.POSITIVE_INFINITY) & 0xffff);
        assertEquals(0x7fc0, BFloat16.fromFloat(Float.NaN) & 0xffff);
        assertEquals(-2.5f, BFloat16.toFloat(BFloat16.fromFloat(-2.5f)));
        for (int bits = 0; bits < 65536; bits++) {
            float f = BFloat16.toFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, BFloat16.fromFloat(f) & 0xffff);
            }
        }
    }
}

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
    void float16RoundingAgreesWithTheRulesOnASweepOfAllFloatsAndEveryTie() {
        // A prime stride visits every exponent with varied low mantissa bits (about a million floats).
        for (long i = 0; i < (1L << 32); i += 4099) {
            assertSameRounding(Float.intBitsToFloat((int) i));
        }
        // Every tie between two adjacent halves (normal and subnormal), and the floats beside it.
        for (int h = 0; h < 0x7c00; h++) {
            float lo = Float16.toFloat((short) h);
            float hi = Float16.toFloat((short) (h + 1));
            float tie = (float) (((double) lo + hi) / 2);
            for (float f : new float[] {tie, Math.nextUp(tie), Math.nextDown(tie), lo, hi}) {
                assertSameRounding(f);
                assertSameRounding(-f);
            }
        }
    }

    private static void assertSameRounding(float f) {
        int expected = Float16ByTheRules.fromFloat(f) & 0xffff;
        int actual = Float16.fromFloat(f) & 0xffff;
        if (expected != actual) {
            assertEquals(Integer.toHexString(expected), Integer.toHexString(actual),
                    "rounding of " + f + " (bits " + Integer.toHexString(Float.floatToRawIntBits(f)) + ")");
        }
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
    void float16DecodesBuffersAndArraysLikeOneByOne() {
        java.nio.ShortBuffer all = java.nio.ShortBuffer.allocate(65536 + 3);
        for (int bits = 0; bits < 65536; bits++) {
            all.put(3 + bits, (short) bits);
        }
        all.position(3);
        float[] out = new float[65536 + 2];
        Float16.toFloats(all, out, 2, 65536);
        assertEquals(3, all.position());
        assertEquals(0f, out[0]);
        short[] every = new short[65536];
        for (int bits = 0; bits < 65536; bits++) {
            every[bits] = (short) bits;
        }
        float[] fromArray = Float16.toFloats(every);
        for (int bits = 0; bits < 65536; bits++) {
            int expected = Float.floatToRawIntBits(Float16.toFloat((short) bits));
            assertEquals(expected, Float.floatToRawIntBits(out[2 + bits]), Integer.toHexString(bits));
            assertEquals(expected, Float.floatToRawIntBits(fromArray[bits]), Integer.toHexString(bits));
        }
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

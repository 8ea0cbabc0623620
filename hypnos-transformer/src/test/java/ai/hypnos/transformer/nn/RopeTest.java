package ai.hypnos.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.transformer.weights.ParameterNames;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * RoPE tables: bounded memory whatever positions are asked for, and the same rows from the
 * shared tables, from a bundle's stored buffers and from the per-call path past the tables.
 */
class RopeTest {
    private static final int HD = 16;
    private static final int HALF = HD / 2;

    /** {C, S'} of a slice as host arrays. */
    private static float[][] slice(Rope rope, int offset, int count, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            NDArray[] t = rope.slice(offset, count, DataType.FLOAT32, scope);
            assertEquals(count, t[0].getShape().get(0));
            assertEquals(HD, t[0].getShape().get(1));
            return new float[][] {t[0].toFloatArray(), t[1].toFloatArray()};
        }
    }

    @Test
    void rowsPastTheTablesEqualTorchsStoredBuffers() throws IOException {
        // The golden bundle's cos_cached/sin_cached were written by torch: [4096, 8], head dim 16.
        float[] cos;
        float[] sin;
        try (SafetensorsFile st = SafetensorsFile.open(TestData.path("golden/bundle.safetensors"))) {
            cos = st.floats("model/" + ParameterNames.rope("cos_cached"));
            sin = st.floats("model/" + ParameterNames.rope("sin_cached"));
        }
        assertEquals(4096 * HALF, cos.length);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Rope small = new Rope(HD, 8, null, null, m);
            Rope full = new Rope(HD, 4096, null, null, m);
            Rope stored = new Rope(HD, 4096, cos, sin, m);
            int offset = 4000;
            int count = 96;
            float[][] past = slice(small, offset, count, m);
            assertEquals(1, small.tableRows(), "positions past the capacity never grow the shared tables");
            double worst = 0;
            for (int r = 0; r < count; r++) {
                for (int i = 0; i < HALF; i++) {
                    float c = cos[(offset + r) * HALF + i];
                    float s = sin[(offset + r) * HALF + i];
                    int o = r * HD + 2 * i;
                    worst = Math.max(worst, Math.abs(past[0][o] - c) + Math.abs(past[0][o + 1] - c));
                    worst = Math.max(worst, Math.abs(past[1][o] + s) + Math.abs(past[1][o + 1] - s));
                }
            }
            assertTrue(worst < 1e-6, "per-call rows vs torch's buffers: " + worst);
            // The per-call path and the table path compute bit-identical rows.
            float[][] inTable = slice(full, offset, count, m);
            assertArrayEquals(inTable[0], past[0], 0f);
            assertArrayEquals(inTable[1], past[1], 0f);
            // A bundle's buffers are used as stored.
            float[][] fromBundle = slice(stored, offset, count, m);
            for (int r = 0; r < count; r++) {
                for (int i = 0; i < HALF; i++) {
                    assertEquals(cos[(offset + r) * HALF + i], fromBundle[0][r * HD + 2 * i], 0f);
                    assertEquals(sin[(offset + r) * HALF + i], fromBundle[1][r * HD + 2 * i + 1], 0f);
                }
            }
            // Host tables longer than the capacity: stored rows first, computed ones after.
            float[] longCos = small.cosTable(100);
            assertEquals(100 * HALF, longCos.length);
            assertArrayEquals(java.util.Arrays.copyOf(cos, 100 * HALF), longCos, 1e-6f);
            assertArrayEquals(java.util.Arrays.copyOf(cos, 8 * HALF), stored.cosTable(8), 0f);
        }
    }

    @Test
    void tablesStopAtTheirCapacityHoweverLongTheStream() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Rope rope = new Rope(HD, 16, null, null, m);
            assertEquals(16, rope.capacity());
            assertEquals(1, rope.tableRows(), "one row until more are used");
            float[][] first = slice(rope, 3, 1, m);
            assertTrue(rope.tableRows() >= 4 && rope.tableRows() <= 16, "" + rope.tableRows());
            for (int p = 0; p < 5000; p++) {
                slice(rope, p, 1, m);
                assertTrue(rope.tableRows() <= 16, "table grew to " + rope.tableRows() + " rows at position " + p);
            }
            assertEquals(16, rope.tableRows());
            assertArrayEquals(first[0], slice(rope, 3, 1, m)[0], 0f);
            // A slice straddling the capacity.
            float[][] straddle = slice(rope, 10, 20, m);
            float[][] wide = slice(new Rope(HD, 64, null, null, m), 10, 20, m);
            assertArrayEquals(wide[0], straddle[0], 0f);
            assertArrayEquals(wide[1], straddle[1], 0f);
        }
    }

    @Test
    void hugeLengthsCostNothingUntilUsedAndNeverOverflow() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 300,000,000 rows × 16 overflowed int (NegativeArraySizeException) when tables were built eagerly.
            Rope rope = new Rope(HD, 300_000_000, null, null, m);
            assertEquals(1, rope.tableRows());
            assertEquals(Rope.MAX_TABLE_VALUES / HD, rope.capacity());
            int p = 299_999_990;
            float[][] rows = slice(rope, p, 4, m);
            float[] f = Rope.frequencies(HD);
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < HALF; i++) {
                    // torch: outer(arange(L).float(), freqs) in float32, then cos/sin.
                    float angle = (float) (p + r) * f[i];
                    assertEquals((float) Math.cos(angle), rows[0][r * HD + 2 * i], 0f);
                    assertEquals((float) Math.sin(angle), rows[1][r * HD + 2 * i + 1], 0f);
                }
            }
            assertEquals(1, rope.tableRows());
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> rope.cosTable(300_000_000));
            assertTrue(big.getMessage().contains("300000000 rows × 8 = 2400000000 values"), big.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rope.slice(-1, 2, DataType.FLOAT32, m));
            assertThrows(IllegalArgumentException.class,
                    () -> rope.slice(Integer.MAX_VALUE - 1, 5, DataType.FLOAT32, m));
            assertThrows(IllegalArgumentException.class, () -> new Rope(7, 10, null, null, m));
        }
    }
}

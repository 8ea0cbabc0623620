package ai.hypnos.core.npy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions, shapes and range reads of {@link NpyArray}. */
class NpyArrayTest {
    @TempDir
    Path dir;

    @Test
    void factoriesDefaultToOneDimensionAndCheckShapes() {
        assertArrayEquals(new long[] {3}, NpyArray.of(new float[3]).shape());
        assertArrayEquals(new long[0], NpyArray.scalar(1.5).shape());
        assertEquals(1, NpyArray.scalar(1.5).size());
        assertArrayEquals(new long[] {2, 0, 4}, NpyArray.of(new int[0], 2, 0, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new float[0], -1, 0));
        NpyArray a = NpyArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(2, a.ndim());
        assertEquals(3, a.shape(1));
        assertEquals(4, a.index(1, 1));
        assertEquals(5.0, a.getDouble(a.index(1, 1)));
        assertThrows(IndexOutOfBoundsException.class, () -> a.index(2, 0));
        assertEquals("NpyArray[float64, shape=(2, 3)]", a.toString());
    }

    @Test
    void wideningConversionsAreExact() {
        NpyArray i16 = NpyArray.of(new short[] {-32768, 0, 32767});
        assertArrayEquals(new long[] {-32768, 0, 32767}, i16.toLongArray());
        assertArrayEquals(new int[] {-32768, 0, 32767}, i16.toIntArray());
        assertArrayEquals(new double[] {-32768, 0, 32767}, i16.toDoubleArray());
        assertArrayEquals(new float[] {-32768, 0, 32767}, i16.toFloatArray());
        NpyArray b = NpyArray.of(new boolean[] {true, false});
        assertArrayEquals(new long[] {1, 0}, b.toLongArray());
        assertArrayEquals(new double[] {1, 0}, b.toDoubleArray());
        NpyArray u8 = NpyArray.ofBytes(NpyDtype.UINT8, 1, new long[] {2}, ByteBuffer.wrap(new byte[] {(byte) 255, 1}));
        assertArrayEquals(new int[] {255, 1}, u8.toIntArray());
        assertArrayEquals(new short[] {255, 1}, u8.toShortArray());
        assertArrayEquals(new byte[] {(byte) 255, 1}, u8.toByteArray());
        NpyArray f64 = NpyArray.of(new double[] {0.1});
        assertEquals(0.1f, f64.toFloatArray()[0]);
    }

    /**
     * 64-bit integers → float32 round once, to nearest even, as numpy's astype. Expected values
     * computed with numpy 2.4:
     * {@code np.array([...], dtype=np.int64).astype(np.float32)} and the same with
     * {@code dtype=np.uint64}, printed with {@code int(f)}.
     */
    @Test
    void sixtyFourBitIntegersRoundToFloat32OnceLikeNumpy() {
        long[] int64 = {
            (1L << 60) + (1L << 36) + 1,     // just above half an ulp: up (through double: down)
            -((1L << 60) + (1L << 36) + 1),
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            (1L << 24) + 1,                  // tie: to even
            (1L << 40) + (1L << 16) + 1,
        };
        float[] numpyInt64 = {
            1152921642045800448f,          // 2^60 + 2^37
            -1152921642045800448f,
            9223372036854775808f,          // 2^63
            -9223372036854775808f,
            16777216f,
            1099511758848f,                // 2^40 + 2^17
        };
        assertArrayEquals(numpyInt64, NpyArray.of(int64).toFloatArray());
        assertEquals(1152921642045800448f, NpyArray.of(int64).toFloatArray(0, 1)[0], "range read too");

        // uint64 as raw bit patterns: 2^64-1, 2^63+2^39+1, 2^63+2^39, 2^63+3*2^39, 2^64-2^39-1
        long[] uint64Bits = {
            -1L,
            Long.MIN_VALUE + (1L << 39) + 1,
            Long.MIN_VALUE + (1L << 39),
            Long.MIN_VALUE + 3 * (1L << 39),
            -(1L << 39) - 1,
        };
        float[] numpyUint64 = {
            18446744073709551616f,          // 2^64
            9223373136366403584f,           // 2^63 + 2^40 (through double: 2^63)
            9223372036854775808f,           // tie: to even, 2^63
            9223374235878031360f,           // tie: to even, 2^63 + 2^41
            18446742974197923840f,          // 2^64 - 2^40 (through double: 2^64)
        };
        ByteBuffer raw = ByteBuffer.allocate(8 * uint64Bits.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(uint64Bits);
        NpyArray u64 = NpyArray.ofBytes(NpyDtype.UINT64, 8, new long[] {uint64Bits.length}, raw);
        assertArrayEquals(numpyUint64, u64.toFloatArray());
    }

    @Test
    void narrowingIsCheckedAndFloatsAreNotRoundedToIntegers() {
        NpyArray tokens = NpyArray.of(new long[] {0, 15, 1023});
        assertArrayEquals(new short[] {0, 15, 1023}, tokens.toShortArray());
        assertArrayEquals(new int[] {0, 15, 1023}, tokens.toIntArray());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> NpyArray.of(new long[] {1, 40000}).toShortArray());
        assertTrue(e.getMessage().contains("element 1 = 40000"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> NpyArray.of(new long[] {1L << 40}).toIntArray());
        assertThrows(ArithmeticException.class, () -> NpyArray.of(new int[] {200}).toByteArray());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> NpyArray.of(new float[] {1.5f}).toLongArray());
        assertTrue(s.getMessage().contains("float32"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> NpyArray.of(new float[1]).toBooleanArray());
        assertThrows(IllegalStateException.class, () -> NpyArray.ofStrings(new String[] {"a"}).toDoubleArray());
        assertThrows(IllegalStateException.class, () -> NpyArray.of(new int[1]).toStringArray());
        assertThrows(IllegalStateException.class, () -> NpyArray.of(new int[2]).longValue());
    }

    @Test
    void rangeReadsAndReshape() {
        short[] v = new short[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i * 3);
        }
        NpyArray shard = NpyArray.of(v, 10, 6);
        assertArrayEquals(new short[] {36, 39, 42, 45, 48, 51}, shard.toShortArray(shard.index(2, 0), 6));
        assertThrows(IndexOutOfBoundsException.class, () -> shard.toShortArray(55, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> shard.toShortArray(-1, 1));
        NpyArray r = shard.reshape(5, -1, 3);
        assertArrayEquals(new long[] {5, 4, 3}, r.shape());
        assertArrayEquals(v, r.toShortArray());
        assertThrows(IllegalArgumentException.class, () -> shard.reshape(7, -1));
        assertThrows(IllegalArgumentException.class, () -> shard.reshape(61));
    }

    @Test
    void stringsKeepUnicodeAndDropTrailingNuls() {
        NpyArray s = NpyArray.ofStrings(new String[] {"a", "naïve", "😴😴"}, 3);
        assertEquals(NpyDtype.UNICODE, s.dtype());
        assertEquals(20, s.itemSize());
        assertEquals("<U5", s.descr());
        assertArrayEquals(new String[] {"a", "naïve", "😴😴"}, s.toStringArray());
    }

    @Test
    void equalityIgnoresByteOrder() {
        ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(7).putInt(-1).flip();
        NpyArray big = NpyArray.ofBytes(NpyDtype.INT32, 4, new long[] {2}, be);
        assertEquals(">i4", big.descr());
        assertArrayEquals(new int[] {7, -1}, big.toIntArray());
        assertEquals(NpyArray.of(new int[] {7, -1}), big);
        assertEquals(NpyArray.of(new int[] {7, -1}).hashCode(), big.hashCode());
        assertNotEquals(NpyArray.of(new int[] {7, -1}, 2, 1), big);
    }

    @Test
    void mappedShardServesRandomWindowsFromManyThreads() throws Exception {
        int rows = 5000;
        int k = 8;
        short[] v = new short[rows * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i % 1021 - 500);
        }
        Path f = dir.resolve("tokens.npy");
        Npy.write(f, NpyArray.of(v, rows, k));
        NpyArray mapped = Npy.map(f);
        assertEquals(NpyDtype.INT16, mapped.dtype());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                jobs.add(pool.submit(() -> {
                    java.util.Random rnd = new java.util.Random(seed);
                    for (int j = 0; j < 500; j++) {
                        int start = rnd.nextInt(rows - 64);
                        short[] w = mapped.toShortArray((long) start * k, 64 * k);
                        for (int i = 0; i < w.length; i++) {
                            assertEquals(v[start * k + i], w[i]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void writeThenReadRoundTripsEveryDtype() throws IOException {
        List<NpyArray> all = List.of(
                NpyArray.of(new float[] {1, Float.NaN}), NpyArray.of(new double[] {-0.0}), NpyArray.ofFloat16(new float[] {0.5f, 1e5f}),
                NpyArray.of(new long[] {5}), NpyArray.of(new int[] {5}), NpyArray.of(new short[] {5}), NpyArray.of(new byte[] {5}),
                NpyArray.of(new boolean[] {true}), NpyArray.ofStrings(new String[] {"x"}),
                NpyArray.ofBytes(NpyDtype.UINT16, 2, new long[] {1}, ByteBuffer.wrap(new byte[] {1, 2})),
                NpyArray.ofBytes(NpyDtype.UINT32, 4, new long[] {1}, ByteBuffer.wrap(new byte[] {1, 2, 3, 4})),
                NpyArray.ofBytes(NpyDtype.UINT64, 8, new long[] {1}, ByteBuffer.wrap(new byte[8])));
        for (NpyArray a : all) {
            Path f = dir.resolve("rt.npy");
            Npy.write(f, a);
            assertEquals(a, Npy.read(f), a.toString());
            assertEquals(a, Npy.map(f), a.toString());
        }
        assertEquals(Float.POSITIVE_INFINITY, NpyArray.ofFloat16(new float[] {1e5f}).toFloatArray()[0]);
    }
}

package ai.hypnos.core.npy;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written by numpy ({@code src/test/python/npy_golden.py}) read back exactly, and arrays
 * built in Java written byte for byte as numpy writes them.
 */
class NpyGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode expected() throws IOException {
        try (InputStream in = NpyGoldenTest.class.getResourceAsStream("/npy/expected.json")) {
            return JSON.readTree(in);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(NpyGoldenTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> npyFiles() throws IOException {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(n -> {
            if (n.endsWith(".npy")) {
                names.add(n);
            }
        });
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("npyFiles")
    void readsEveryNumpyFileExactly(String name) throws IOException {
        JsonNode e = expected().get(name);
        NpyArray a = Npy.read(resource(name));
        assertMatches(e, a, name);
    }

    @ParameterizedTest
    @MethodSource("npyFiles")
    void mapGivesTheSameArrayAsRead(String name) throws IOException {
        JsonNode e = expected().get(name);
        if (e.path("fortran").asBoolean(false)) {
            HypnosFormatException ex = assertThrows(HypnosFormatException.class, () -> Npy.map(resource(name)));
            assertEquals("fortran_order", ex.field());
            return;
        }
        assertEquals(Npy.read(resource(name)), Npy.map(resource(name)));
    }

    @ParameterizedTest
    @MethodSource("npyFiles")
    void rewritingAVersion1COrderFileGivesNumpysBytes(String name) throws IOException {
        JsonNode e = expected().get(name);
        NpyHeader h = Npy.header(resource(name));
        if (e.path("fortran").asBoolean(false) || h.majorVersion() != 1) {
            return; // we write C order, version 1.0: these files differ by design
        }
        Path out = Files.createTempDirectory("npy").resolve("x.npy");
        Npy.write(out, Npy.read(resource(name)));
        assertArrayEquals(Files.readAllBytes(resource(name)), Files.readAllBytes(out), name);
    }

    @Test
    void arraysBuiltInJavaAreWrittenAsNumpyWritesThem() throws IOException {
        JsonNode e = expected();
        Map<String, NpyArray> built = Map.ofEntries(
                Map.entry("float32.npy", NpyArray.of(floats(e.get("float32.npy")), 3, 4)),
                Map.entry("float64.npy", NpyArray.of(doubles(e.get("float64.npy")), 3, 4)),
                Map.entry("float16.npy", NpyArray.ofFloat16(Float16.toFloats(halfBits(e.get("float16.npy"))), 3, 4)),
                Map.entry("int64.npy", NpyArray.of(longs(e.get("int64.npy")), 2, 3)),
                Map.entry("int32.npy", NpyArray.of(toInts(longs(e.get("int32.npy"))), 2, 3)),
                Map.entry("int16.npy", NpyArray.of(toShorts(longs(e.get("int16.npy"))), 2, 3)),
                Map.entry("int8.npy", NpyArray.of(toBytes(longs(e.get("int8.npy"))), 2, 3)),
                Map.entry("bool.npy", NpyArray.of(new boolean[] {true, false, true, false, false, true}, 2, 3)),
                Map.entry("unicode.npy", NpyArray.ofStrings(new String[] {"eeg_c3", "ecg", "", "résumé ∑ 😴"})),
                Map.entry("scalar_float64.npy", NpyArray.scalar(2.5)),
                Map.entry("scalar_int64.npy", NpyArray.scalar(-7L)),
                Map.entry("empty_float32.npy", NpyArray.of(new float[0])),
                Map.entry("empty_0x3_int16.npy", NpyArray.of(new short[0], 0, 3)),
                Map.entry("long_1d_float32.npy", NpyArray.of(longFloats())),
                Map.entry("tokens_int16.npy", NpyArray.of(tokens(), 40, 6)));
        Path dir = Files.createTempDirectory("npy");
        for (Map.Entry<String, NpyArray> b : built.entrySet()) {
            Path out = dir.resolve(b.getKey());
            Npy.write(out, b.getValue());
            assertArrayEquals(Files.readAllBytes(resource(b.getKey())), Files.readAllBytes(out), b.getKey());
        }
    }

    @Test
    void npzStoredAndCompressedReadLikeNpLoad() throws IOException {
        JsonNode e = expected();
        for (String file : List.of("stored.npz", "compressed.npz")) {
            try (NpzReader z = NpzReader.open(resource(file))) {
                assertEquals(List.of("a", "mask", "names", "fs", "tokens"), z.keys());
                for (String k : z.keys()) {
                    assertMatches(e.get("npz/" + k), z.get(k), file + ":" + k);
                    assertEquals(z.get(k), z.get(k + ".npy"));
                }
                assertEquals(128L, z.get("fs").longValue());
                assertArrayEquals(new long[] {2, 3}, z.header("a").shape());
                assertThrows(IllegalArgumentException.class, () -> z.get("missing"));
            }
        }
        assertEquals(NpzReader.readAll(resource("stored.npz")), NpzReader.readAll(resource("compressed.npz")));
    }

    @Test
    void realArchivesOfTheTestDataReadExactly() throws IOException {
        JsonNode e = expected();
        for (String rel : List.of("golden/golden.npz", "eeg/yasa_EOGs_REM_256Hz.npz")) {
            JsonNode want = e.get("data/" + rel);
            try (NpzReader z = NpzReader.open(TestData.path(rel))) {
                List<String> keys = new ArrayList<>();
                want.fieldNames().forEachRemaining(keys::add);
                assertEquals(keys, z.keys(), rel);
                for (String k : keys) {
                    NpyArray a = z.get(k);
                    JsonNode w = want.get(k);
                    assertEquals(w.get("descr").asText(), a.descr(), rel + ":" + k);
                    assertArrayEquals(shapeOf(w), a.shape(), rel + ":" + k);
                    assertEquals(w.get("sha256").asText(), sha256(a.littleEndianBytes()), rel + ":" + k);
                }
            }
        }
        try (NpzReader z = NpzReader.open(TestData.path("golden/golden.npz"))) {
            assertArrayEquals(new String[] {"eeg_c3", "eeg_c4", "ecg", "resp_abd"}, z.get("modalities").toStringArray());
            assertEquals(128.0, z.get("raw_fs__eeg_c3").doubleValue());
            float[] e32 = z.get("emb32__ecg").toFloatArray();
            float[] e16 = z.get("emb16__ecg").toFloatArray();
            for (int i = 0; i < e32.length; i++) {
                float halfUlp = Math.scalb(1f, Math.max(Math.getExponent(e16[i]), -14) - 10);
                assertEquals(e32[i], e16[i], 2 * halfUlp, "emb16 is emb32 to within two float16 ulps");
            }
        }
        try (NpzReader z = NpzReader.open(TestData.path("eeg/yasa_EOGs_REM_256Hz.npz"))) {
            assertEquals(256.0, z.get("sf").doubleValue());
            assertEquals(2 * 219904, z.get("data").toDoubleArray().length);
        }
    }

    @Test
    void float16CodecMatchesNumpyOnEveryHalfAndAMillionFloats() throws Exception {
        JsonNode d = expected().get("float16_digests");
        ByteBuffer decoded = ByteBuffer.allocate(65536 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            float f = Float16.toFloat((short) h);
            decoded.putInt(Float.isNaN(f) ? 0x7fc00000 : Float.floatToRawIntBits(f));
        }
        assertEquals(d.get("decode_all_halves_sha256").asText(), sha256(decoded.flip()));
        ByteBuffer encoded = ByteBuffer.allocate((1 << 20) * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < (1 << 20); i++) {
            float f = Float.intBitsToFloat((int) (i * 4097 % (1L << 32)));
            short h = Float16.fromFloat(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(h)), "NaN stays NaN");
                h = 0x7e00;
            }
            encoded.putShort(h);
        }
        assertEquals(d.get("encode_float_patterns_sha256").asText(), sha256(encoded.flip()));
    }

    // ------------------------------------------------------------------------------------------

    /** Checks dtype, shape and every value of an array against its numpy description. */
    static void assertMatches(JsonNode e, NpyArray a, String what) {
        String descr = e.get("descr").asText();
        assertEquals(descr, a.descr(), what);
        assertArrayEquals(shapeOf(e), a.shape(), what);
        JsonNode values = e.get("values");
        assertEquals(values.size(), a.size(), what);
        ByteBuffer raw = a.data();
        Iterator<JsonNode> it = values.elements();
        switch (a.dtype()) {
            case FLOAT16 -> {
                short[] bits = a.toFloat16Bits();
                float[] f = a.toFloatArray();
                for (int i = 0; it.hasNext(); i++) {
                    int want = Integer.parseInt(it.next().asText());
                    assertEquals(want, bits[i] & 0xffff, what + "[" + i + "]");
                    assertEquals(Float16.toFloat((short) want), f[i], 0.0, what + "[" + i + "]");
                }
            }
            case FLOAT32 -> {
                float[] f = a.toFloatArray();
                for (int i = 0; it.hasNext(); i++) {
                    int want = Integer.parseUnsignedInt(it.next().asText());
                    assertEquals(want, raw.getInt(4 * i), what + "[" + i + "]");
                    assertEquals(Float.intBitsToFloat(want), f[i], 0.0, what + "[" + i + "]");
                }
            }
            case FLOAT64 -> {
                double[] f = a.toDoubleArray();
                for (int i = 0; it.hasNext(); i++) {
                    long want = Long.parseUnsignedLong(it.next().asText());
                    assertEquals(want, raw.getLong(8 * i), what + "[" + i + "]");
                    assertEquals(Double.longBitsToDouble(want), f[i], 0.0, what + "[" + i + "]");
                }
            }
            case BOOL -> {
                boolean[] b = a.toBooleanArray();
                for (int i = 0; it.hasNext(); i++) {
                    assertEquals(it.next().asBoolean(), b[i], what + "[" + i + "]");
                }
            }
            case UNICODE -> {
                String[] s = a.toStringArray();
                for (int i = 0; it.hasNext(); i++) {
                    assertEquals(it.next().asText(), s[i], what + "[" + i + "]");
                }
            }
            case UINT64 -> {
                for (int i = 0; it.hasNext(); i++) {
                    long want = Long.parseUnsignedLong(it.next().asText());
                    assertEquals(want, raw.getLong(8 * i), what + "[" + i + "]");
                    if (want >= 0) {
                        assertEquals(want, a.getLong(i));
                    } else {
                        int idx = i;
                        assertThrows(ArithmeticException.class, () -> a.getLong(idx), "uint64 above 2^63 has no long");
                    }
                }
            }
            default -> {
                long[] l = a.toLongArray();
                double[] d = a.toDoubleArray();
                for (int i = 0; it.hasNext(); i++) {
                    long want = Long.parseLong(it.next().asText());
                    assertEquals(want, l[i], what + "[" + i + "]");
                    assertEquals((double) want, d[i], 0.0, what + "[" + i + "]");
                }
            }
        }
    }

    static long[] shapeOf(JsonNode e) {
        JsonNode s = e.get("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    static String sha256(ByteBuffer b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b.duplicate());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long[] longs(JsonNode e) {
        JsonNode v = e.get("values");
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(v.get(i).asText());
        }
        return out;
    }

    private static float[] floats(JsonNode e) {
        long[] bits = longs(e);
        float[] out = new float[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((int) bits[i]);
        }
        return out;
    }

    private static double[] doubles(JsonNode e) {
        JsonNode v = e.get("values");
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.longBitsToDouble(Long.parseUnsignedLong(v.get(i).asText()));
        }
        return out;
    }

    private static short[] halfBits(JsonNode e) {
        return toShorts(longs(e));
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    private static short[] toShorts(long[] v) {
        short[] out = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (short) v[i];
        }
        return out;
    }

    private static byte[] toBytes(long[] v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /** The script's {@code (np.arange(1000) * 0.37 - 5).astype(np.float32)}, computed in Java. */
    private static float[] longFloats() {
        float[] out = new float[1000];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (i * 0.37 - 5);
        }
        return out;
    }

    /** The script's {@code (np.arange(240) * 7919) % 1024 - 512} as int16. */
    private static short[] tokens() {
        short[] out = new short[240];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((i * 7919) % 1024 - 512);
        }
        return out;
    }
}

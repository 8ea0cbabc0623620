package ai.hypnos.core.safetensors;

import ai.hypnos.core.HypnosFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and corrupt bundles (issue 10): each case is rejected at open (or at read, for
 * non-finite weights) with a {@link HypnosFormatException} naming the file, the tensor or header
 * field, and what was expected and found; none allocates more than the file holds.
 */
class SafetensorsHostileInputTest {
    @TempDir
    Path dir;

    /** A file with the given header length field, header text and data bytes. */
    Path file(long headerLength, String header, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength).array());
        b.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(data);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.toByteArray());
        return f;
    }

    Path file(String header, byte[] data) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static HypnosFormatException rejected(Path f, String field, String... parts) {
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> SafetensorsFile.open(f).close());
        assertEquals(f, e.file());
        assertEquals(field, e.field(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
        return e;
    }

    @Test
    void shorterThanTheLengthField() throws IOException {
        Path f = dir.resolve("tiny.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        rejected(f, "header length", "8-byte header length");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        rejected(file(1L << 40, "{}", new byte[0]), "header length", "1099511627776", "at most 100000000");
        rejected(file(-1L, "{}", new byte[0]), "header length", "18446744073709551615");
        rejected(file(4096, "{}", new byte[0]), "header length", "4096", "past the end of the file");
    }

    @Test
    void headerNotUtf8() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 4).array());
        b.writeBytes(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
        Path f = dir.resolve("latin.safetensors");
        Files.write(f, b.toByteArray());
        rejected(f, "header", "UTF-8");
    }

    @Test
    void headerNotJsonOrNotAnObject() throws IOException {
        rejected(file("{\"a\":", new byte[0]), "header", "not valid JSON");
        rejected(file("[1, 2, 3]", new byte[0]), "header", "expected a JSON object");
        rejected(file("\"just a string\"", new byte[0]), "header", "expected a JSON object");
        rejected(file("{} {}", new byte[0]), "header", "text after the JSON object");
        rejected(file("{\"__metadata__\":[1]}", new byte[0]), "__metadata__", "object of strings");
        rejected(file("{\"__metadata__\":{\"config\":{\"a\":1}}}", new byte[0]), "__metadata__.config", "string value");
        rejected(file("{\"t\":[1,2]}", new byte[0]), "t", "expected an object with dtype, shape and data_offsets");
    }

    @Test
    void unknownDtype() throws IOException {
        HypnosFormatException e = rejected(file("{" + tensor("w", "Q4_K", "[2]", 0, 2) + "}", new byte[2]),
                "w.dtype", "unknown dtype", "F32");
        assertEquals("Q4_K", e.value());
        rejected(file("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "w.dtype", "dtype name");
    }

    @Test
    void negativeOrAbsurdDimensions() throws IOException {
        rejected(file("{" + tensor("w", "F32", "[-2,3]", 0, 24) + "}", new byte[24]), "w.shape", "non-negative");
        rejected(file("{" + tensor("w", "F32", "[2.5]", 0, 10) + "}", new byte[10]), "w.shape", "non-negative integers");
        rejected(file("{" + tensor("w", "F32", "[99999999999999999999]", 0, 4) + "}", new byte[4]), "w.shape", "below 2^63");
        rejected(file("{" + tensor("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", new byte[4]), "w.shape", "overflows");
        // Large but representable: a trillion elements claimed for 4 bytes of data.
        rejected(file("{" + tensor("w", "F32", "[1000000,1000000]", 0, 4) + "}", new byte[4]), "w",
                "expected 1000000000000 x 4 = 4000000000000 bytes", "= 4 bytes");
        rejected(file("{" + tensor("w", "F32", "\"big\"", 0, 4) + "}", new byte[4]), "w.shape", "array of dimensions");
    }

    @Test
    void offsetsOutsideTheFile() throws IOException {
        rejected(file("{" + tensor("w", "F32", "[1000]", 0, 4000) + "}", new byte[16]), "w.data_offsets",
                "outside the file", "expected end <= 16", "found 4000");
        rejected(file("{" + tensor("w", "F32", "[1]", 8, 4) + "}", new byte[16]), "w.data_offsets", "end before begin");
        rejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]), "w.data_offsets", "[begin, end]");
    }

    @Test
    void byteCountDisagreesWithDtypeAndShape() throws IOException {
        HypnosFormatException e = rejected(file("{" + tensor("model/w", "F32", "[2,3]", 0, 12) + "}", new byte[12]),
                "model/w", "expected 6 x 4 = 24 bytes", "found data_offsets [0,12] = 12 bytes");
        assertEquals("F32 [2,3]", e.value());
    }

    @Test
    void overlappingTensors() throws IOException {
        String h = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}";
        rejected(file(h, new byte[12]), "b.data_offsets", "overlaps tensor 'a'");
    }

    @Test
    void nonContiguousTensors() throws IOException {
        String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}";
        rejected(file(h, new byte[12]), "b.data_offsets", "not contiguous", "begin at 4", "gap of 4 bytes");
        String late = "{" + tensor("a", "F32", "[1]", 4, 8) + "}";
        rejected(file(late, new byte[8]), "a.data_offsets", "begin at 0");
        rejected(file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", new byte[10]), "data", "trailing bytes");
    }

    @Test
    void duplicateNames() throws IOException {
        String h = "{" + tensor("w", "F32", "[1]", 0, 4) + "," + tensor("w", "F32", "[1]", 4, 8) + "}";
        rejected(file(h, new byte[8]), "w", "duplicate tensor name");
        rejected(file("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]), "__metadata__", "duplicate");
    }

    @Test
    void nonFiniteWeightsAreFoundOnRequest() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0, 1f).putFloat(4, Float.NaN).putShort(8, (short) 0x7f80).putShort(10, (short) 0x3c00)
                .putShort(12, (short) 0x3c00).putShort(14, (short) 0xfc00);
        String h = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "BF16", "[2]", 8, 12) + ","
                + tensor("c", "F16", "[2]", 12, 16) + "}";
        Path f = file(h, data.array());
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertTrue(Float.isNaN(st.floats("a")[1]), "plain reads return what is stored");
            HypnosFormatException a = assertThrows(HypnosFormatException.class, () -> st.checkFinite("a"));
            assertEquals("a", a.field());
            assertTrue(a.getMessage().contains("NaN at element 1"), a.getMessage());
            HypnosFormatException b = assertThrows(HypnosFormatException.class, () -> st.floats("b", true));
            assertTrue(b.getMessage().contains("Infinity at element 0"), b.getMessage());
            HypnosFormatException c = assertThrows(HypnosFormatException.class, st::checkAllFinite);
            assertEquals("a", c.field(), "first bad tensor in file order");
            HypnosFormatException d = assertThrows(HypnosFormatException.class, () -> st.checkFinite("c"));
            assertTrue(d.getMessage().contains("-Infinity at element 1"), d.getMessage());
        }
    }

    @Test
    void wrongKindOrMissingTensorIsNamed() throws IOException {
        String h = "{" + tensor("n", "I64", "[1]", 0, 8) + "," + tensor("f", "F32", "[2]", 8, 16) + "}";
        try (SafetensorsFile st = SafetensorsFile.open(file(h, new byte[16]))) {
            HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> st.floats("n"));
            assertEquals("n", e.field());
            assertTrue(e.getMessage().contains("expected a floating-point tensor"), e.getMessage());
            assertTrue(e.getMessage().contains("found dtype I64"), e.getMessage());
            assertThrows(HypnosFormatException.class, () -> st.longs("f"));
            assertThrows(HypnosFormatException.class, () -> st.bools("f"));
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> st.info("missing"));
            assertTrue(m.getMessage().contains("no tensor 'missing'"), m.getMessage());
        }
    }

    @Test
    void writerRefusesBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", SafetensorsDtype.F32, new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> w.add("a", SafetensorsDtype.F32, new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", SafetensorsDtype.F32, new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.add("b", SafetensorsDtype.F32, new long[] {2, 2}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.add("c", SafetensorsDtype.I64, new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.add("d", SafetensorsDtype.I8, new long[] {1}, new long[] {300}));
        assertThrows(IllegalArgumentException.class, () -> w.add("e", SafetensorsDtype.U8, new long[] {1}, new long[] {-1}));
    }
}

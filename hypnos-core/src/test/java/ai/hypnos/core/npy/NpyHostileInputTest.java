package ai.hypnos.core.npy;

import ai.hypnos.core.HypnosFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken and lying NPY/NPZ files give a {@link HypnosFormatException} naming the file, the
 * field and the value, before anything large is allocated.
 */
class NpyHostileInputTest {
    @TempDir
    Path dir;

    /** An NPY file with the given version, header text and data bytes. */
    static byte[] npy(int major, String header, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (major == 1) {
            b.write(h.length & 0xff);
            b.write(h.length >>> 8);
        } else {
            for (int i = 0; i < 4; i++) {
                b.write((h.length >>> (8 * i)) & 0xff);
            }
        }
        b.writeBytes(h);
        b.writeBytes(data);
        return b.toByteArray();
    }

    static String dict(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    HypnosFormatException fails(byte[] bytes, String field, String... messageParts) throws IOException {
        Path f = dir.resolve("bad.npy");
        Files.write(f, bytes);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> Npy.read(f));
        assertEquals(f, e.file());
        assertEquals(field, e.field(), e.getMessage());
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        // map and header see the same problem
        assertThrows(HypnosFormatException.class, () -> Npy.map(f));
        return e;
    }

    @Test
    void notAnNpyFile() throws IOException {
        fails("PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "magic", "not an NPY file");
        fails(new byte[] {(byte) 0x93, 'N', 'U'}, "magic", "ends inside the NPY header");
        fails(new byte[0], "magic");
    }

    @Test
    void unknownVersion() throws IOException {
        byte[] b = npy(1, dict("<f4", "False", "(1,)"), new byte[4]);
        b[6] = 9;
        HypnosFormatException e = fails(b, "version", "unsupported NPY format version");
        assertEquals("9.0", e.value());
    }

    @Test
    void headerTooLongOrPastTheEnd() throws IOException {
        byte[] b = npy(2, dict("<f4", "False", "(1,)"), new byte[4]);
        b[8] = (byte) 0xff;
        b[9] = (byte) 0xff;
        b[10] = (byte) 0xff;
        b[11] = (byte) 0x7f; // 2 GiB header
        fails(b, "header_len", "longer than");
        byte[] c = npy(1, dict("<f4", "False", "(1,)"), new byte[4]);
        c[8] = (byte) 0xf0;
        c[9] = (byte) 0xff; // 65520 bytes in a ~130-byte file
        fails(c, "header_len", "past the end");
    }

    @Test
    void headerNotADictionary() throws IOException {
        fails(npy(1, "[1, 2, 3]\n", new byte[0]), "header", "cannot parse");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", new byte[4]), "header", "cannot parse");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk", new byte[4]), "header", "after the dictionary");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'descr': '<f8'}", new byte[4]), "header", "duplicate key");
        fails(npy(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4]), "header", "expected exactly the keys");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", new byte[4]), "header", "expected exactly the keys");
        fails(npy(1, dict("<f4", "0", "(1,)"), new byte[4]), "fortran_order", "not True or False");
        fails(npy(1, dict("<f4", "False", "[1]"), new byte[4]), "shape", "not a tuple of integers");
        fails(npy(1, dict("<f4", "False", "('a',)"), new byte[4]), "shape", "not a tuple of integers");
    }

    @Test
    void unknownOrUnsupportedDtypes() throws IOException {
        fails(npy(1, dict("<c16", "False", "(1,)"), new byte[16]), "descr", "unknown or unsupported dtype");
        fails(npy(1, dict("<f3", "False", "(1,)"), new byte[3]), "descr", "unknown or unsupported dtype");
        fails(npy(1, dict("|O", "False", "(1,)"), new byte[8]), "descr", "object arrays");
        fails(npy(1, dict("<U0", "False", "(1,)"), new byte[0]), "descr", "unicode width");
        fails(npy(1, dict("|i4", "False", "(1,)"), new byte[4]), "descr", "no byte order");
        fails(npy(1, dict("xyz", "False", "(1,)"), new byte[4]), "descr", "unknown dtype");
        // Widths beyond int: a format error naming file and field, not a bare NumberFormatException.
        HypnosFormatException wide = fails(npy(1, dict("<f9999999999", "False", "(1,)"), new byte[4]), "descr", "item size");
        assertEquals("<f9999999999", wide.value());
        fails(npy(1, dict("<U9999999999", "False", "(1,)"), new byte[4]), "descr", "item size");
        fails(npy(1, dict("<U4294967300", "False", "(1,)"), new byte[4]), "descr", "item size");
        // Non-ASCII digits (which Integer.parseInt would accept) are no dtype either.
        fails(npy(3, dict("<f\u0664", "False", "(1,)"), new byte[4]), "descr", "unknown dtype");
        fails(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]), "descr", "structured");
    }

    @Test
    void lyingShapes() throws IOException {
        // A shape that would need a terabyte, in a file of a few bytes: refused before any allocation.
        HypnosFormatException huge = fails(npy(1, dict("<f8", "False", "(1099511627776,)"), new byte[8]), "shape",
                "8796093022208 bytes", "truncated");
        assertEquals("(1099511627776,)", huge.value());
        fails(npy(1, dict("<f8", "False", "(4611686018427387904, 4)"), new byte[8]), "shape", "overflows");
        fails(npy(1, dict("<f4", "False", "(-1,)"), new byte[4]), "shape", "negative dimension");
        fails(npy(1, dict("<f4", "False", "(99999999999999999999,)"), new byte[4]), "header", "out of range");
        fails(npy(1, dict("<f4", "False", "(2, 3)"), new byte[20]), "shape", "24 bytes", "20 bytes of data", "truncated");
        fails(npy(1, dict("<f4", "False", "(2, 3)"), new byte[28]), "shape", "28 bytes of data");
        String dims = "(" + "1, ".repeat(65) + ")";
        fails(npy(1, dict("<f4", "False", dims), new byte[4]), "shape", "more than 64 dimensions");
    }

    @Test
    void fileIsLeftAloneWhenAWriteFails() throws IOException {
        Path f = dir.resolve("keep.npy");
        Npy.write(f, NpyArray.of(new float[] {1, 2, 3}));
        byte[] before = Files.readAllBytes(f);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        assertThrows(IOException.class, () -> Npy.write(dir.resolve("missing-parent/../keep.npy/x.npy"), NpyArray.of(new float[1])));
        assertEquals(Arrays.toString(before), Arrays.toString(Files.readAllBytes(f)));
    }

    // ------------------------------------------------------------------------------------------ NPZ

    void zipWith(Path f, String name, byte[] content, boolean stored) throws IOException {
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            ZipEntry e = new ZipEntry(name);
            if (stored) {
                CRC32 crc = new CRC32();
                crc.update(content);
                e.setMethod(ZipEntry.STORED);
                e.setSize(content.length);
                e.setCompressedSize(content.length);
                e.setCrc(crc.getValue());
            }
            z.putNextEntry(e);
            z.write(content);
            z.closeEntry();
        }
    }

    @Test
    void npzEntriesWithLyingHeaders() throws IOException {
        Path f = dir.resolve("bad.npz");
        for (boolean stored : new boolean[] {true, false}) {
            zipWith(f, "x.npy", npy(1, dict("<f8", "False", "(1099511627776,)"), new byte[8]), stored);
            try (NpzReader z = NpzReader.open(f)) {
                assertEquals(java.util.List.of("x"), z.keys());
                HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> z.get("x"));
                assertEquals(f, e.file());
                assertEquals("entry 'x.npy' shape", e.field(), e.getMessage());
            }
            zipWith(f, "y.npy", npy(1, dict("<f4", "False", "(3,)"), new byte[8]), stored);
            try (NpzReader z = NpzReader.open(f)) {
                HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> z.get("y"));
                assertTrue(e.field().startsWith("entry 'y.npy'"), e.getMessage());
            }
            zipWith(f, "z.npy", "not numpy at all".getBytes(StandardCharsets.US_ASCII), stored);
            try (NpzReader z = NpzReader.open(f)) {
                HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> z.get("z"));
                assertEquals("entry 'z.npy' magic", e.field());
            }
        }
    }

    @Test
    void notAZipOrCorruptDeflate() throws IOException {
        Path f = dir.resolve("notzip.npz");
        Files.write(f, "definitely not a zip archive".getBytes(StandardCharsets.US_ASCII));
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> NpzReader.open(f));
        assertEquals("zip", e.field());

        Path g = dir.resolve("corrupt.npz");
        try (NpzWriter w = NpzWriter.begin(g, true)) {
            w.put("a", NpyArray.of(new double[4096]));
            w.commit();
        }
        byte[] bytes = Files.readAllBytes(g);
        // Flip bytes inside the deflate stream (after the 30-byte local header and the name).
        for (int i = 45; i < 60; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(g, bytes);
        try (NpzReader z = NpzReader.open(g)) {
            HypnosFormatException ex = assertThrows(HypnosFormatException.class, () -> z.get("a"));
            assertTrue(ex.field().startsWith("entry 'a.npy'"), ex.getMessage());
        }
    }

    @Test
    void npzWriterLeavesNothingOnFailureOrAbort() throws IOException {
        Path f = dir.resolve("out.npz");
        NpzWriter w = NpzWriter.begin(f, false);
        w.put("a", NpyArray.of(new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.put("a", NpyArray.of(new float[] {2})));
        w.abort();
        assertFalse(Files.exists(f));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "temporary file removed");
        }
        try (NpzWriter ok = NpzWriter.begin(f, false)) {
            ok.put("a.npy", NpyArray.of(new float[] {1}));
            ok.commit();
        }
        try (NpzReader r = NpzReader.open(f)) {
            assertEquals(java.util.List.of("a"), r.keys());
        }
    }
}

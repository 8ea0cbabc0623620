package ai.hypnos.core.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An NPZ entry copied from a file of raw values is the entry the in-memory array gives. */
class NpzWriterFileEntryTest {
    @TempDir
    Path dir;

    @Test
    void fileEntryEqualsArrayEntryStoredAndCompressed() throws IOException {
        float[] values = new float[3 * 700_001]; // more than one 1-MB copy block
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        Path rows = dir.resolve("rows.bin");
        Files.write(rows, raw.array());
        for (boolean compressed : new boolean[] {false, true}) {
            Path a = dir.resolve("array-" + compressed + ".npz");
            Path b = dir.resolve("file-" + compressed + ".npz");
            try (NpzWriter w = NpzWriter.begin(a, compressed)) {
                w.put("x", NpyArray.of(values, 3, 700_001));
                w.commit();
            }
            try (NpzWriter w = NpzWriter.begin(b, compressed)) {
                w.put("x", NpyDtype.FLOAT32, 4, new long[] {3, 700_001}, rows);
                w.commit();
            }
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
            assertArrayEquals(values, NpzReader.readAll(b).get("x").toFloatArray());
        }
    }

    @Test
    void aFileOfTheWrongSizeIsRefusedAndNothingIsWritten() throws IOException {
        Path rows = dir.resolve("rows.bin");
        Files.write(rows, new byte[10]);
        Path target = dir.resolve("out.npz");
        try (NpzWriter w = NpzWriter.begin(target, false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.put("x", NpyDtype.FLOAT32, 4, new long[] {2, 2}, rows));
            assertTrue(e.getMessage().contains("10 bytes") && e.getMessage().contains("16 expected"), e.getMessage());
            assertThrows(IllegalStateException.class, w::commit, "an archive with a failed put cannot be published");
        }
        assertFalse(Files.exists(target));
    }
}

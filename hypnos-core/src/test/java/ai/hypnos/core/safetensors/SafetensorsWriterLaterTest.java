package ai.hypnos.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.testing.InterruptedThread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors produced while the file is written ({@link SafetensorsWriter#addLater}). */
class SafetensorsWriterLaterTest {
    @TempDir
    Path dir;

    private static float[] values(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.37) * scale;
        }
        return v;
    }

    @Test
    void aLaterTensorGivesTheBytesOfAnEagerOneAndIsAskedForOnlyWhenWritten() throws Exception {
        float[] a = values(12, 3f);
        float[] b = values(7, 1e-3f);
        AtomicInteger calls = new AtomicInteger();
        SafetensorsWriter eager = new SafetensorsWriter().metadata("k", "v")
                .add("w/a", SafetensorsDtype.F32, new long[] {3, 4}, a)
                .add("w/b", SafetensorsDtype.F16, new long[] {7}, b)
                .add("w/c", SafetensorsDtype.BF16, new long[] {7}, b);
        SafetensorsWriter later = new SafetensorsWriter().metadata("k", "v")
                .addLater("w/a", SafetensorsDtype.F32, new long[] {3, 4}, () -> {
                    calls.incrementAndGet();
                    return a;
                })
                .addLater("w/b", SafetensorsDtype.F16, new long[] {7}, () -> b)
                .addLater("w/c", SafetensorsDtype.BF16, new long[] {7}, () -> b);
        assertEquals(0, calls.get(), "nothing is asked for before writing");
        Path x = dir.resolve("eager.safetensors");
        Path y = dir.resolve("later.safetensors");
        eager.write(x);
        later.write(y);
        assertEquals(1, calls.get());
        assertArrayEquals(Files.readAllBytes(x), Files.readAllBytes(y));
        try (SafetensorsFile f = SafetensorsFile.open(y)) {
            assertArrayEquals(a, f.floats("w/a"));
        }
    }

    @Test
    void anInterruptedReaderDoesNotCloseTheFileForTheOthers() throws Exception {
        float[] a = values(1000, 2f);
        Path p = dir.resolve("shared.safetensors");
        new SafetensorsWriter().add("w", SafetensorsDtype.F32, new long[] {1000}, a).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            Throwable seen = InterruptedThread.failureOf(() -> f.floats("w"));
            assertTrue(seen instanceof java.io.InterruptedIOException, String.valueOf(seen));
            assertTrue(seen.getMessage().contains(p.toString()), seen.getMessage());
            assertArrayEquals(a, f.floats("w"), "the file stays readable for every other thread");
        }
    }

    @Test
    void aTensorOfTheWrongSizeFailsTheWriteAndLeavesNoFile() throws Exception {
        SafetensorsWriter w = new SafetensorsWriter()
                .addLater("w/a", SafetensorsDtype.F32, new long[] {2, 3}, () -> new float[5]);
        Path target = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(target));
        assertTrue(e.getMessage().contains("w/a"), e.getMessage());
        assertFalse(Files.exists(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary file left behind");
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().addLater("w/i", SafetensorsDtype.I32, new long[] {1}, () -> new float[1]));
    }
}

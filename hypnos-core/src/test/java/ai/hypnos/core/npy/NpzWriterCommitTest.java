package ai.hypnos.core.npy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An incomplete archive is never published: whatever stops the writing before the end leaves the
 * target as it was (here: an older file that must survive byte for byte) and no temporary file.
 */
class NpzWriterCommitTest {
    private static final byte[] OLD = "the previous archive".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Path target() throws IOException {
        Path t = dir.resolve("out.npz");
        Files.write(t, OLD);
        return t;
    }

    private void assertUntouched(Path target) throws IOException {
        assertArrayEquals(OLD, Files.readAllBytes(target), "target replaced by an incomplete archive");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "temporary file left behind");
        }
    }

    @Test
    void beginPublishesOnlyOnCommit() throws IOException {
        Path target = target();
        try (NpzWriter w = NpzWriter.begin(target, true)) {
            w.put("a", NpyArray.of(new float[] {1, 2}));
        }
        assertUntouched(target);

        try (NpzWriter w = NpzWriter.begin(target, true)) {
            w.put("a", NpyArray.of(new float[] {1, 2}));
            w.commit();
        }
        assertArrayEquals(new float[] {1, 2}, NpzReader.readAll(target).get("a").toFloatArray());
    }

    @Test
    void anExceptionOfTheCallerBetweenPutsPublishesNothing() throws IOException {
        Path target = target();
        assertThrows(IllegalStateException.class, () -> {
            try (NpzWriter w = NpzWriter.begin(target, false)) {
                w.put("a", NpyArray.of(new float[] {1}));
                callerFails();
                w.put("b", NpyArray.of(new float[] {2}));
                w.commit();
            }
        });
        assertUntouched(target);
    }

    private static void callerFails() {
        throw new IllegalStateException("the caller's own computation failed");
    }

    @Test
    void aDuplicateKeyIsRefusedNamingKeyAndFile() throws IOException {
        for (boolean compressed : new boolean[] {false, true}) {
            Path target = target();
            try (NpzWriter w = NpzWriter.begin(target, compressed)) {
                w.put("a", NpyArray.of(new float[] {1}));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> w.put("a.npy", NpyArray.of(new float[] {2})));
                assertTrue(e.getMessage().contains("'a.npy'") && e.getMessage().contains(target.toString()), e.getMessage());
                assertThrows(IllegalStateException.class, w::commit);
            }
            assertUntouched(target);
        }
    }

    @Test
    void afterAFailedPutFurtherPutsAndCommitAreRefused() throws IOException {
        Path target = target();
        try (NpzWriter w = NpzWriter.begin(target, false)) {
            assertThrows(IllegalArgumentException.class, () -> w.put("", NpyArray.of(new float[] {1})));
            IllegalStateException put = assertThrows(IllegalStateException.class,
                    () -> w.put("b", NpyArray.of(new float[] {2})));
            assertTrue(put.getMessage().contains(target.toString()), put.getMessage());
            IllegalStateException commit = assertThrows(IllegalStateException.class, w::commit);
            assertTrue(commit.getMessage().contains("failed"), commit.getMessage());
        }
        assertUntouched(target);
    }

    @Test
    void aFailedFileEntryDiscardsTheArchive() throws IOException {
        Path target = target();
        Path missing = dir.resolve("no-such-rows.bin");
        try (NpzWriter w = NpzWriter.begin(target, true)) {
            w.put("a", NpyArray.of(new float[] {1}));
            assertThrows(IOException.class, () -> w.put("x", NpyDtype.FLOAT32, 4, new long[] {1}, missing));
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertUntouched(target);
    }

    @Test
    void theSameArraysGiveTheSameBytes() throws IOException {
        for (boolean compressed : new boolean[] {false, true}) {
            Path a = dir.resolve("first-" + compressed + ".npz");
            Path b = dir.resolve("second-" + compressed + ".npz");
            float[] v = new float[10_000];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(i * 0.01);
            }
            try (NpzWriter w = NpzWriter.begin(a, compressed)) {
                w.put("v", NpyArray.of(v));
                w.put("n", NpyArray.scalar(3L));
                w.commit();
            }
            try (NpzWriter w = NpzWriter.begin(b, compressed)) {
                w.put("v", NpyArray.of(v));
                w.put("n", NpyArray.scalar(3L));
                w.commit();
            }
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
            try (NpzReader r = NpzReader.open(a)) {
                assertEquals(List.of("v", "n"), r.keys());
                assertArrayEquals(v, r.get("v").toFloatArray());
            }
        }
    }

    @Test
    void commitTwiceOrAfterCloseIsRefused() throws IOException {
        Path target = dir.resolve("twice.npz");
        NpzWriter w = NpzWriter.begin(target, false);
        w.put("a", NpyArray.of(new float[] {1}));
        w.commit();
        assertThrows(IllegalStateException.class, w::commit);
        w.close();
        assertThrows(IllegalStateException.class, () -> w.put("b", NpyArray.of(new float[] {1})));
        assertFalse(NpzReader.readAll(target).isEmpty());
    }
}

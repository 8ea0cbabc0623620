package ai.hypnos.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link AtomicFile}: all or nothing, no temporary files left, ordinary permissions. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void commitReplacesAndCloseWithoutCommitLeavesTheOldFile() throws IOException {
        Path target = dir.resolve("sub/out.bin");
        try (AtomicFile f = AtomicFile.create(target)) {
            f.stream().write("first".getBytes(StandardCharsets.US_ASCII));
            f.commit();
        }
        assertEquals("first", Files.readString(target));
        try (AtomicFile f = AtomicFile.create(target)) {
            f.stream().write("half-writ".getBytes(StandardCharsets.US_ASCII));
            // no commit: as if an exception had been thrown
        }
        assertEquals("first", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "the temporary file is gone");
        }
        AtomicFile f = AtomicFile.create(target);
        f.commit();
        assertThrows(IllegalStateException.class, f::commit);
        assertEquals("", Files.readString(target));
    }

    @Test
    void permissionsFollowTheUmaskNotTempFileDefaults() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path plain = Files.createFile(dir.resolve("plain"));
        Path target = dir.resolve("atomic");
        try (AtomicFile f = AtomicFile.create(target)) {
            f.commit();
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
        assertFalse(Files.exists(dir.resolve("atomic.tmp")));
    }
}

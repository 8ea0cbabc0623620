package ai.hypnos.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aFailingCleanUpIsAddedToTheFailureOfTheRenameNotPutInItsPlace() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // relies on POSIX rename and unlink of an open file
        }
        // The rename fails: the target is a non-empty folder. The clean-up fails too: the
        // temporary file's name now holds a non-empty folder, which deleteIfExists refuses.
        Path target = dir.resolve("out");
        Files.createDirectories(target.resolve("inside"));
        AtomicFile f = AtomicFile.create(target);
        Path temp;
        try (var files = Files.list(dir)) {
            List<Path> temps = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(1, temps.size(), temps.toString());
            temp = temps.get(0);
        }
        Files.delete(temp);
        Files.createDirectories(temp.resolve("blocker"));
        IOException e = assertThrows(IOException.class, f::commit);
        assertTrue(e instanceof FileSystemException fs && target.toString().equals(fs.getOtherFile()),
                "the rename's failure is thrown: " + e);
        assertEquals(1, e.getSuppressed().length, "the clean-up's failure is kept as suppressed: " + e);
        assertTrue(e.getSuppressed()[0] instanceof DirectoryNotEmptyException d && temp.toString().equals(d.getFile()),
                String.valueOf(e.getSuppressed()[0]));
    }
}

package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's cached copy of a remote bundle is reused only while the remote file keeps the
 * length and modification time it was copied from. The "remote" file here is on the local file
 * system, read through the Hadoop API exactly as a remote one is.
 */
class LocalCopiesTest {
    @TempDir
    Path tmp;

    @Test
    void aRewrittenBundleOfTheSameSizeIsDownloadedAgain() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path remote = tmp.resolve("remote/bundle.safetensors");
        Files.createDirectories(remote.getParent());
        Files.write(remote, new byte[] {1, 2, 3, 4});
        // Explicit times, so the test does not depend on the file system's clock resolution.
        Files.setLastModifiedTime(remote, FileTime.fromMillis(1_700_000_000_000L));
        Path local = Files.createDirectories(tmp.resolve("cache")).resolve("bundle.safetensors");

        assertTrue(LocalCopies.copyIfStale(fs, status(fs, remote), local), "first use downloads");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(local));
        assertFalse(LocalCopies.copyIfStale(fs, status(fs, remote), local), "an unchanged remote file is reused");

        // Republished: same size, other bytes, later modification time.
        Files.write(remote, new byte[] {5, 6, 7, 8});
        Files.setLastModifiedTime(remote, FileTime.fromMillis(1_700_000_060_000L));
        assertTrue(LocalCopies.copyIfStale(fs, status(fs, remote), local), "same size, later mtime: download again");
        assertArrayEquals(new byte[] {5, 6, 7, 8}, Files.readAllBytes(local));
        assertFalse(LocalCopies.copyIfStale(fs, status(fs, remote), local), "the new copy is reused");

        // Another size with the same time is a different file too.
        Files.write(remote, new byte[] {9, 9});
        Files.setLastModifiedTime(remote, FileTime.fromMillis(1_700_000_060_000L));
        assertTrue(LocalCopies.copyIfStale(fs, status(fs, remote), local), "other size: download again");
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(local));
        try (var s = Files.list(local.getParent())) {
            assertTrue(s.allMatch(p -> p.equals(local)), "no temporary file left");
        }
    }

    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        return fs.getFileStatus(new org.apache.hadoop.fs.Path(p.toUri()));
    }
}

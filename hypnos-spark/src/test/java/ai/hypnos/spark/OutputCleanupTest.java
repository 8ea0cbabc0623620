package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's preparation removes only leftovers older than {@link CohortJob#STALE_AFTER}: younger
 * temporary files and unfinished status tables may belong to a concurrent run into the same folder.
 */
class OutputCleanupTest {
    @TempDir
    Path out;

    @Test
    void onlyLeftoversOlderThanTheCutoffAreRemoved() throws IOException {
        // Times far from the cutoff both ways, so a slow machine cannot move a file across it.
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - CohortJob.STALE_AFTER.toMillis() * 3);
        Path oldTmp = Files.write(out.resolve(".a.tokens.npy.111.tmp"), new byte[] {1});
        Files.setLastModifiedTime(oldTmp, old);
        Path freshTmp = Files.write(out.resolve(".b.tokens.npy.222.tmp"), new byte[] {1});

        Path status = out.resolve(StatusTable.FOLDER);
        Path killed = Files.createDirectories(status.resolve("20260101-000000-app-1/_temporary/0"));
        Files.setLastModifiedTime(Files.write(killed.resolve("part-0.parquet"), new byte[] {1}), old);
        Files.setLastModifiedTime(killed, old);
        Files.setLastModifiedTime(killed.getParent(), old);
        Files.setLastModifiedTime(status.resolve("20260101-000000-app-1"), old);
        Path running = Files.createDirectories(status.resolve("20260101-000000-app-2/_temporary/0"));
        Files.write(running.resolve("part-0.parquet"), new byte[] {1});
        // The running table's folders look old; only the file inside is fresh.
        Files.setLastModifiedTime(running, old);
        Files.setLastModifiedTime(running.getParent(), old);
        Files.setLastModifiedTime(status.resolve("20260101-000000-app-2"), old);
        Path done = Files.createDirectories(status.resolve("20260101-000000-app-3"));
        Files.setLastModifiedTime(Files.write(done.resolve("_SUCCESS"), new byte[0]), old);
        Files.setLastModifiedTime(done, old);

        CohortJob.prepare(new org.apache.hadoop.fs.Path(out.toUri()), new Configuration());

        assertFalse(Files.exists(oldTmp), "an old temporary file is removed");
        assertTrue(Files.exists(freshTmp), "a fresh temporary file may be another run's");
        assertFalse(Files.exists(status.resolve("20260101-000000-app-1")), "an old unfinished table is removed");
        assertTrue(Files.exists(running.resolve("part-0.parquet")), "a table being written is kept");
        assertTrue(Files.exists(done.resolve("_SUCCESS")), "a finished table is kept");
    }
}

package ai.hypnos.embed.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.embed.OutputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row files a killed JVM left beside a target are deleted by the next write of that target, and
 * only those: files of live writers (this JVM, another running process) and of other targets in
 * the same folder stay.
 */
class NpzRowFilesTest {
    @TempDir
    Path dir;

    /** A pid no process has: above Linux's largest pid_max (2^22), and checked. */
    private static long deadPid() {
        long pid = 1_000_000_007L;
        while (ProcessHandle.of(pid).isPresent()) {
            pid += 2;
        }
        return pid;
    }

    private Path file(String name, Instant modified) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, new byte[4096]);
        Files.setLastModifiedTime(f, FileTime.from(modified));
        return f;
    }

    private Set<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void staleRowFilesOfTheSameTargetAreDeletedAndNothingElse() throws Exception {
        long dead = deadPid();
        long self = ProcessHandle.current().pid();
        Instant now = Instant.now();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            // Gone: the owner does not run, or its pid now belongs to a process started later.
            Path killed = file(".out.npz." + dead + "-123.rows", now);
            Path reused = file(".out.npz." + sleeper.pid() + "-5.rows", now.minus(Duration.ofDays(1)));
            Path oldStyle = file(".out.npz.987654321.rows", now.minus(NpzRowFiles.ORPHAN_AGE).minusSeconds(60));
            // Alive: this JVM (another thread writing the same target), a running process, a recent old-style file.
            Path mine = file(".out.npz." + self + "-77.rows", now);
            // Stamped after the process started, and a day ahead: whether it is kept then depends
            // neither on how soon the process started nor on how exactly its start time is
            // known (derived from the boot time, which can be off on VMs).
            Path running = file(".out.npz." + sleeper.pid() + "-6.rows", Instant.now().plus(Duration.ofDays(1)));
            Path recentOldStyle = file(".out.npz.1234.rows", now);
            // Other targets whose names start alike, and other files: never touched.
            Path otherTarget = file(".other.npz." + dead + "-1.rows", now.minus(Duration.ofDays(1)));
            Path longerName = file(".out.npz.x.npz." + dead + "-1.rows", now.minus(Duration.ofDays(1)));
            Path longerName2 = file(".out.npz.5." + dead + "-1.rows", now.minus(Duration.ofDays(1)));
            Path unrelated = file(".out.npz." + dead + "-1.tmp", now.minus(Duration.ofDays(1)));

            Path target = dir.resolve("out.npz");
            try (NpzRowFiles rows = new NpzRowFiles(new boolean[] {true, false}, 4, OutputType.FLOAT32, target)) {
                Set<String> during = names();
                for (Path gone : List.of(killed, reused, oldStyle)) {
                    assertFalse(during.contains(gone.getFileName().toString()), gone + " should be deleted");
                }
                for (Path kept : List.of(mine, running, recentOldStyle, otherTarget, longerName, longerName2, unrelated)) {
                    assertTrue(during.contains(kept.getFileName().toString()), kept + " should be kept");
                }
                // Its own files (one modality and the mean) carry this process's pid.
                long own = during.stream().filter(n -> n.startsWith(".out.npz." + self + "-") && !n.equals(mine
                        .getFileName().toString())).count();
                assertEquals(2, own, during.toString());
            }
            // close() deletes its own files and leaves everything else as it was.
            assertEquals(Set.of(mine, running, recentOldStyle, otherTarget, longerName, longerName2, unrelated).stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet()), names());
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void twoWritersOfDifferentTargetsKeepEachOthersFiles() throws Exception {
        try (NpzRowFiles a = new NpzRowFiles(new boolean[] {true}, 2, OutputType.FLOAT16, dir.resolve("a.npz"));
                NpzRowFiles b = new NpzRowFiles(new boolean[] {true}, 2, OutputType.FLOAT16, dir.resolve("a.npz.b.npz"));
                NpzRowFiles c = new NpzRowFiles(new boolean[] {true}, 2, OutputType.FLOAT16, dir.resolve("a.npz"))) {
            a.write(0, 0, new float[] {1, 2}, 0, 2);
            b.write(0, 0, new float[] {3, 4}, 0, 2);
            c.write(0, 0, new float[] {5, 6}, 0, 2);
            assertEquals(6, names().size(), names().toString());
        }
        assertEquals(Set.of(), names());
    }
}

package ai.hypnos.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One thread's interrupt fails that thread's read only; every other read goes on. */
class SharedReadChannelTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private Path file() throws IOException {
        byte[] b = new byte[SIZE];
        new Random(1).nextBytes(b);
        return Files.write(dir.resolve("data.bin"), b);
    }

    private static byte[] read(SharedReadChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("early end");
            }
        }
        return b.array();
    }

    private static byte[] slice(byte[] all, long position, int length) {
        byte[] out = new byte[length];
        System.arraycopy(all, (int) position, out, 0, length);
        return out;
    }

    @Test
    void anInterruptedReaderFailsAloneNamingTheFile() throws Exception {
        Path p = file();
        byte[] all = Files.readAllBytes(p);
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    read(ch, 0, 100);
                } catch (Throwable e) {
                    seen.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            t.start();
            t.join();
            assertTrue(seen.get() instanceof InterruptedIOException, String.valueOf(seen.get()));
            assertTrue(seen.get().getMessage().contains(p.toString()), seen.get().getMessage());
            assertTrue(stillInterrupted.get(), "the interrupt status is kept for the caller");
            assertArrayEquals(slice(all, 1000, 4096), read(ch, 1000, 4096), "other threads read on");
        }
    }

    @Test
    void readersGoOnWhileAnotherIsInterruptedMidRead() throws Exception {
        Path p = file();
        byte[] all = Files.readAllBytes(p);
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong victimInterrupts = new AtomicLong();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> readers = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                long seed = k;
                readers.add(new Thread(() -> {
                    Random r = new Random(seed);
                    started.countDown();
                    try {
                        while (!stop.get()) {
                            long at = r.nextInt(SIZE - 65536);
                            int n = 1 + r.nextInt(65536);
                            byte[] got = read(ch, at, n);
                            if (!java.util.Arrays.equals(slice(all, at, n), got)) {
                                throw new AssertionError("wrong bytes at " + at);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread victim = new Thread(() -> {
                Random r = new Random(9);
                started.countDown();
                while (!stop.get()) {
                    try {
                        read(ch, r.nextInt(SIZE - 65536), 65536);
                    } catch (InterruptedIOException expected) {
                        Thread.interrupted(); // clear, and go on as a thread pool worker would
                        victimInterrupts.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            readers.forEach(Thread::start);
            victim.start();
            started.await();
            // An interrupt closes the channel only if it lands while the victim is inside
            // FileChannel.read, which is a matter of timing: keep interrupting (at least 300
            // times) until one did and the channel was reopened, with a bound that a slow
            // machine cannot reach by chance.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; (i < 300 || ch.reopens() == 0) && System.nanoTime() < deadline
                    && failure.get() == null; i++) {
                victim.interrupt();
                Thread.sleep(1);
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            victim.join();
            assertNull(failure.get(), () -> "a reader failed: " + failure.get());
            assertTrue(victimInterrupts.get() > 0);
            assertTrue(ch.reopens() > 0, "no interrupt closed the channel mid-read in 60 s, so the reopen was not tested");
            assertArrayEquals(slice(all, 5, 70_000), read(ch, 5, 70_000));
        }
    }

    /**
     * Closes the channel as another thread's interrupt mid-read would (the JDK closes it for
     * every thread): done directly, since where an interrupt lands is a matter of timing.
     */
    private static void closeAsAnInterruptWould(SharedReadChannel ch) throws Exception {
        Field f = SharedReadChannel.class.getDeclaredField("channel");
        f.setAccessible(true);
        ((FileChannel) f.get(ch)).close();
    }

    @Test
    void theSameFileIsReopenedAfterAnInterrupt() throws Exception {
        Path p = file();
        byte[] all = Files.readAllBytes(p);
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            closeAsAnInterruptWould(ch);
            assertArrayEquals(slice(all, 10, 100), read(ch, 10, 100));
            assertEquals(1, ch.reopens());
        }
    }

    @Test
    void aSameSizeFileRenamedOverItIsNotReadAfterAnInterrupt() throws Exception {
        Path p = file();
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            // A new revision of the same size, renamed over the file as a download would do it.
            byte[] next = new byte[SIZE];
            new Random(2).nextBytes(next);
            Path fresh = Files.write(dir.resolve("next.bin"), next);
            // Even the time is the same where a file key can tell the two apart (POSIX inodes).
            boolean keyed = Files.readAttributes(p, BasicFileAttributes.class).fileKey() != null;
            FileTime was = Files.getLastModifiedTime(p);
            Files.setLastModifiedTime(fresh, keyed ? was : FileTime.fromMillis(was.toMillis() + 10_000));
            Files.move(fresh, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            closeAsAnInterruptWould(ch);
            IOException e = assertThrows(IOException.class, () -> read(ch, 0, 100));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("changed since it was opened"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(keyed ? "another file" : "modified at"), e.getMessage());
            assertEquals(0, ch.reopens());
        }
    }

    @Test
    void aSameSizeRewriteInPlaceIsNotReadAfterAnInterrupt() throws Exception {
        Path p = file();
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            byte[] next = new byte[SIZE];
            new Random(3).nextBytes(next);
            FileTime before = Files.getLastModifiedTime(p);
            Files.write(p, next); // the same inode, the same size
            // File systems with coarse timestamps may not have moved the time: move it for sure.
            Files.setLastModifiedTime(p, FileTime.fromMillis(before.toMillis() + 10_000));
            closeAsAnInterruptWould(ch);
            IOException e = assertThrows(IOException.class, () -> read(ch, 0, 100));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("modified at"), e.getMessage());
        }
    }

    @Test
    void readsAfterCloseNameTheFile() throws Exception {
        Path p = file();
        SharedReadChannel ch = SharedReadChannel.open(p);
        assertEquals(SIZE, ch.size());
        ch.close();
        ch.close();
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> read(ch, 0, 10));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void theEndOfTheFileIsMinusOne() throws Exception {
        Path p = file();
        try (SharedReadChannel ch = SharedReadChannel.open(p)) {
            assertEquals(-1, ch.read(ByteBuffer.allocate(4), SIZE));
            ByteBuffer tail = ByteBuffer.allocate(10);
            assertEquals(4, ch.read(tail, SIZE - 4));
        }
    }
}

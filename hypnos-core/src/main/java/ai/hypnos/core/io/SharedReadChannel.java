package ai.hypnos.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Positioned reads of one file, shared by any number of threads, that survive an interrupt.
 *
 * <p>Why: a {@link FileChannel} is interruptible: when a thread blocked in a read is interrupted,
 * the JDK closes the channel for every thread. A reader documented as thread-safe (an EDF
 * recording, a weight file) would then fail all later reads, from every thread, with a bare
 * {@link ClosedChannelException} that names no file. Here the interrupted read fails with an
 * {@link InterruptedIOException} naming the file (the thread's interrupt status stays set), and
 * the next read, in any thread, opens the file again and carries on. Only {@link #close()} ends
 * the reads for good.
 *
 * <p>Reopening goes by path, so it checks that the path still names the file first opened: same
 * size, same last-modified time and, where the file system has one, same file key (device and
 * inode on POSIX). A file replaced meanwhile, e.g. a new weights revision renamed over the old
 * one, is refused even when its size is the same, rather than read as if it were the old one.
 */
public final class SharedReadChannel implements Closeable {
    private final Path file;
    private final long size;
    /** The file's identity when opened (null where the file system has none). */
    private final Object fileKey;
    private final FileTime modified;
    private volatile FileChannel channel;
    private volatile boolean closed;
    /** How many times the channel was replaced (read by tests, to see that the path ran). */
    private int reopens;

    private SharedReadChannel(Path file, FileChannel channel, long size, Object fileKey, FileTime modified) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.fileKey = fileKey;
        this.modified = modified;
    }

    /** Opens {@code file} for reading. */
    public static SharedReadChannel open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            // Read by path just after the open: a replacement in between is a race no reader of
            // a path can rule out, but one after this is caught at a reopen.
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new SharedReadChannel(file, ch, ch.size(), a.fileKey(), a.lastModifiedTime());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The file's size in bytes when it was opened. */
    public long size() {
        return size;
    }

    /**
     * Reads into {@code dst} from {@code position}, as {@link FileChannel#read(ByteBuffer, long)}:
     * the number of bytes read, possibly 0, or -1 at the end of the file.
     *
     * @throws InterruptedIOException if this thread is or gets interrupted (the status stays set)
     * @throws ClosedChannelException if {@link #close()} was called (its message names the file)
     */
    public int read(ByteBuffer dst, long position) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            // Do not even start: the channel would close itself, for every thread, at once.
            throw interrupted(position, null);
        }
        int start = dst.position();
        while (true) {
            FileChannel ch = channel;
            try {
                // A failed attempt may have filled part of dst: go on from where it stopped.
                int n = ch.read(dst, position + (dst.position() - start));
                int total = dst.position() - start;
                return n < 0 && total == 0 ? -1 : total;
            } catch (ClosedByInterruptException e) {
                // This thread was interrupted mid-read. It leaves the reopening to the next
                // reader: while its interrupt status is set, a fresh channel would close too.
                throw interrupted(position, e);
            } catch (ClosedChannelException e) {
                // Closed under us by another thread's interrupt, or by close() (reopen refuses).
            }
            try {
                reopen(ch);
            } catch (ClosedByInterruptException e) {
                throw interrupted(position, e);
            }
        }
    }

    private InterruptedIOException interrupted(long position, Exception cause) {
        InterruptedIOException e = new InterruptedIOException(file + ": read at byte " + position + " interrupted");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** Replaces the channel that {@code dead} was, unless another thread already did. */
    private synchronized void reopen(FileChannel dead) throws IOException {
        if (closed) {
            throw new Closed(file);
        }
        if (channel != dead) {
            return;
        }
        FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ);
        String changed;
        try {
            long now = fresh.size();
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            changed = now != size ? "it now has " + now + " bytes, not " + size
                    : fileKey != null && !Objects.equals(fileKey, a.fileKey())
                            ? "it is another file now (file key " + a.fileKey() + ", not " + fileKey + ")"
                    : !modified.equals(a.lastModifiedTime())
                            ? "it was modified at " + a.lastModifiedTime() + ", after it was opened (" + modified + ")"
                    : null;
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        if (changed != null) {
            // Not the file that was opened (replaced, cut or rewritten since): its bytes would
            // not match the header already parsed.
            fresh.close();
            throw new IOException(file + ": reopened after an interrupt, but " + changed
                    + "; it changed since it was opened");
        }
        channel = fresh;
        reopens++;
    }

    /** How many times an interrupt made this channel reopen the file. */
    synchronized int reopens() {
        return reopens;
    }

    /** Ends the reads; later ones throw {@link ClosedChannelException}. Safe to call twice. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        channel.close();
    }

    /** A read after {@link #close()}: the JDK's exception type, with a message that names the file. */
    private static final class Closed extends ClosedChannelException {
        private static final long serialVersionUID = 1L;
        private final String message;

        Closed(Path file) {
            this.message = file + ": read after the file was closed";
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}

package ai.hypnos.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
 */
public final class SharedReadChannel implements Closeable {
    private final Path file;
    private final long size;
    private volatile FileChannel channel;
    private volatile boolean closed;

    private SharedReadChannel(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code file} for reading. */
    public static SharedReadChannel open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SharedReadChannel(file, ch, ch.size());
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
        long now;
        try {
            now = fresh.size();
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        if (now != size) {
            // Not the file that was opened (replaced or cut since): its bytes would not match
            // the header already parsed.
            fresh.close();
            throw new IOException(file + ": reopened after an interrupt, but it now has " + now
                    + " bytes, not " + size + " (changed since it was opened)");
        }
        channel = fresh;
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

package ai.hypnos.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * A file written under a temporary name next to its target and renamed over it only when
 * {@link #commit()} is called, so that readers never see a half-written file and a failed write
 * leaves whatever was there before untouched (DESIGN §9).
 *
 * <pre>{@code
 * try (AtomicFile f = AtomicFile.create(target)) {
 *     f.stream().write(bytes);
 *     f.commit();          // not reached on an exception: close() deletes the temporary file
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one writer per instance.
 */
public final class AtomicFile implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private OutputStream stream;
    private boolean done;

    private AtomicFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Opens a temporary file in the target's folder (created if missing). */
    public static AtomicFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would
        // carry those permissions to the target. CREATE_NEW with a random name keeps the umask's.
        while (true) {
            Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                return new AtomicFile(absolute, temp, ch);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** The channel onto the temporary file (positioned writes allowed). */
    public FileChannel channel() {
        return channel;
    }

    /** A stream onto the temporary file; created once, not buffered (wrap it if you write small pieces). */
    public OutputStream stream() {
        if (stream == null) {
            stream = Channels.newOutputStream(channel);
        }
        return stream;
    }

    /** Flushes the data to disk and renames the temporary file over the target. */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException("already committed or aborted: " + target);
        }
        done = true;
        try {
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            // Also when force() fails (a full or failing disk): close() will not do it, since
            // the file counts as done, and an open channel would leak its file descriptor. A
            // failing clean-up is added to the original failure, which says why the write failed,
            // rather than replacing it.
            try {
                discard();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Discards the temporary file; the target is left as it was. Safe to call twice. */
    public void abort() throws IOException {
        if (!done) {
            done = true;
            discard();
        }
    }

    /** Closes the channel (a no-op if closed) and deletes the temporary file, even if closing fails. */
    private void discard() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Aborts unless {@link #commit()} succeeded. */
    @Override
    public void close() throws IOException {
        abort();
    }
}

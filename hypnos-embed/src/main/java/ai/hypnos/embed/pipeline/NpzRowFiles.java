package ai.hypnos.embed.pipeline;

import ai.hypnos.core.npy.NpyDtype;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.embed.OutputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChunkedEmbedder.RowStore} that writes each array's rows to its own temporary file
 * beside the target, as raw little-endian values of the output type, so a night's embeddings are
 * never all in memory (for {@code base}, 8 modalities and the mean over 28,800 s are 0.4 GB in
 * float16). {@link #putInto} then copies every file into the NPZ as one entry; {@link #close}
 * deletes them, also after a failure.
 *
 * <p>A killed JVM cannot delete them, so each file's name carries its owner's process id
 * ({@code .<target>.<pid>-<random>.rows}) and a new write to the same target first deletes the
 * ones whose owner is gone. Only files of exactly this target are considered, so concurrent
 * writers of other targets in the folder are never touched.
 *
 * <p>The check is per host, or more exactly per pid namespace: a pid is looked up among the
 * processes this JVM can see. A writer of the same target on another machine (a shared network
 * folder) or in another container with its own pid namespace looks gone from here, and its row
 * files would be deleted under it; write one target from one host (namespace) at a time.
 */
final class NpzRowFiles implements ChunkedEmbedder.RowStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NpzRowFiles.class);
    /** How long a row file without an owner pid must be untouched before it counts as orphaned. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);
    private static final Duration PID_CLOCK_SLACK = Duration.ofSeconds(5);

    private final int dim;
    private final OutputType type;
    private final Path[] files;
    private final FileChannel[] channels;
    /** One per array: {@link #write} runs concurrently for different arrays. */
    private final ByteBuffer[] buffers;

    /**
     * @param presence present modalities (files are made for these and for the mean)
     * @param nextTo   the target file: temporary files go into its folder
     */
    NpzRowFiles(boolean[] presence, int dim, OutputType type, Path nextTo) throws IOException {
        this.dim = dim;
        this.type = type;
        this.files = new Path[presence.length + 1];
        this.channels = new FileChannel[presence.length + 1];
        this.buffers = new ByteBuffer[presence.length + 1];
        Path dir = nextTo.toAbsolutePath().getParent();
        String stem = "." + nextTo.getFileName() + ".";
        removeStale(dir, nextTo.getFileName().toString());
        try {
            for (int i = 0; i <= presence.length; i++) {
                if (i == presence.length || presence[i]) {
                    files[i] = Files.createTempFile(dir, stem + ProcessHandle.current().pid() + "-", ".rows");
                    channels[i] = FileChannel.open(files[i], StandardOpenOption.WRITE);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Deletes row files of {@code target} left by processes that are gone: the pid in the name is
     * not running, or the process now holding that pid started after the file was last written
     * (the pid was reused). Files of the older naming without a pid are deleted once untouched for
     * {@link #ORPHAN_AGE}: a live writer writes to them chunk after chunk. Failing to delete one
     * is logged, not fatal: it costs disk space, not correctness.
     */
    static void removeStale(Path dir, String target) {
        Pattern own = Pattern.compile(Pattern.quote("." + target + ".") + "(?:(\\d+)-)?\\d+\\.rows");
        long self = ProcessHandle.current().pid();
        List<Path> stale = new ArrayList<>();
        String prefix = "." + target + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : entries) {
                Matcher m = own.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue; // another file, e.g. of a longer target name that starts like this one
                }
                try {
                    Instant written = Files.getLastModifiedTime(f).toInstant();
                    if (m.group(1) == null ? written.isBefore(Instant.now().minus(ORPHAN_AGE))
                            : ownerGone(Long.parseLong(m.group(1)), self, written)) {
                        stale.add(f);
                    }
                } catch (NoSuchFileException e) {
                    // its owner finished meanwhile
                } catch (NumberFormatException e) {
                    // not a pid we could have written; leave it
                }
            }
        } catch (IOException e) {
            LOG.warn("could not look for stale row files of {} in {}: {}", target, dir, e.toString());
            return;
        }
        for (Path f : stale) {
            try {
                long size = Files.size(f);
                Files.deleteIfExists(f);
                LOG.info("deleted {} ({} bytes), left by a process that no longer runs", f, size);
            } catch (NoSuchFileException e) {
                // deleted by another writer of the same target
            } catch (IOException e) {
                LOG.warn("could not delete stale row file {}: {}", f, e.toString());
            }
        }
    }

    private static boolean ownerGone(long pid, long self, Instant written) {
        if (pid == self) {
            return false; // another thread of this JVM writing the same target
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        // Start times are derived from the boot time in whole seconds: allow for that.
        Optional<Instant> started = p.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(written.plus(PID_CLOCK_SLACK));
    }

    @Override
    public void write(int index, int firstSecond, float[] values, int offset, int count) {
        int item = type == OutputType.FLOAT16 ? 2 : 4;
        ByteBuffer buffer = buffers[index];
        if (buffer == null || buffer.capacity() < count * item) {
            buffer = ByteBuffer.allocate(count * item).order(ByteOrder.LITTLE_ENDIAN);
            buffers[index] = buffer;
        }
        buffer.clear();
        if (type == OutputType.FLOAT16) {
            for (int i = 0; i < count; i++) {
                buffer.putShort(2 * i, Float16.fromFloat(values[offset + i]));
            }
            buffer.position(count * item);
        } else {
            buffer.asFloatBuffer().put(values, offset, count);
            buffer.position(count * item);
        }
        buffer.flip();
        long position = (long) firstSecond * dim * item;
        try {
            while (buffer.hasRemaining()) {
                position += channels[index].write(buffer, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing rows to " + files[index], e);
        }
    }

    /** Adds array {@code index} as an {@code [seconds, D]} entry named {@code key}. */
    void putInto(NpzWriter w, int index, String key, int seconds) throws IOException {
        NpyDtype dtype = type == OutputType.FLOAT16 ? NpyDtype.FLOAT16 : NpyDtype.FLOAT32;
        w.put(key, dtype, dtype.itemSize(), new long[] {seconds, dim}, files[index]);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < files.length; i++) {
            try {
                if (channels[i] != null) {
                    channels[i].close();
                }
                if (files[i] != null) {
                    Files.deleteIfExists(files[i]);
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

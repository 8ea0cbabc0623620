package ai.hypnos.core.npy;

import ai.hypnos.core.io.AtomicFile;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NPZ archives that {@code np.load} reads: one {@code <key>.npy} entry per array,
 * stored (like {@code np.savez}) or deflated (like {@code np.savez_compressed}).
 *
 * <pre>{@code
 * try (NpzWriter z = NpzWriter.begin(Path.of("emb.npz"), true)) {
 *     z.put("eeg_c3", NpyArray.of(values, s, d));
 *     z.put("mean", NpyArray.of(mean, s, d));
 *     z.commit();     // the archive appears under its name only now
 * }                   // an exception before commit(): close() discards everything
 * }</pre>
 *
 * <p>The archive is written to a temporary file and renamed over the target when it is
 * committed; only {@link #commit()} publishes, like {@link AtomicFile}. Whatever goes wrong
 * before it (a failed put, or an exception of the caller's own between two puts) leaves the
 * target as it was: closing an uncommitted archive discards it. (Publishing on close could not
 * tell a caller's exception between two puts from success.)
 * After a failed put the archive can only be discarded: further puts and {@link #commit()} are
 * refused. Entry times are fixed (1980-01-01, as numpy writes them), so the same arrays give the
 * same bytes. Not thread-safe.
 */
public final class NpzWriter implements Closeable {
    private final AtomicFile file;
    private final Sink sink;
    private final ZipOutputStream zip;
    private final boolean compressed;
    private final Set<String> keys = new HashSet<>();
    private boolean failed;
    private boolean closed;

    private NpzWriter(AtomicFile file, boolean compressed) {
        this.file = file;
        this.compressed = compressed;
        this.sink = new Sink(new BufferedOutputStream(file.stream(), 1 << 16));
        this.zip = new ZipOutputStream(sink);
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * Starts an archive that only {@link #commit()} publishes; closing it uncommitted discards it.
     *
     * @param compressed deflate the entries ({@code np.savez_compressed}) or store them ({@code np.savez})
     */
    public static NpzWriter begin(Path target, boolean compressed) throws IOException {
        return new NpzWriter(AtomicFile.create(target), compressed);
    }

    /** Adds one array under {@code key} ({@code .npy} is appended to the entry name). */
    public NpzWriter put(String key, NpyArray array) throws IOException {
        boolean ok = false;
        try {
            String name = entryName(key);
            ZipEntry e = new ZipEntry(name);
            e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
            if (compressed) {
                e.setMethod(ZipEntry.DEFLATED);
            } else {
                // Stored entries need their size and CRC before the data.
                byte[] header = Npy.headerBytes(array);
                CRC32 crc = new CRC32();
                crc.update(header);
                crc.update(array.data());
                long size = header.length + (long) array.data().remaining();
                e.setMethod(ZipEntry.STORED);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            Npy.write(zip, array); // writes, never closes
            zip.closeEntry();
            ok = true;
            return this;
        } finally {
            // A finally, not a catch: an Error half-way through an entry must doom the archive too.
            if (!ok) {
                failed = true;
            }
        }
    }

    /**
     * Adds one array under {@code key} whose elements are in a file ({@code data}: the raw
     * little-endian bytes in C order, exactly {@code itemSize × Π shape} of them), copied in
     * blocks: arrays built on disk piece by piece never have to be in memory. The entry is the
     * same as {@link #put(String, NpyArray)} would write for the same values.
     */
    public NpzWriter put(String key, NpyDtype dtype, int itemSize, long[] shape, Path data) throws IOException {
        boolean ok = false;
        try {
            String name = entryName(key);
            long expected = itemSize;
            for (long n : shape) {
                expected = Math.multiplyExact(expected, n);
            }
            long found = Files.size(data);
            if (found != expected) {
                throw new IllegalArgumentException(data + ": " + found + " bytes for a " + dtype.numpyName() + " array of shape "
                        + java.util.Arrays.toString(shape) + " (" + expected + " expected)");
            }
            byte[] header = NpyHeader.encode(dtype, itemSize, ByteOrder.LITTLE_ENDIAN, shape);
            ZipEntry e = new ZipEntry(name);
            e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
            if (compressed) {
                e.setMethod(ZipEntry.DEFLATED);
            } else {
                CRC32 crc = new CRC32();
                crc.update(header);
                copy(data, null, crc);
                long size = header.length + expected;
                e.setMethod(ZipEntry.STORED);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(header);
            copy(data, zip, null);
            zip.closeEntry();
            ok = true;
            return this;
        } finally {
            if (!ok) {
                failed = true;
            }
        }
    }

    private static void copy(Path from, OutputStream to, CRC32 crc) throws IOException {
        byte[] block = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(from)) {
            int n;
            while ((n = in.read(block)) > 0) {
                if (to != null) {
                    to.write(block, 0, n);
                }
                if (crc != null) {
                    crc.update(block, 0, n);
                }
            }
        }
    }

    private String entryName(String key) {
        if (closed) {
            throw new IllegalStateException("archive already closed: " + file.target());
        }
        if (failed) {
            throw new IllegalStateException("an earlier put into " + file.target()
                    + " failed; the archive will be discarded, not written");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty NPZ key in " + file.target());
        }
        String name = key.endsWith(".npy") ? key : key + ".npy";
        if (!keys.add(name)) {
            throw new IllegalArgumentException("duplicate NPZ key '" + key + "' in " + file.target());
        }
        return name;
    }

    /**
     * Finishes the archive and renames it over the target. On success {@link #close()} has
     * nothing left to do; on failure the temporary file is deleted and the target left as it was.
     *
     * @throws IllegalStateException if a put failed (the archive would be incomplete) or the
     *                               archive was already committed, aborted or closed
     */
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("archive already committed, aborted or closed: " + file.target());
        }
        if (failed) {
            throw new IllegalStateException("a put into " + file.target()
                    + " failed; the incomplete archive is discarded, not committed");
        }
        closed = true;
        boolean ok = false;
        try {
            // close(), not just finish(): it also ends the Deflater, whose native memory would
            // otherwise wait for the garbage collector. The sink keeps the temporary file open.
            zip.close();
            file.commit();
            ok = true;
        } finally {
            if (!ok) {
                file.close();
            }
        }
    }

    /** Discards everything written; the target is left as it was. */
    public void abort() throws IOException {
        failed = true;
        close();
    }

    /** Discards the archive unless it was committed. Safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        sink.discard();
        try {
            zip.close(); // only to end the Deflater: the sink now drops the bytes
        } catch (IOException halfWrittenEntry) {
            // Closing finishes the current entry, and one left half-written by a failed put is
            // refused (wrong size or CRC). The archive is being thrown away, so that is moot.
        } finally {
            file.close();
        }
    }

    /**
     * What the zip stream writes into: passes bytes on to the temporary file, but its close()
     * only flushes (the {@link AtomicFile} must stay open until it is committed), and once the
     * archive is discarded it drops everything, so closing the zip stream writes nothing.
     */
    private static final class Sink extends FilterOutputStream {
        private boolean discarding;

        Sink(OutputStream out) {
            super(out);
        }

        void discard() {
            discarding = true;
        }

        @Override
        public void write(int b) throws IOException {
            if (!discarding) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!discarding) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!discarding) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

package ai.hypnos.core.npy;

import ai.hypnos.core.io.AtomicFile;

import java.io.BufferedOutputStream;
import java.io.Closeable;
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
 * try (NpzWriter z = NpzWriter.create(Path.of("emb.npz"), true)) {
 *     z.put("eeg_c3", NpyArray.of(values, s, d));
 *     z.put("mean", NpyArray.of(mean, s, d));
 * }   // the archive appears under its name only now
 * }</pre>
 *
 * <p>The archive is written to a temporary file and renamed over the target on {@link #close()}.
 * If a {@link #put} failed, or {@link #abort()} was called, closing discards the temporary file
 * and leaves the target untouched. Entry times are fixed (1980-01-01, as numpy writes them), so
 * the same arrays give the same bytes. Not thread-safe.
 */
public final class NpzWriter implements Closeable {
    private final AtomicFile file;
    private final ZipOutputStream zip;
    private final boolean compressed;
    private final Set<String> keys = new HashSet<>();
    private boolean failed;
    private boolean closed;

    private NpzWriter(AtomicFile file, boolean compressed) {
        this.file = file;
        this.compressed = compressed;
        this.zip = new ZipOutputStream(new BufferedOutputStream(file.stream(), 1 << 16));
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * Starts an archive.
     *
     * @param compressed deflate the entries ({@code np.savez_compressed}) or store them ({@code np.savez})
     */
    public static NpzWriter create(Path target, boolean compressed) throws IOException {
        return new NpzWriter(AtomicFile.create(target), compressed);
    }

    /** Adds one array under {@code key} ({@code .npy} is appended to the entry name). */
    public NpzWriter put(String key, NpyArray array) throws IOException {
        String name = entryName(key);
        try {
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
            return this;
        } catch (IOException | RuntimeException ex) {
            failed = true;
            throw ex;
        }
    }

    /**
     * Adds one array under {@code key} whose elements are in a file ({@code data}: the raw
     * little-endian bytes in C order, exactly {@code itemSize × Π shape} of them), copied in
     * blocks: arrays built on disk piece by piece never have to be in memory. The entry is the
     * same as {@link #put(String, NpyArray)} would write for the same values.
     */
    public NpzWriter put(String key, NpyDtype dtype, int itemSize, long[] shape, Path data) throws IOException {
        String name = entryName(key);
        try {
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
            return this;
        } catch (IOException | RuntimeException ex) {
            failed = true;
            throw ex;
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
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty NPZ key");
        }
        String name = key.endsWith(".npy") ? key : key + ".npy";
        if (!keys.add(name)) {
            throw new IllegalArgumentException("duplicate NPZ key '" + key + "' in " + file.target());
        }
        return name;
    }

    /** Discards everything written; the target is left as it was. */
    public void abort() throws IOException {
        failed = true;
        close();
    }

    /** Finishes the archive and renames it over the target (unless a put failed or it was aborted). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                zip.finish();
                zip.flush();
                file.commit();
            }
        } finally {
            file.close();
        }
    }
}

package ai.hypnos.core.npy;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.AtomicFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads and writes single arrays in numpy's NPY format (versions 1.0, 2.0 and 3.0).
 *
 * <pre>{@code
 * NpyArray x = Npy.read(Path.of("signal.npy"));          // numpy: np.save("signal.npy", x)
 * float[] v = x.toFloatArray();
 * Npy.write(Path.of("out.npy"), NpyArray.of(v, 2, v.length / 2));
 * NpyArray shard = Npy.map(Path.of("tokens.npy"));       // int16 [S, K], nothing loaded yet
 * short[] window = shard.toShortArray(start * k, len * k);
 * }</pre>
 *
 * <p>Arrays written here are C-ordered, little-endian, in version 1.0 with the header numpy
 * itself writes, so the bytes equal {@code np.save}'s. Reading accepts little- and big-endian
 * data (kept in its order; the getters decode either) and Fortran-ordered arrays, which
 * {@link #read} transposes into C order (what numpy's {@code np.ascontiguousarray} would give) so
 * that every {@link NpyArray} is C-ordered; {@link #map} refuses them, since a mapping cannot be
 * reordered without loading it. Any inconsistency — bad magic, unknown version or dtype, a header
 * over 1 MiB or past the end of the file, negative or overflowing dimensions, a data size other
 * than shape × itemsize — is a {@link HypnosFormatException} before anything large is allocated.
 */
public final class Npy {
    private Npy() {
    }

    /** Reads only the header of an NPY file. */
    public static NpyHeader header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return NpyHeader.read(Channels.newInputStream(ch), file, "", ch.size());
        }
    }

    /** Reads a whole NPY file into memory (Fortran-ordered arrays are transposed to C order). */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(Channels.newInputStream(ch), file, "", ch.size());
            int bytes = checkedSize(h, file, "");
            ByteBuffer buf = ByteBuffer.allocate(bytes).order(h.byteOrder());
            long pos = h.dataOffset();
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new HypnosFormatException(file, "data", buf.position() + " of " + bytes + " bytes",
                            "file ended while reading the array (truncated?)", new EOFException());
                }
            }
            buf.flip();
            return toArray(h, buf);
        }
    }

    /**
     * Maps an NPY file read-only: elements are read from the page cache on demand, so random
     * windows of a large token shard cost only the pages they touch. The mapping stays valid
     * after this call returns (the channel may close; the JVM unmaps when the array is
     * collected). Fortran-ordered files are refused.
     */
    public static NpyArray map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(Channels.newInputStream(ch), file, "", ch.size());
            if (h.fortranOrder() && h.shape().length > 1) {
                throw new HypnosFormatException(file, "fortran_order", "True",
                        "a Fortran-ordered array cannot be memory-mapped in C order; use Npy.read (which transposes it)");
            }
            int bytes = checkedSize(h, file, "");
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), bytes).order(h.byteOrder());
            return new NpyArray(h.dtype(), h.itemSize(), h.shape(), buf);
        }
    }

    /** Writes an array as NPY version 1.0, atomically (temporary file, then rename). */
    public static void write(Path file, NpyArray array) throws IOException {
        try (AtomicFile out = AtomicFile.create(file)) {
            FileChannel ch = out.channel();
            writeFully(ch, ByteBuffer.wrap(headerBytes(array)));
            writeFully(ch, array.data());
            out.commit();
        }
    }

    /** Writes an array as NPY version 1.0 to a stream (used for NPZ entries). */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(headerBytes(array));
        ByteBuffer data = array.data();
        byte[] chunk = new byte[(int) Math.min(1 << 16, Math.max(1, data.remaining()))];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** The NPY header numpy would write for this array (magic to newline, 64-byte aligned). */
    static byte[] headerBytes(NpyArray array) {
        return NpyHeader.encode(array.dtype(), array.itemSize(), array.byteOrder(), array.shape());
    }

    /**
     * Reads one NPY from a stream holding exactly one (an NPZ entry).
     *
     * @param totalSize the stream's declared length, or -1 if unknown
     * @param where     prefix for field names in messages
     */
    static NpyArray read(InputStream in, Path file, String where, long totalSize) throws IOException {
        NpyHeader h = NpyHeader.read(in, file, where, totalSize);
        int bytes = checkedSize(h, file, where);
        // Grow the buffer as data arrive, so a header that lies about its size cannot make us
        // allocate more than the stream really holds (a few tens of MB at a time).
        byte[] buf = new byte[Math.min(bytes, 1 << 26)];
        int off = 0;
        while (off < bytes) {
            if (off == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(bytes, 2L * buf.length));
            }
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new HypnosFormatException(file, where + "data", off + " of " + bytes + " bytes",
                        "data end before shape x itemsize bytes (truncated?)", new EOFException());
            }
            off += n;
        }
        if (in.read() >= 0) {
            throw new HypnosFormatException(file, where + "data", "more than " + bytes + " bytes",
                    "bytes follow the array data: shape " + NpyHeader.shapeRepr(h.shape()) + " x itemsize "
                            + h.itemSize() + " does not cover them");
        }
        return toArray(h, ByteBuffer.wrap(buf).order(h.byteOrder()));
    }

    private static NpyArray toArray(NpyHeader h, ByteBuffer buf) {
        long[] shape = h.shape();
        if (h.fortranOrder() && shape.length > 1) {
            buf = fortranToC(buf, shape, h.itemSize());
        }
        return new NpyArray(h.dtype(), h.itemSize(), shape, buf);
    }

    private static int checkedSize(NpyHeader h, Path file, String where) throws HypnosFormatException {
        long bytes = h.dataBytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new HypnosFormatException(file, where + "shape", NpyHeader.shapeRepr(h.shape()),
                    bytes + " bytes of data exceed the 2 GiB limit of one NpyArray");
        }
        return (int) bytes;
    }

    /** Reorders elements stored first-index-fastest into last-index-fastest (C) order. */
    static ByteBuffer fortranToC(ByteBuffer src, long[] shape, int itemSize) {
        int nd = shape.length;
        long[] fStride = new long[nd];
        long s = 1;
        for (int k = 0; k < nd; k++) {
            fStride[k] = s;
            s *= shape[k];
        }
        long count = s;
        ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(src.order());
        if (count == 0) {
            return dst;
        }
        long[] idx = new long[nd];
        long srcElement = 0;
        byte[] item = new byte[itemSize];
        for (long c = 0; c < count; c++) {
            src.get((int) (srcElement * itemSize), item);
            dst.put(item);
            // Advance the C-order odometer (last axis fastest) and keep the Fortran offset in step.
            for (int k = nd - 1; k >= 0; k--) {
                idx[k]++;
                srcElement += fStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                srcElement -= idx[k] * fStride[k];
                idx[k] = 0;
            }
        }
        return dst.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link ChunkedEmbedder.RowStore} that writes each array's rows to its own temporary file
 * beside the target, as raw little-endian values of the output type, so a night's embeddings are
 * never all in memory (for {@code base}, 8 modalities and the mean over 28,800 s are 0.4 GB in
 * float16). {@link #putInto} then copies every file into the NPZ as one entry; {@link #close}
 * deletes them, also after a failure.
 */
final class NpzRowFiles implements ChunkedEmbedder.RowStore, AutoCloseable {
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
        try {
            for (int i = 0; i <= presence.length; i++) {
                if (i == presence.length || presence[i]) {
                    files[i] = Files.createTempFile(dir, stem, ".rows");
                    channels[i] = FileChannel.open(files[i], StandardOpenOption.WRITE);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
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

package ai.hypnos.transformer.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunked embedding inference over one recording: the night is cut into non-overlapping chunks of
 * {@link EmbedOptions#chunkTokens()} seconds; each chunk runs the temporal transformer alone
 * (BOS at its first second, RoPE positions from 0, no context from the previous chunk — what the
 * reference's {@code temporal_context} does), and the per-modality outputs are concatenated.
 * A pass's arrays are freed once its output is on the host, so memory does not grow with the night.
 *
 * <p>On a GPU the passes are pipelined: pass i+1 is queued before pass i's output is handed to
 * the {@link ChunkSink}, so the host-side copying (and whatever the sink does) runs while the
 * device computes, and only the device-to-host transfer itself waits. That transfer moves the
 * model's own precision (half the bytes for a float16 model); the float16 values are widened to
 * float32 on the host, which is exact. An H100 measured the copy of the embeddings to Java
 * arrays at more than the passes themselves (docs/benchmarks.md, "GPU"), hence both measures.
 *
 * <p>Because chunks share nothing, several full chunks can also run as one batch
 * ({@link #forEachChunk(TokenBatch, int, int, ChunkSink)}). On an H100 that cut the device time
 * of a {@code small} night from 0.15 to 0.08 s, but larger copies to the host then cost more than
 * it saved, so the default is one chunk per pass. On the CPU the temporal transformer splits
 * each chunk further to keep its arrays small.
 */
public final class Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);

    private final RqTransformer model;

    public Embedder(RqTransformer model) {
        this.model = model;
    }

    /** Embeddings of one recording ({@code recording.batch() == 1}), one chunk per pass. */
    public Embeddings embed(TokenBatch recording, EmbedOptions options) {
        return embed(recording, options, 1);
    }

    /**
     * Embeddings of one recording ({@code recording.batch() == 1}), running up to
     * {@code chunksPerPass} full chunks as one batch (the result does not depend on it).
     */
    public Embeddings embed(TokenBatch recording, EmbedOptions options, int chunksPerPass) {
        List<ModalitySpec> specs = model.config().modalities();
        int m = specs.size();
        int d = model.config().embedDim();
        int total = recording.seconds();
        boolean[] presence = recording.presence();
        float[][] out = new float[m][];
        for (int i = 0; i < m; i++) {
            out[i] = presence[i] ? new float[total * d] : null;
        }
        forEachChunk(recording, options.chunkTokens(), chunksPerPass, (start, length, z) -> {
            for (int i = 0; i < m; i++) {
                if (out[i] != null) {
                    System.arraycopy(z, i * length * d, out[i], start * d, length * d);
                }
            }
        });
        return new Embeddings(specs.stream().map(ModalitySpec::name).toList(), out, total, d);
    }

    /**
     * Runs the temporal transformer over one recording ({@code recording.batch() == 1}) in chunks
     * of {@code chunkTokens} seconds, up to {@code chunksPerPass} full chunks per pass (a last,
     * shorter chunk runs on its own), and hands each chunk's float32 output to {@code sink} in
     * order. The output does not depend on {@code chunksPerPass}.
     */
    public void forEachChunk(TokenBatch recording, int chunkTokens, int chunksPerPass, ChunkSink sink) {
        if (recording.batch() != 1) {
            throw new IllegalArgumentException("embed takes one recording at a time, got a batch of "
                    + recording.batch());
        }
        if (chunksPerPass < 1) {
            throw new IllegalArgumentException("chunksPerPass must be >= 1, got " + chunksPerPass);
        }
        recording.validate(model.layout());
        int total = recording.seconds();
        int perSecond = model.config().modalities().size() * model.config().embedDim();
        long started = System.nanoTime();
        float[] buffer = new float[0]; // one chunk's values, reused from chunk to chunk
        HostPass ready = null; // the previous pass, on the host, not yet handed to the sink
        try {
            for (ChunkPass pass : ChunkPass.plan(total, chunkTokens, chunksPerPass)) {
                NDManager scope = model.parameters().manager().newSubManager();
                boolean handedOver = false;
                try {
                    NDArray z = model.temporalForward(pass.tokens(recording), scope); // [count, M, len, D]; queued on a GPU
                    if (ready != null) {
                        buffer = ready.deliver(buffer, perSecond, sink); // host work while the device computes this pass
                        ready.close();
                        ready = null;
                        LOG.debug("embedded {} of {} s after {} ms", pass.start(), total,
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    ready = new HostPass(pass, z, scope); // waits for this pass
                    handedOver = true;
                } finally {
                    if (!handedOver) {
                        scope.close();
                    }
                }
            }
            ready.deliver(buffer, perSecond, sink);
        } finally {
            if (ready != null) {
                ready.close();
            }
        }
    }

    /** One pass's output in host memory, in the model's precision, with the scope that holds it. */
    private static final class HostPass implements AutoCloseable {
        private final ChunkPass pass;
        private final NDManager scope;
        private final ByteBuffer bytes;
        private final boolean half;

        /** Copies {@code z} to the host; once made, this object owns {@code scope}, where z and the copy live. */
        HostPass(ChunkPass pass, NDArray z, NDManager scope) {
            this.pass = pass;
            this.scope = scope;
            if (z.getDataType() != DataType.FLOAT32 && z.getDataType() != DataType.FLOAT16) {
                z = z.toType(DataType.FLOAT32, false);
            }
            this.half = z.getDataType() == DataType.FLOAT16;
            NDArray host = z.getDevice().isGpu() ? z.toDevice(Device.cpu(), false) : z;
            this.bytes = host.toByteBuffer(true); // a view of the host tensor, valid until the scope closes
        }

        /**
         * Hands each chunk of the pass to {@code sink} as float32 ({@code perSecond} = M · D values
         * a second), in {@code buffer} or, when that has another size, in a new array it returns.
         */
        float[] deliver(float[] buffer, int perSecond, ChunkSink sink) {
            int n = pass.length() * perSecond;
            if (buffer.length != n) {
                buffer = new float[n];
            }
            for (int g = 0; g < pass.count(); g++) {
                if (half) {
                    Float16.toFloats(bytes.asShortBuffer().position(g * n), buffer, 0, n);
                } else {
                    bytes.asFloatBuffer().get(g * n, buffer, 0, n);
                }
                sink.accept(pass.start() + g * pass.length(), pass.length(), buffer);
            }
            return buffer;
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}

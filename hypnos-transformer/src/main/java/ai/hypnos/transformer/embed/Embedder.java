package ai.hypnos.transformer.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import java.nio.FloatBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunked embedding inference over one recording: the night is cut into non-overlapping chunks of
 * {@link EmbedOptions#chunkTokens()} seconds; each chunk runs the temporal transformer alone
 * (BOS at its first second, RoPE positions from 0, no context from the previous chunk — what the
 * reference's {@code temporal_context} does), and the per-modality outputs are concatenated.
 * One pass's arrays are freed before the next starts, so memory does not grow with the night.
 *
 * <p>Because chunks share nothing, several full chunks can also run as one batch
 * ({@link #embed(TokenBatch, EmbedOptions, int)}). On an H100 that cut the device time of a
 * {@code small} night from 0.15 to 0.08 s, but the larger copies of the embeddings to the host
 * then cost more than it saved (0.34 s end to end with one chunk per pass, 0.52 s with 16;
 * docs/benchmarks.md), so the default is one chunk per pass everywhere. On the CPU the temporal
 * transformer splits each chunk further to keep its arrays small.
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
     * {@code chunksPerPass} full chunks as one batch (the result does not depend on it; a last,
     * shorter chunk runs on its own).
     */
    public Embeddings embed(TokenBatch recording, EmbedOptions options, int chunksPerPass) {
        if (recording.batch() != 1) {
            throw new IllegalArgumentException("embed takes one recording at a time, got a batch of "
                    + recording.batch());
        }
        if (chunksPerPass < 1) {
            throw new IllegalArgumentException("chunksPerPass must be >= 1, got " + chunksPerPass);
        }
        recording.validate(model.layout());
        List<ModalitySpec> specs = model.config().modalities();
        int m = specs.size();
        int d = model.config().embedDim();
        int total = recording.seconds();
        boolean[] presence = recording.presence();
        float[][] out = new float[m][];
        for (int i = 0; i < m; i++) {
            out[i] = presence[i] ? new float[total * d] : null;
        }
        long started = System.nanoTime();
        for (ChunkPass pass : ChunkPass.plan(total, options.chunkTokens(), chunksPerPass)) {
            int len = pass.length();
            try (NDManager scope = model.parameters().manager().newSubManager()) {
                NDArray z = model.temporalForward(pass.tokens(recording), scope); // [count, M, len, D]
                if (z.getDataType() != DataType.FLOAT32) {
                    z = z.toType(DataType.FLOAT32, false);
                }
                // A view of the (host) tensor's memory, copied once into each modality's array: no
                // intermediate array of the whole pass (on a GPU the copies cost more than the pass).
                FloatBuffer flat = z.toByteBuffer(true).asFloatBuffer();
                for (int g = 0; g < pass.count(); g++) {
                    for (int i = 0; i < m; i++) {
                        if (out[i] != null) {
                            flat.get((g * m + i) * len * d, out[i], (pass.start() + g * len) * d, len * d);
                        }
                    }
                }
            }
            LOG.debug("embedded {} of {} s after {} ms", pass.start() + pass.count() * len, total,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new Embeddings(specs.stream().map(ModalitySpec::name).toList(), out, total, d);
    }
}

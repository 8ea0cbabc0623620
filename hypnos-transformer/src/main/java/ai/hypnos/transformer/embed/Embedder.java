package ai.hypnos.transformer.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunked embedding inference over one recording: the night is cut into non-overlapping chunks of
 * {@link EmbedOptions#chunkTokens()} seconds; each chunk runs the temporal transformer alone
 * (BOS at its first second, RoPE positions from 0, no context from the previous chunk — what the
 * reference's {@code temporal_context} does), and the per-modality outputs are concatenated.
 * One chunk's arrays are freed before the next starts, so memory does not grow with the night.
 */
public final class Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);

    private final RqTransformer model;

    public Embedder(RqTransformer model) {
        this.model = model;
    }

    /** Embeddings of one recording ({@code recording.batch() == 1}). */
    public Embeddings embed(TokenBatch recording, EmbedOptions options) {
        if (recording.batch() != 1) {
            throw new IllegalArgumentException("embed takes one recording at a time, got a batch of "
                    + recording.batch());
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
        int chunk = options.chunkTokens();
        int chunks = (total + chunk - 1) / chunk;
        long started = System.nanoTime();
        for (int c = 0; c < chunks; c++) {
            int start = c * chunk;
            int stop = Math.min(total, start + chunk);
            TokenBatch part = chunks == 1 ? recording : recording.slice(start, stop);
            try (NDManager scope = model.parameters().manager().newSubManager()) {
                NDArray z = model.temporalForward(part, scope); // [1, M, L, D]
                if (z.getDataType() != DataType.FLOAT32) {
                    z = z.toType(DataType.FLOAT32, false);
                }
                float[] flat = z.toFloatArray();
                int len = stop - start;
                for (int i = 0; i < m; i++) {
                    if (out[i] != null) {
                        System.arraycopy(flat, i * len * d, out[i], start * d, len * d);
                    }
                }
            }
            if (chunks > 1) {
                LOG.debug("embedded chunk {}/{} ({} s) after {} ms", c + 1, chunks, stop - start,
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
        return new Embeddings(specs.stream().map(ModalitySpec::name).toList(), out, total, d);
    }
}

package ai.hypnos.embed.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.embed.EmbeddingMatrix;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: the temporal transformer over a night's tokens in non-overlapping chunks, as
 * the reference's {@code temporal_context} does (each chunk starts with BOS at RoPE position 0
 * and sees nothing of the previous one). Each chunk runs in its own {@link NDManager} scope that
 * is closed before the next starts, and its output goes straight into the heap-side result, so
 * native memory is that of one chunk however long the night.
 */
public final class ChunkedEmbedder {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkedEmbedder.class);

    private ChunkedEmbedder() {
    }

    /** Receives one chunk's output. */
    @FunctionalInterface
    public interface ChunkSink {
        /**
         * @param start first second of the chunk
         * @param length seconds in the chunk
         * @param z     {@code [M, length, D]} float32, row-major (valid only during the call)
         */
        void accept(int start, int length, float[] z);
    }

    /** Runs the transformer chunk by chunk and hands each chunk's float32 output to {@code sink}. */
    public static void forEachChunk(RqTransformer model, TokenBatch recording, int chunk, ChunkSink sink) {
        int total = recording.seconds();
        int chunks = (total + chunk - 1) / chunk;
        long t0 = System.nanoTime();
        for (int c = 0; c < chunks; c++) {
            int start = c * chunk;
            int stop = Math.min(total, start + chunk);
            TokenBatch part = chunks == 1 ? recording : recording.slice(start, stop);
            float[] flat;
            try (NDManager scope = model.parameters().manager().newSubManager()) {
                NDArray z = model.temporalForward(part, scope); // [1, M, L, D]
                if (z.getDataType() != DataType.FLOAT32) {
                    z = z.toType(DataType.FLOAT32, false);
                }
                flat = z.toFloatArray();
            }
            sink.accept(start, stop - start, flat);
            if (chunks > 1) {
                LOG.debug("chunk {}/{} ({} s) done after {} ms", c + 1, chunks, stop - start,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    /** The embeddings of a tokenized recording. */
    public static Embeddings embed(RqTransformer model, TokenizedRecording rec, int chunk, OutputType type) {
        int m = rec.modalities().size();
        int d = model.config().embedDim();
        int s = rec.seconds();
        boolean[] presence = rec.presence();
        Assembler a = new Assembler(presence, s, d, type);
        forEachChunk(model, rec.toBatch(), chunk, a);
        return a.finish(rec.modalities(), rec.numQuantizers(), rec.channelIds(), rec.tokens(), rec.report(),
                rec.notes());
    }

    /** Collects chunk outputs into per-modality matrices, their mean and the 30-s epoch means. */
    public static final class Assembler implements ChunkSink {
        private final boolean[] presence;
        private final int seconds;
        private final int dim;
        private final OutputType type;
        private final EmbeddingMatrix[] perModality;
        private final EmbeddingMatrix mean;
        private final double[] epochSums;
        private final int presentCount;

        public Assembler(boolean[] presence, int seconds, int dim, OutputType type) {
            this.presence = presence.clone();
            this.seconds = seconds;
            this.dim = dim;
            this.type = type;
            this.perModality = new EmbeddingMatrix[presence.length];
            int n = 0;
            for (int i = 0; i < presence.length; i++) {
                if (presence[i]) {
                    perModality[i] = EmbeddingMatrix.zeros(seconds, dim, type);
                    n++;
                }
            }
            this.presentCount = n;
            this.mean = EmbeddingMatrix.zeros(seconds, dim, type);
            this.epochSums = new double[(seconds / Embeddings.EPOCH_SECONDS) * dim];
        }

        @Override
        public void accept(int start, int length, float[] z) {
            float[] meanRows = new float[length * dim];
            for (int i = 0; i < presence.length; i++) {
                if (!presence[i]) {
                    continue;
                }
                int base = i * length * dim;
                perModality[i].set(start * dim, z, base, length * dim);
                for (int j = 0; j < length * dim; j++) {
                    meanRows[j] += z[base + j];
                }
            }
            if (presentCount > 0) {
                for (int j = 0; j < meanRows.length; j++) {
                    meanRows[j] /= presentCount;
                }
            }
            mean.set(start * dim, meanRows, 0, meanRows.length);
            int epochs = epochSums.length / dim;
            for (int r = 0; r < length; r++) {
                int e = (start + r) / Embeddings.EPOCH_SECONDS;
                if (e >= epochs) {
                    break;
                }
                for (int c = 0; c < dim; c++) {
                    epochSums[e * dim + c] += meanRows[r * dim + c];
                }
            }
        }

        /** The result; {@code tokens} etc. describe the same recording. */
        public Embeddings finish(List<String> modalities, int[] numQuantizers, int[] channelIds, int[] tokens,
                ResolutionReport report, List<String> notes) {
            float[] ep = new float[epochSums.length];
            for (int i = 0; i < ep.length; i++) {
                ep[i] = (float) (epochSums[i] / Embeddings.EPOCH_SECONDS);
            }
            EmbeddingMatrix epochs = EmbeddingMatrix.of(ep, ep.length / dim, dim, type);
            return new Embeddings(modalities, numQuantizers, presence, channelIds, perModality, mean, epochs, tokens,
                    seconds, dim, type, report, notes);
        }
    }
}

package ai.hypnos.embed.pipeline;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.embed.EmbeddingMatrix;
import ai.hypnos.embed.EmbeddingSummary;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.embed.ChunkSink;
import ai.hypnos.transformer.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The last stage: the temporal transformer over a night's tokens in non-overlapping chunks, as
 * the reference's {@code temporal_context} does (each chunk starts with BOS at RoPE position 0
 * and sees nothing of the previous one), run by the transformer's {@link Embedder}: each chunk's
 * native memory is freed once its output is on the host, and that output goes straight into the
 * heap-side result (or the NPZ's row files), so native memory is that of a chunk or two however
 * long the night.
 */
public final class ChunkedEmbedder {
    private ChunkedEmbedder() {
    }

    /**
     * Runs the transformer chunk by chunk and hands each chunk's float32 output to {@code sink},
     * in order ({@link Embedder#forEachChunk}: on a GPU the sink's work overlaps the next chunk).
     */
    public static void forEachChunk(RqTransformer model, TokenBatch recording, int chunk, ChunkSink sink) {
        new Embedder(model).forEachChunk(recording, chunk, 1, sink);
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

    /**
     * The embeddings of a tokenized recording written to an NPZ as the chunks come: each array's
     * rows go to a temporary file beside {@code target} and are copied into the archive at the
     * end, so memory holds one chunk, not the night. The archive has the same bytes as
     * {@code embed(...).writeNpz(target)}; it appears atomically, and no temporary file is left
     * behind, also on failure.
     */
    public static EmbeddingSummary writeNpz(RqTransformer model, TokenizedRecording rec, int chunk, OutputType type,
            Path target) throws IOException {
        int m = rec.modalities().size();
        int d = model.config().embedDim();
        int s = rec.seconds();
        boolean[] presence = rec.presence();
        List<String> present = new ArrayList<>();
        try (NpzRowFiles rows = new NpzRowFiles(presence, d, type, target)) {
            Assembler a = new Assembler(presence, s, d, type, rows);
            try {
                forEachChunk(model, rec.toBatch(), chunk, a);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            try (NpzWriter w = NpzWriter.begin(target, false)) {
                for (int i = 0; i < m; i++) {
                    if (presence[i]) {
                        rows.putInto(w, i, rec.modalities().get(i), s);
                        present.add(rec.modalities().get(i));
                    }
                }
                rows.putInto(w, m, "mean", s);
                Embeddings.writeNpzTail(w, a.epochs(), rec.tokens(), s, rec.totalK(),
                        presence, rec.modalities(), rec.channelIds(), rec.report());
                w.commit();
            }
        }
        return new EmbeddingSummary(target, s, d, present, type, rec.report(), rec.notes());
    }

    /** Where an {@link Assembler} puts rows. */
    public interface RowStore {
        /**
         * Stores {@code count} values (whole rows of width D) from {@code values[offset]}, starting
         * at second {@code firstSecond} of array {@code index}: modality {@code index} (present
         * ones only), or the mean when {@code index} is the number of modalities. Called from
         * several threads at once for different arrays, never for the same one.
         */
        void write(int index, int firstSecond, float[] values, int offset, int count);
    }

    /** Rows kept in memory as {@link EmbeddingMatrix} values (what {@link Embeddings} holds). */
    private static final class MatrixRows implements RowStore {
        private final EmbeddingMatrix[] matrices;
        private final int dim;

        MatrixRows(boolean[] presence, int seconds, int dim, OutputType type) {
            this.dim = dim;
            this.matrices = new EmbeddingMatrix[presence.length + 1];
            for (int i = 0; i < presence.length; i++) {
                matrices[i] = presence[i] ? EmbeddingMatrix.zeros(seconds, dim, type) : null;
            }
            matrices[presence.length] = EmbeddingMatrix.zeros(seconds, dim, type);
        }

        @Override
        public void write(int index, int firstSecond, float[] values, int offset, int count) {
            matrices[index].set(firstSecond * dim, values, offset, count);
        }
    }

    /**
     * Turns chunk outputs into per-modality rows and their mean (handed to a {@link RowStore}),
     * and the 30-s epoch means. The mean and the epochs are computed from the float32 values and
     * rounded to the output type last.
     *
     * <p>The modalities' rows are written, and the mean computed over blocks of columns, in
     * parallel (the common fork-join pool): on a GPU this host work runs while the device computes
     * the next chunk and took about as long as the device's pass (docs/benchmarks.md). Every value
     * is computed by the same operations in the same order as on one thread.
     */
    public static final class Assembler implements ChunkSink {
        /** Columns of the mean per parallel task. */
        private static final int MEAN_BLOCK = 1 << 16;
        private final boolean[] presence;
        private final int seconds;
        private final int dim;
        private final OutputType type;
        private final RowStore rows;
        private final double[] epochSums;
        private final int presentCount;
        private float[] meanRows = new float[0];

        /** An assembler that keeps everything in memory, for {@link #finish}. */
        public Assembler(boolean[] presence, int seconds, int dim, OutputType type) {
            this(presence, seconds, dim, type, new MatrixRows(presence, seconds, dim, type));
        }

        /** An assembler that hands rows to {@code rows}. */
        public Assembler(boolean[] presence, int seconds, int dim, OutputType type, RowStore rows) {
            this.presence = presence.clone();
            this.seconds = seconds;
            this.dim = dim;
            this.type = type;
            this.rows = rows;
            int n = 0;
            for (boolean p : presence) {
                n += p ? 1 : 0;
            }
            this.presentCount = n;
            this.epochSums = new double[(seconds / Embeddings.EPOCH_SECONDS) * dim];
        }

        @Override
        public void accept(int start, int length, float[] z) {
            int n = length * dim;
            int[] present = IntStream.range(0, presence.length).filter(i -> presence[i]).toArray();
            IntStream.of(present).parallel().forEach(i -> rows.write(i, start, z, i * n, n));
            if (meanRows.length != n) {
                meanRows = new float[n]; // reused: a chunk's worth is a humongous allocation for the collector
            }
            float[] mean = meanRows; // all zero when no modality is present
            if (presentCount > 0) {
                int blocks = (n + MEAN_BLOCK - 1) / MEAN_BLOCK;
                IntStream.range(0, blocks).parallel().forEach(b -> {
                    for (int j = b * MEAN_BLOCK; j < Math.min(n, (b + 1) * MEAN_BLOCK); j++) {
                        float sum = 0;
                        for (int i : present) {
                            sum += z[i * n + j];
                        }
                        mean[j] = sum / presentCount;
                    }
                });
            }
            rows.write(presence.length, start, mean, 0, n);
            int epochs = epochSums.length / dim;
            for (int r = 0; r < length; r++) {
                int e = (start + r) / Embeddings.EPOCH_SECONDS;
                if (e >= epochs) {
                    break;
                }
                for (int c = 0; c < dim; c++) {
                    epochSums[e * dim + c] += mean[r * dim + c];
                }
            }
        }

        /** The 30-s epoch means, {@code [floor(S/30), D]}, in the output type. */
        public EmbeddingMatrix epochs() {
            float[] ep = new float[epochSums.length];
            for (int i = 0; i < ep.length; i++) {
                ep[i] = (float) (epochSums[i] / Embeddings.EPOCH_SECONDS);
            }
            return EmbeddingMatrix.of(ep, ep.length / dim, dim, type);
        }

        /**
         * The result of an in-memory assembler; {@code tokens} etc. describe the same recording.
         *
         * @throws IllegalStateException when the rows went to another store
         */
        public Embeddings finish(List<String> modalities, int[] numQuantizers, int[] channelIds, int[] tokens,
                ResolutionReport report, List<String> notes) {
            if (!(rows instanceof MatrixRows m)) {
                throw new IllegalStateException("the rows went to " + rows.getClass().getSimpleName() + ", not memory");
            }
            EmbeddingMatrix[] perModality = Arrays.copyOf(m.matrices, presence.length);
            return new Embeddings(modalities, numQuantizers, presence, channelIds, perModality,
                    m.matrices[presence.length], epochs(), tokens, seconds, dim, type, report, notes);
        }
    }
}

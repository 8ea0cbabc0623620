package ai.hypnos.transformer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.embed.EmbedOptions;
import ai.hypnos.transformer.embed.Embeddings;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming equals batch inference: a stream restarting every C seconds equals {@code embed} with
 * chunks of C (the reference's chunking: BOS and RoPE position 0 at every chunk start, no context
 * across chunks); a stream that never restarts equals one batch pass over the whole sequence.
 */
class StreamingSessionTest {
    private static RqTransformer model;
    private static ModalityLayout layout;

    @BeforeAll
    static void setUp() {
        // Window 8 on layer 0, a global window 16 on layer 1: two cache sizes.
        TransformerConfig c = Preset.TINY.builder(ai.hypnos.transformer.TestModelsAccess.fourModalities())
                .slidingWindow(8).globalEveryN(2).globalWindow(16).build();
        model = RqTransformer.initialize(c, Device.cpu(), 11);
        layout = model.layout();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static double streamVsBatch(TokenBatch batch, int chunk, int streamChunk) {
        Embeddings e = model.embed(batch, new EmbedOptions(chunk));
        int d = model.config().embedDim();
        double worst = 0;
        try (StreamingSession s = model.stream(new StreamOptions(batch.presence(), batch.channelIds(), streamChunk))) {
            for (int t = 0; t < batch.seconds(); t++) {
                int[] row = new int[batch.totalK()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = batch.token(0, t, c);
                }
                float[][] z = s.push(row);
                for (int i = 0; i < layout.numModalities(); i++) {
                    if (!e.isPresent(i)) {
                        assertNull(z[i]);
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        worst = Math.max(worst, Math.abs(z[i][j] - e.modality(i)[t * d + j]));
                    }
                }
            }
        }
        return worst;
    }

    @Test
    void chunkedStreamEqualsChunkedBatch() {
        TokenBatch batch = ai.hypnos.transformer.TestModelsAccess.randomBatch(layout, 1, 45, 5);
        double worst = streamVsBatch(batch, 20, 20);
        assertTrue(worst < 1e-4, "stream vs chunked batch: " + worst);
    }

    @Test
    void unboundedStreamEqualsOneBatchPass() {
        TokenBatch batch = ai.hypnos.transformer.TestModelsAccess.randomBatch(layout, 1, 50, 6);
        double worst = streamVsBatch(batch, 1000, 0);
        assertTrue(worst < 1e-4, "stream vs single pass: " + worst);
    }

    @Test
    void absentModalitiesStreamToo() {
        TokenBatch full = ai.hypnos.transformer.TestModelsAccess.randomBatch(layout, 1, 30, 7);
        TokenBatch partial = full.withPresence(new boolean[] {true, false, true, false});
        double worst = streamVsBatch(partial, 12, 12);
        assertTrue(worst < 1e-4, "stream vs batch with absent modalities: " + worst);
    }

    @Test
    void fullCausalLayerNeedsABoundedChunk() {
        TransformerConfig c = Preset.TINY.builder(ai.hypnos.transformer.TestModelsAccess.fourModalities())
                .slidingWindow(null).build();
        try (RqTransformer full = RqTransformer.initialize(c, Device.cpu(), 1)) {
            boolean[] p = {true, true, true, true};
            int[] ch = {0, 1, 5, 6};
            assertThrows(IllegalArgumentException.class, () -> full.stream(new StreamOptions(p, ch, 0)));
            TokenBatch batch = ai.hypnos.transformer.TestModelsAccess.randomBatch(full.layout(), 1, 20, 8);
            Embeddings e = full.embed(batch, new EmbedOptions(8));
            try (StreamingSession s = full.stream(new StreamOptions(p, ch, 8))) {
                double worst = 0;
                for (int t = 0; t < 20; t++) {
                    int[] row = new int[batch.totalK()];
                    for (int col = 0; col < row.length; col++) {
                        row[col] = batch.token(0, t, col);
                    }
                    float[][] z = s.push(row);
                    for (int j = 0; j < 32; j++) {
                        worst = Math.max(worst, Math.abs(z[2][j] - e.modality(2)[t * 32 + j]));
                    }
                }
                assertTrue(worst < 1e-4, "full-causal stream vs batch: " + worst);
            }
        }
    }

    /**
     * With chunkTokens = 0 the positions pass max_seq_len: the RoPE rows past the model's tables
     * are computed per step (the tables no longer grow), and give exactly what a model with longer
     * tables gives.
     */
    @Test
    void unboundedStreamPastMaxSeqLenEqualsAModelWithLongerTables() {
        TransformerConfig shortTables = model.config().toBuilder().maxSeqLen(16).build();
        try (RqTransformer small = RqTransformer.initialize(shortTables, Device.cpu(), 11)) {
            java.util.Map<String, float[]> a = model.parameters().toHost();
            java.util.Map<String, float[]> b = small.parameters().toHost();
            assertEquals(a.keySet(), b.keySet());
            a.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, b.get(k)), "same seed, same weights: " + k));
            TokenBatch batch = ai.hypnos.transformer.TestModelsAccess.randomBatch(layout, 1, 64, 12);
            int[] row = new int[batch.totalK()];
            try (StreamingSession longS = model.stream(new StreamOptions(batch.presence(), batch.channelIds(), 0));
                    StreamingSession shortS = small.stream(new StreamOptions(batch.presence(), batch.channelIds(), 0))) {
                for (int t = 0; t < 64; t++) {
                    float[][] x = longS.push(rowAt(batch, t, row));
                    float[][] y = shortS.push(rowAt(batch, t, row));
                    for (int i = 0; i < x.length; i++) {
                        assertTrue(java.util.Arrays.equals(x[i], y[i]), "second " + t + ", modality " + i);
                    }
                }
                assertEquals(64, shortS.position());
            }
        }
    }

    @Test
    void memoryStaysFlatOverManySteps() {
        TokenBatch batch = ai.hypnos.transformer.TestModelsAccess.randomBatch(layout, 1, 64, 9);
        java.lang.management.MemoryMXBean mem = java.lang.management.ManagementFactory.getMemoryMXBean();
        try (StreamingSession s = model.stream(new StreamOptions(batch.presence(), batch.channelIds(), 0))) {
            int[] row = new int[batch.totalK()];
            for (int t = 0; t < 1000; t++) {
                s.push(rowAt(batch, t % 64, row));
            }
            int held = s.heldArrays();
            // Native memory after each of six windows of 900 steps. It moves by up to ~100 MB
            // without any trend (the JIT's compiler arenas, the allocator's arenas, heap pages
            // touched for the first time); a per-step leak raises every later window. So compare
            // the lowest of the last three windows with the lowest of the first three: 96 MB over
            // the ≥ 2,700 steps between them is a leak of ~36 kB per step.
            long[] nativeAfter = new long[6];
            long heap0 = 0;
            for (int w = 0; w < nativeAfter.length; w++) {
                for (int t = 0; t < 900; t++) {
                    s.push(rowAt(batch, t % 64, row));
                }
                System.gc();
                nativeAfter[w] = nativeKb(mem);
                if (w == 0) {
                    heap0 = mem.getHeapMemoryUsage().getUsed();
                }
            }
            // Exact: no DJL array accumulates in the session (each step's arrays die with its scope).
            assertEquals(held, s.heldArrays(), "the session's arrays must not grow with the stream");
            long heapGrowth = mem.getHeapMemoryUsage().getUsed() - heap0;
            long early = Math.min(nativeAfter[0], Math.min(nativeAfter[1], nativeAfter[2]));
            long late = Math.min(nativeAfter[3], Math.min(nativeAfter[4], nativeAfter[5]));
            assertTrue(heapGrowth < 16L << 20, "heap grew by " + heapGrowth + " bytes over 4500 steps");
            assertTrue(late - early < 96 * 1024, "native memory grew by " + (late - early) + " kB over 2700 steps: "
                    + java.util.Arrays.toString(nativeAfter));
            assertEquals(1000 + 6 * 900, s.steps());
        }
    }

    private static int[] rowAt(TokenBatch b, int t, int[] row) {
        for (int c = 0; c < row.length; c++) {
            row[c] = b.token(0, t, c);
        }
        return row;
    }

    /** Resident memory outside the JVM's heap and non-heap pools (libtorch's), in kB. */
    static long nativeKb(java.lang.management.MemoryMXBean mem) {
        return residentKb() - (mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted()) / 1024;
    }

    /** Resident set size of this process (Linux), in kB; heap and native memory together. */
    static long residentKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return 0;
    }

}

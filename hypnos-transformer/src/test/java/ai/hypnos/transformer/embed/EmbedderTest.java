package ai.hypnos.transformer.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TestModelsAccess;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batching several chunks into one pass (what a GPU does) gives the embeddings of one chunk per
 * pass; the pipelined hand-over gives each chunk's own forward output, in order, also for a
 * float16 model (whose values are widened on the host); a failing sink leaves no native arrays.
 */
class EmbedderTest {

    @Test
    void passesCoverTheRecordingOnceInOrder() {
        assertEquals(java.util.List.of(new ChunkPass(0, 16, 4), new ChunkPass(64, 16, 2), new ChunkPass(96, 7, 1)),
                ChunkPass.plan(103, 16, 4));
        assertEquals(java.util.List.of(new ChunkPass(0, 10, 1)), ChunkPass.plan(10, 16, 4));
        assertEquals(java.util.List.of(new ChunkPass(0, 16, 1), new ChunkPass(16, 16, 1)), ChunkPass.plan(32, 16, 1));
        assertThrows(IllegalArgumentException.class, () -> ChunkPass.plan(10, 16, 0));
    }

    @Test
    void chunksBatchedPerPassEqualOneChunkPerPass() {
        TransformerConfig c = Preset.TINY.builder(TestModelsAccess.fourModalities()).slidingWindow(4).build();
        try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), 5)) {
            TokenBatch night = TestModelsAccess.randomBatch(model.layout(), 1, 103, 3)
                    .withPresence(new boolean[] {true, false, true, true});
            Embedder embedder = new Embedder(model);
            EmbedOptions options = new EmbedOptions(16); // 6 full chunks + 7 s
            Embeddings one = embedder.embed(night, options, 1);
            for (int perPass : new int[] {2, 4, 6, 9}) {
                Embeddings batched = embedder.embed(night, options, perPass);
                for (int i = 0; i < 4; i++) {
                    if (i == 1) {
                        assertNull(batched.modality(i));
                        continue;
                    }
                    float[] a = one.modality(i);
                    float[] b = batched.modality(i);
                    assertEquals(a.length, b.length);
                    double worst = 0;
                    for (int j = 0; j < a.length; j++) {
                        worst = Math.max(worst, Math.abs(a[j] - b[j]));
                    }
                    assertTrue(worst < 1e-5, perPass + " chunks per pass, modality " + i + ": differs by " + worst);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> embedder.embed(night, options, 0));
        }
    }

    @Test
    void chunksReachTheSinkInOrderWithTheirOwnForwardOutput() {
        TransformerConfig c = Preset.TINY.builder(TestModelsAccess.fourModalities()).slidingWindow(4).build();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
            try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), type, 7)) {
                TokenBatch night = TestModelsAccess.randomBatch(model.layout(), 1, 45, 11);
                List<int[]> spans = new ArrayList<>();
                List<float[]> got = new ArrayList<>();
                new Embedder(model).forEachChunk(night, 16, 2, (start, length, z) -> {
                    spans.add(new int[] {start, length});
                    got.add(z.clone());
                });
                assertEquals(List.of("0+16", "16+16", "32+13"),
                        spans.stream().map(x -> x[0] + "+" + x[1]).toList(), type.toString());
                for (int i = 0; i < spans.size(); i++) {
                    float[] expected;
                    try (NDManager scope = model.parameters().manager().newSubManager()) {
                        NDArray z = model.temporalForward(night.chunks(spans.get(i)[0], spans.get(i)[1], 1), scope);
                        assertEquals(type, z.getDataType());
                        expected = z.toType(DataType.FLOAT32, false).toFloatArray(); // libtorch's widening
                    }
                    assertArrayEquals(expected, got.get(i), type + " chunk " + i);
                }
            }
        }
    }

    @Test
    void aFailingSinkLeavesNoArraysBehind() {
        TransformerConfig c = Preset.TINY.builder(TestModelsAccess.fourModalities()).slidingWindow(4).build();
        try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), 5)) {
            TokenBatch night = TestModelsAccess.randomBatch(model.layout(), 1, 64, 3);
            NDManager weights = model.parameters().manager();
            int before = weights.getManagedArrays().size();
            int[] calls = {0};
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Embedder(model).forEachChunk(night, 16, 1, (start, length, z) -> {
                        if (++calls[0] == 2) {
                            throw new IllegalStateException("sink failed");
                        }
                    }));
            assertEquals("sink failed", e.getMessage());
            assertEquals(before, weights.getManagedArrays().size(), "arrays of the passes in flight were freed");
        }
    }
}

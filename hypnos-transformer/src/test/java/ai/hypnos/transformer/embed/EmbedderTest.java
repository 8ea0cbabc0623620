package ai.hypnos.transformer.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TestModelsAccess;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import org.junit.jupiter.api.Test;

/** Batching several chunks into one pass (what a GPU does) gives the embeddings of one chunk per pass. */
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
}

package ai.hypnos.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.synth.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One loaded model serves many threads: N threads embedding different nights give one thread's numbers. */
class ConcurrencyTest {
    @Test
    void threadsEmbeddingDifferentNightsMatchOneThread() throws Exception {
        List<InMemoryRecording> nights = List.of(TestBundles.night(Site.AASM, 70, 1), TestBundles.night(Site.SHHS, 80, 2),
                TestBundles.night(Site.MESA, 60, 3), TestBundles.night(Site.AASM, 75, 4));
        EmbedOptions o = EmbedOptions.defaults().withOutputType(OutputType.FLOAT32).withChunkTokens(32).withThreads(1);
        try (HypnosModel model = Hypnos.load(TestBundles.golden(), LoadOptions.defaults().withNotchHz(60))) {
            List<Embeddings> sequential = new ArrayList<>();
            for (InMemoryRecording n : nights) {
                sequential.add(model.embed(n, o));
            }
            ExecutorService pool = Executors.newFixedThreadPool(nights.size());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Embeddings>> futures = new ArrayList<>();
                for (InMemoryRecording n : nights) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return model.embed(n, o);
                    }));
                }
                start.countDown();
                for (int i = 0; i < nights.size(); i++) {
                    Embeddings a = sequential.get(i);
                    Embeddings b = futures.get(i).get();
                    assertEquals(a.present(), b.present());
                    assertArrayEquals(a.tokens(), b.tokens(), "tokens of night " + i);
                    for (String m : a.present()) {
                        assertArrayEquals(a.modality(m), b.modality(m), 0f, "night " + i + " " + m);
                    }
                    assertArrayEquals(a.mean().toFloatArray(), b.mean().toFloatArray(), 0f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

package ai.hypnos.embed.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.preprocess.EmaNormalizer;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.synth.Site;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.TestBundles;
import ai.hypnos.embed.bundle.Bundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live stream of raw channels equals batch embedding of the same night: with the default
 * (EXACT) normaliser start-up and the same chunk, every second's tokens are identical and the
 * embeddings agree within 1e-4, whatever the block sizes and however the channels interleave,
 * including a bare electrode re-referenced live and context restarts at chunk boundaries. With
 * IMMEDIATE start-up the first minute differs and the stream agrees again after the tokenizer's
 * and the transformer's receptive fields have left it. The stream's held state stays flat.
 */
class EmbeddingStreamTest {
    private static final int SECONDS = 130;
    private static final int CHUNK = 50;
    private static Bundle bundle;
    private static HypnosModel model;
    private static InMemoryRecording night;

    @BeforeAll
    static void setUp() {
        // C3 and A2 as separate electrodes (re-referenced), ECG at 256 Hz, abdomen belt at 32 Hz.
        bundle = TestBundles.randomBundle(List.of(Modality.EEG_C3, Modality.ECG, Modality.RESP_ABD), 31);
        model = new HypnosModel(bundle, LoadOptions.defaults());
        night = TestBundles.night(Site.RAW, SECONDS, 4);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static EmbedOptions options() {
        return EmbedOptions.defaults().withOutputType(OutputType.FLOAT32).withChunkTokens(CHUNK);
    }

    private static StreamOptions streamOptions(EmaNormalizer.Startup startup) {
        StreamOptions.Builder b = StreamOptions.builder().embedOptions(options()).startup(startup);
        for (SignalInfo s : night.signals()) {
            b.channel(s.label(), s.unit(), s.sampleRate());
        }
        return b.build();
    }

    /**
     * Pushes every channel in random blocks of 1–12 s, interleaved, then finishes; records the
     * most samples held back and the set of array counts the session held once it was running.
     */
    private static List<StreamedSecond> run(EmbeddingStream s, long seed, long[] maxBuffered,
            java.util.Set<Integer> held) throws Exception {
        Random r = new Random(seed);
        List<SignalInfo> sig = night.signals();
        long[] at = new long[sig.size()];
        List<StreamedSecond> out = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = false;
            for (int c = 0; c < sig.size(); c++) {
                long n = sig.get(c).sampleCount();
                if (at[c] >= n) {
                    continue;
                }
                int len = (int) Math.min(n - at[c], Math.round((1 + r.nextInt(12)) * sig.get(c).sampleRate()));
                out.addAll(s.push(sig.get(c).label(), night.read(c, at[c], len)));
                at[c] += len;
                more = true;
                maxBuffered[0] = Math.max(maxBuffered[0], s.buffered());
                if (s.seconds() > 0) {
                    held.add(s.heldArrays());
                }
            }
        }
        out.addAll(s.finish());
        return out;
    }

    @Test
    void streamEqualsBatchSecondForSecond() throws Exception {
        Embeddings batch = model.embed(night, options());
        long[] maxBuffered = {0};
        List<StreamedSecond> streamed;
        try (EmbeddingStream s = model.stream(streamOptions(EmaNormalizer.Startup.EXACT))) {
            assertEquals(List.of("eeg_c3", "ecg", "resp_abd"), s.present());
            assertEquals("re_referenced", s.report().entry(Modality.EEG_C3).derivation());
            java.util.Set<Integer> held = new java.util.TreeSet<>();
            streamed = run(s, 7, maxBuffered, held);
            assertEquals(1, held.size(), "the session holds a constant number of arrays once running: " + held);
        }
        assertEquals(batch.seconds(), streamed.size());
        int k = batch.totalK();
        int[] tokens = batch.tokens();
        double worst = 0;
        for (StreamedSecond sec : streamed) {
            int t = (int) sec.second();
            assertArrayEquals(java.util.Arrays.copyOfRange(tokens, t * k, (t + 1) * k), sec.tokens(), "tokens of second " + t);
            for (String m : batch.present()) {
                float[] b = batch.matrix(m).row(t);
                float[] z = sec.modality(m);
                for (int j = 0; j < b.length; j++) {
                    worst = Math.max(worst, Math.abs(b[j] - z[j]));
                }
            }
            float[] mean = batch.mean().row(t);
            for (int j = 0; j < mean.length; j++) {
                worst = Math.max(worst, Math.abs(mean[j] - sec.mean()[j]));
            }
        }
        System.out.println("stream vs batch: " + streamed.size() + " s, max |Δ| " + worst + ", max buffered "
                + maxBuffered[0]);
        assertTrue(worst < 1e-4, "stream differs from batch by " + worst);
        // Buffers hold at most the block skew between channels (≤ 12 s of the fastest), not the night.
        assertTrue(maxBuffered[0] < 13 * 256 * 2 + 100, "max buffered " + maxBuffered[0]);
    }

    @Test
    void immediateStartupDiffersInTheFirstMinuteOnly() throws Exception {
        Embeddings batch = model.embed(night, options());
        List<StreamedSecond> streamed;
        try (EmbeddingStream s = model.stream(streamOptions(EmaNormalizer.Startup.IMMEDIATE))) {
            streamed = run(s, 8, new long[1], new java.util.HashSet<>());
        }
        assertEquals(batch.seconds(), streamed.size());
        // The first chunk starts inside the first minute: its embeddings differ.
        assertTrue(maxDiff(batch, streamed, 0, CHUNK) > 1e-3, "the first minute should differ with IMMEDIATE start-up");
        // A chunk that starts after the first minute (context restarted, tokens equal again) equals batch.
        assertTrue(maxDiff(batch, streamed, 2 * CHUNK, batch.seconds()) < 1e-4, "after the first minute and a restart");
    }

    private static double maxDiff(Embeddings batch, List<StreamedSecond> streamed, int from, int to) {
        double worst = 0;
        for (int t = from; t < to; t++) {
            for (String m : batch.present()) {
                float[] b = batch.matrix(m).row(t);
                float[] z = streamed.get(t).modality(m);
                for (int j = 0; j < b.length; j++) {
                    worst = Math.max(worst, Math.abs(b[j] - z[j]));
                }
            }
        }
        return worst;
    }

    @Test
    void unknownInputsAndEmptyStreamsAreRefused() {
        try (EmbeddingStream s = model.stream(StreamOptions.builder().modality("ecg", 256).build())) {
            assertEquals(List.of("ecg"), s.present());
            assertThrows(IllegalArgumentException.class, () -> s.push("C3", new double[10]));
        }
        assertThrows(IllegalArgumentException.class,
                () -> model.stream(StreamOptions.builder().channel("SpO2", "%", 1).build()));
        assertThrows(IllegalArgumentException.class,
                () -> model.stream(StreamOptions.builder().modality("eog_e1", 128).build()));
    }
}

package ai.hypnos.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.pipeline.RecordingPipeline;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity with the reference pipeline: from the golden EDF and bundle, our whole path
 * (resolve → preprocess → tokenize → chunked transformer) reproduces {@code golden.npz}: the
 * preprocessed signals within 1e-5, every token, float32 embeddings within 1e-4 and the float16
 * ones the reference returns within one float16 ulp (or 2e-6 for values so small that a float16
 * ulp is finer than float32 agreement).
 */
class GoldenEndToEndTest {
    private static HypnosModel model;
    private static NpzReader golden;

    @BeforeAll
    static void load() throws Exception {
        golden = NpzReader.open(TestBundles.goldenNpz());
        double notch = golden.get("notch_freq").doubleValue();
        int chunk = (int) golden.get("chunk_tokens").longValue();
        model = Hypnos.load(TestBundles.golden(), LoadOptions.defaults().withNotchHz(notch).withChunkTokens(chunk));
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
        golden.close();
    }

    @Test
    void modalitiesAndChannelsAreTheReferences() throws Exception {
        assertEquals(Arrays.asList(golden.get("modalities").toStringArray()), model.modalities());
        try (Recording r = Recordings.open(TestBundles.goldenEdf())) {
            TokenizedRecording t = model.tokenize(r, model.options().embedDefaults());
            assertArrayEquals(golden.get("modality_mask").toBooleanArray(), t.presence());
            assertArrayEquals(Arrays.stream(golden.get("channel_ids").toLongArray()).mapToInt(x -> (int) x).toArray(),
                    t.channelIds());
        }
    }

    @Test
    void preprocessedSignalsMatchWithin1e5() throws Exception {
        try (Recording r = Recordings.open(TestBundles.goldenEdf())) {
            RecordingPipeline.Preprocessed p = model.preprocess(r, model.options().embedDefaults());
            for (String m : model.modalities()) {
                float[] expected = golden.get("signal__" + m).toFloatArray();
                float[] got = p.signals().get(m);
                assertEquals(expected.length, got.length, m);
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - got[i]));
                }
                assertTrue(worst <= 1e-5, m + ": max |Δ| " + worst);
            }
        }
    }

    @Test
    void tokensAndFloat32EmbeddingsMatch() throws Exception {
        Embeddings e = model.embed(TestBundles.goldenEdf(), model.options().embedDefaults().withOutputType(OutputType.FLOAT32));
        NpyArray tokens = golden.get("tokens");
        assertEquals(tokens.shape()[1], e.seconds());
        assertEquals(tokens.shape()[2], e.totalK());
        long[] expected = tokens.toLongArray();
        int[] got = e.tokens();
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], "token " + i + " (second " + i / e.totalK() + ", column " + i % e.totalK() + ")");
        }
        double worst = 0;
        for (String m : e.present()) {
            float[] ref = golden.get("emb32__" + m).toFloatArray();
            float[] ours = e.modality(m);
            assertEquals(ref.length, ours.length, m);
            for (int i = 0; i < ref.length; i++) {
                worst = Math.max(worst, Math.abs(ref[i] - ours[i]));
            }
        }
        assertTrue(worst < 1e-4, "float32 embeddings differ by " + worst);
        assertEquals(List.of("eeg_c3", "eeg_c4", "ecg", "resp_abd"), e.present());
        assertTrue(e.report().isPresent());
    }

    @Test
    void float16EmbeddingsWithinOneUlp() throws Exception {
        Embeddings e = model.embed(TestBundles.goldenEdf());
        assertEquals(OutputType.FLOAT16, e.outputType());
        for (String m : e.present()) {
            short[] ref = golden.get("emb16__" + m).toFloat16Bits();
            short[] ours = e.matrix(m).toFloat16Bits();
            for (int i = 0; i < ref.length; i++) {
                // One ulp wherever float16 is coarser than float32 agreement (~1e-6); below ~1e-4 in
                // magnitude a float16 ulp is finer than that, so the absolute difference decides.
                float a = Float16.toFloat(ref[i]);
                float b = Float16.toFloat(ours[i]);
                assertTrue(ulps(ref[i], ours[i]) <= 1 || Math.abs(a - b) <= 2e-6, m + " element " + i + ": " + a + " vs " + b);
            }
        }
    }

    @Test
    void meanAndEpochsArePooledFromTheModalities() throws Exception {
        Embeddings e = model.embed(TestBundles.goldenEdf(), model.options().embedDefaults().withOutputType(OutputType.FLOAT32));
        int d = e.dim();
        float[] mean = e.mean().toFloatArray();
        float[][] per = e.present().stream().map(e::modality).toArray(float[][]::new);
        for (int i = 0; i < mean.length; i++) {
            double s = 0;
            for (float[] p : per) {
                s += p[i];
            }
            assertEquals(s / per.length, mean[i], 1e-6);
        }
        assertEquals(e.seconds() / 30, e.epochs().rows());
        for (int ep = 0; ep < e.epochs().rows(); ep++) {
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int t = ep * 30; t < ep * 30 + 30; t++) {
                    s += mean[t * d + c];
                }
                assertEquals(s / 30, e.epochs().get(ep, c), 1e-5);
            }
        }
    }

    @Test
    void repeatedEmbeddingLeavesNoNativeArraysBehind() throws Exception {
        ai.djl.ndarray.NDManager weights = model.bundle().model().parameters().manager();
        model.embed(TestBundles.goldenEdf());
        int before = weights.getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            model.embed(TestBundles.goldenEdf(), model.options().embedDefaults().withChunkTokens(16));
        }
        assertEquals(before, weights.getManagedArrays().size(), "arrays held by the model after 3 more nights");
    }

    /** Distance in float16 units in the last place (signs handled). */
    static int ulps(short a, short b) {
        int x = (a & 0x8000) != 0 ? -(a & 0x7fff) : a;
        int y = (b & 0x8000) != 0 ? -(b & 0x7fff) : b;
        return Math.abs(x - y);
    }
}

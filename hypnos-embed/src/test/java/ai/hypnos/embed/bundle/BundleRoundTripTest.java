package ai.hypnos.embed.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.Site;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.TestBundles;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.transformer.TokenBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bundle in the published layout, not only the golden one: a random bundle with all eight
 * modalities and other widths, windows (with global layers) and depths is saved and loaded back
 * with identical embeddings; F16 and BF16 bundles load and are self-consistent; and the whole
 * pipeline equals the independent composition of its stages (core preprocessing, the
 * tokenizer's own encoder, the transformer's own chunked embedder).
 */
class BundleRoundTripTest {
    private static final List<Modality> ALL = List.of(Modality.values());
    private static InMemoryRecording night;

    @TempDir
    static Path dir;

    @BeforeAll
    static void night() {
        night = TestBundles.night(Site.AASM, 100, 3);
    }

    private static EmbedOptions options() {
        return EmbedOptions.defaults().withOutputType(OutputType.FLOAT32).withChunkTokens(40);
    }

    @Test
    void savedAndLoadedBackGivesIdenticalEmbeddings() throws Exception {
        Embeddings before;
        try (Bundle b = TestBundles.randomBundle(ALL, 21); HypnosModel m = new HypnosModel(b, LoadOptions.defaults())) {
            before = m.embed(night, options());
            m.save(dir.resolve("rt.safetensors"), SafetensorsDtype.F32);
        }
        assertEquals(8, before.present().size());
        try (HypnosModel m = Hypnos.load(dir.resolve("rt.safetensors"))) {
            Embeddings after = m.embed(night, options());
            assertArrayEquals(before.tokens(), after.tokens());
            for (String name : before.present()) {
                assertArrayEquals(before.modality(name), after.modality(name), 0f, name);
            }
        }
    }

    @Test
    void halfPrecisionBundlesLoadAndAreSelfConsistent() throws Exception {
        Path f32 = TestBundles.randomBundleFile(dir, ALL, 22, SafetensorsDtype.F32);
        Embeddings reference;
        try (HypnosModel m = Hypnos.load(f32)) {
            reference = m.embed(night, options());
        }
        for (SafetensorsDtype type : List.of(SafetensorsDtype.F16, SafetensorsDtype.BF16)) {
            Path half = dir.resolve("half-" + type + ".safetensors");
            Path again = dir.resolve("again-" + type + ".safetensors");
            Embeddings e;
            try (HypnosModel m = Hypnos.load(f32)) {
                m.save(half, type);
            }
            try (HypnosModel m = Hypnos.load(half)) {
                e = m.embed(night, options());
                m.save(again, SafetensorsDtype.F32); // the decoded half weights, widened exactly
            }
            try (HypnosModel m = Hypnos.load(again)) {
                Embeddings e2 = m.embed(night, options());
                assertArrayEquals(e.tokens(), e2.tokens(), type + ": tokens of the widened bundle");
                for (String name : e.present()) {
                    assertArrayEquals(e.modality(name), e2.modality(name), 0f, type + " " + name);
                }
            }
            // Rounding the weights moves the output a little, not a lot.
            for (String name : e.present()) {
                double cos = cosine(reference.modality(name), e.modality(name));
                assertTrue(cos > 0.98, type + " " + name + ": cosine to the F32 bundle's embeddings " + cos);
            }
        }
    }

    @Test
    void pipelineEqualsTheIndependentCompositionOfItsStages() throws Exception {
        List<Modality> some = List.of(Modality.EEG_C3, Modality.EOG_E2, Modality.EMG_CHIN, Modality.RESP_THX);
        try (Bundle b = TestBundles.randomBundle(some, 23); HypnosModel m = new HypnosModel(b, LoadOptions.defaults())) {
            Embeddings ours = m.embed(night, options());
            // Stage by stage with the building blocks themselves.
            ChannelResolution res = ChannelResolver.defaults().resolve(night);
            Map<Modality, float[]> pre = new Preprocessor(PreprocessOptions.defaults()).process(res);
            int[][][] codes = new int[some.size()][][];
            int seconds = Integer.MAX_VALUE;
            for (int i = 0; i < some.size(); i++) {
                codes[i] = b.tokenizerOf(some.get(i).key()).encode(pre.get(some.get(i)));
                seconds = Math.min(seconds, codes[i].length);
            }
            int k = 3;
            int[][] rows = new int[seconds][some.size() * k];
            for (int t = 0; t < seconds; t++) {
                for (int i = 0; i < some.size(); i++) {
                    System.arraycopy(codes[i][t], 0, rows[t], i * k, k);
                }
            }
            int[] channels = some.stream().mapToInt(Modality::id).toArray();
            boolean[] presence = {true, true, true, true};
            ai.hypnos.transformer.embed.Embeddings theirs = b.model().embed(TokenBatch.single(rows, presence, channels),
                    new ai.hypnos.transformer.embed.EmbedOptions(40));
            assertEquals(seconds, ours.seconds());
            TokenizedRecording tr = m.tokenize(night, options());
            assertArrayEquals(channels, tr.channelIds());
            for (int t = 0; t < seconds; t++) {
                assertArrayEquals(rows[t], tr.rows()[t], "tokens of second " + t);
            }
            for (int i = 0; i < some.size(); i++) {
                assertArrayEquals(theirs.modality(i), ours.modality(some.get(i).key()), 0f, some.get(i).key());
            }
            assertArrayEquals(theirs.epochs(), ours.epochs().toFloatArray(), 1e-6f);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * (double) b[i];
            aa += a[i] * (double) a[i];
            bb += b[i] * (double) b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}

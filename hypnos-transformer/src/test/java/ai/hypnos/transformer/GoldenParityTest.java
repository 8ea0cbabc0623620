package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.transformer.embed.EmbedOptions;
import ai.hypnos.transformer.embed.Embeddings;
import ai.hypnos.transformer.nn.Rope;
import ai.hypnos.transformer.weights.ParameterLayout;
import ai.hypnos.transformer.weights.ParameterNames;
import ai.hypnos.transformer.weights.ParameterSpec;
import ai.hypnos.transformer.weights.TransformerBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The definitive test: the reference's embeddings of the golden fixture ({@code data/golden},
 * produced by the reference pipeline) reproduced from the golden tokens with the golden bundle.
 */
class GoldenParityTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void reproducesReferenceEmbeddingsFromGoldenTokens() throws Exception {
        Path bundle = TestData.path("golden/bundle.safetensors");
        Path golden = TestData.path("golden/golden.npz");
        try (NpzReader npz = NpzReader.open(golden); RqTransformer model = RqTransformer.load(bundle, Device.cpu())) {
            NpyArray tokens = npz.get("tokens");
            long[] shape = tokens.shape();
            int s = (int) shape[1];
            int k = (int) shape[2];
            long[] flat = tokens.toLongArray();
            int[][] rows = new int[s][k];
            for (int t = 0; t < s; t++) {
                for (int c = 0; c < k; c++) {
                    rows[t][c] = (int) flat[t * k + c];
                }
            }
            boolean[] presence = npz.get("modality_mask").toBooleanArray();
            long[] ch = npz.get("channel_ids").toLongArray();
            int[] channels = Arrays.stream(ch).mapToInt(x -> (int) x).toArray();
            int chunk = (int) npz.get("chunk_tokens").toLongArray()[0];
            String[] names = npz.get("modalities").toStringArray();
            assertEquals(Arrays.asList(names),
                    model.config().modalities().stream().map(ModalitySpec::name).toList());

            Embeddings e = model.embed(TokenBatch.single(rows, presence, channels), new EmbedOptions(chunk));
            int d = model.config().embedDim();
            double worst = 0;
            for (int i = 0; i < names.length; i++) {
                float[] expected = npz.get("emb32__" + names[i]).toFloatArray();
                float[] got = e.modality(i);
                assertEquals(expected.length, got.length, names[i]);
                for (int j = 0; j < expected.length; j++) {
                    worst = Math.max(worst, Math.abs(expected[j] - got[j]));
                }
            }
            System.out.println("golden parity: max |Δ| = " + worst + " over " + names.length + " modalities × " + s
                    + " s × " + d);
            assertTrue(worst < TOLERANCE, "max abs difference " + worst);
        }
    }

    @Test
    void layoutMatchesTheGoldenBundleKeyForKey() throws Exception {
        Path bundle = TestData.path("golden/bundle.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(bundle)) {
            TransformerConfig config = TransformerBundle.readConfig(st);
            Set<String> inFile = new HashSet<>();
            for (String n : st.tensorNames()) {
                if (n.startsWith(ParameterNames.BUNDLE_PREFIX)) {
                    inFile.add(n.substring(ParameterNames.BUNDLE_PREFIX.length()));
                }
            }
            Set<String> ours = new HashSet<>();
            for (ParameterSpec spec : ParameterLayout.of(config).all()) {
                ours.add(spec.name());
                assertArrayEquals(st.info(ParameterNames.BUNDLE_PREFIX + spec.name()).shape(), spec.shape(), spec.name());
            }
            assertEquals(inFile, ours);
            // Our RoPE tables equal the stored buffers (float32 arithmetic as torch's).
            int half = config.headDim() / 2;
            float[] freqs = st.floats("model/" + ParameterNames.rope("freqs"));
            assertArrayEquals(freqs, Rope.frequencies(config.headDim()), 0f);
            float[] cos = st.floats("model/" + ParameterNames.rope("cos_cached"));
            float[] sin = st.floats("model/" + ParameterNames.rope("sin_cached"));
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
                Rope rope = new Rope(config.headDim(), config.maxSeqLen(), null, null, m);
                float[] ourCos = rope.cosTable(config.maxSeqLen());
                float[] ourSin = rope.sinTable(config.maxSeqLen());
                double worst = 0;
                for (int i = 0; i < cos.length; i++) {
                    worst = Math.max(worst, Math.max(Math.abs(cos[i] - ourCos[i]), Math.abs(sin[i] - ourSin[i])));
                }
                assertTrue(worst < 1e-6, "RoPE tables differ by " + worst + " (" + cos.length / half + " rows)");
            }
        }
    }
}

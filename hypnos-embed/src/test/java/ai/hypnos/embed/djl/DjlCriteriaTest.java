package ai.hypnos.embed.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.TestBundles;
import ai.hypnos.embed.hub.WeightsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL way to the same model: {@code Criteria} with the model path (our engine and translator
 * factory), a folder with {@code serving.properties}, and the {@code ai.hypnos} model zoo all give
 * a {@code ZooModel}/{@code Predictor<Recording, Embeddings>} with exactly the numbers of
 * {@link Hypnos#load}.
 */
class DjlCriteriaTest {
    @TempDir
    static Path dir;
    private static Embeddings direct;

    @BeforeAll
    static void reference() throws Exception {
        Files.copy(TestBundles.golden(), dir.resolve("tiny.safetensors"));
        try (HypnosModel m = Hypnos.load(TestBundles.golden(),
                LoadOptions.defaults().withNotchHz(60).withOutputType(OutputType.FLOAT32))) {
            direct = m.embed(TestBundles.goldenEdf());
        }
    }

    private static void same(Criteria<Recording, Embeddings> c) throws Exception {
        try (ZooModel<Recording, Embeddings> model = c.loadModel();
                Predictor<Recording, Embeddings> p = model.newPredictor();
                Recording r = Recordings.open(TestBundles.goldenEdf())) {
            Embeddings e = p.predict(r);
            assertEquals(direct.present(), e.present());
            assertArrayEquals(direct.tokens(), e.tokens());
            for (String m : direct.present()) {
                assertArrayEquals(direct.modality(m), e.modality(m), 0f, m);
            }
            assertArrayEquals(direct.epochs().toFloatArray(), e.epochs().toFloatArray(), 0f);
        }
    }

    @Test
    void engineAndZooAreRegistered() {
        assertTrue(Engine.hasEngine(HypnosEngine.ENGINE_NAME));
        assertTrue(ModelZoo.hasModelZoo(HypnosModelZoo.GROUP_ID));
        assertEquals("PyTorch", Engine.getDefaultEngineName(), "our engine must never become DJL's default");
    }

    @Test
    void criteriaWithModelPath() throws Exception {
        same(Criteria.builder().setTypes(Recording.class, Embeddings.class)
                .optModelPath(dir.resolve("tiny.safetensors"))
                .optEngine(HypnosEngine.ENGINE_NAME)
                .optTranslatorFactory(new HypnosTranslatorFactory())
                .optArgument("notch", 60)
                .optArgument("outputType", "float32")
                .build());
    }

    @Test
    void criteriaWithAFolderAndServingProperties() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("served"));
        Files.copy(TestBundles.golden(), folder.resolve("hypnos.safetensors"));
        Files.writeString(folder.resolve("serving.properties"), WeightsCache.SERVING_PROPERTIES + "notch=60\noutputType=float32\n");
        same(Criteria.builder().setTypes(Recording.class, Embeddings.class)
                .optModelPath(folder)
                .optTranslatorFactory(new HypnosTranslatorFactory())
                .build());
    }

    @Test
    void modelZooEntry() throws Exception {
        same(Criteria.builder().setTypes(Recording.class, Embeddings.class)
                .optGroupId(HypnosModelZoo.GROUP_ID)
                .optArtifactId(HypnosModelLoader.ARTIFACT_ID)
                .optArgument("bundle", dir.resolve("tiny.safetensors").toString())
                .optArgument("notch", "60")
                .optArgument("outputType", "float32")
                .build());
    }

    /** {@code bundle} given with {@code optOption}: every loader method reads it, not the default repository. */
    @Test
    void bundleGivenAsAnOption() throws Exception {
        String local = dir.resolve("tiny.safetensors").toString();
        Criteria<Recording, Embeddings> c = Criteria.builder().setTypes(Recording.class, Embeddings.class)
                .optGroupId(HypnosModelZoo.GROUP_ID)
                .optArtifactId(HypnosModelLoader.ARTIFACT_ID)
                .optOption("bundle", local)
                .optArgument("notch", "60")
                .optArgument("outputType", "float32")
                .build();
        HypnosModelLoader loader = new HypnosModelLoader();
        assertEquals(local, HypnosModelLoader.bundleName(c));
        assertTrue(loader.isDownloaded(c));
        loader.downloadModel(c, null); // the local file: nothing to fetch
        same(c);

        // A missing local file is reported as such; neither method falls back to the published bundle.
        String missing = dir.resolve("missing.safetensors").toString();
        Criteria<Recording, Embeddings> gone = Criteria.builder().setTypes(Recording.class, Embeddings.class)
                .optGroupId(HypnosModelZoo.GROUP_ID)
                .optArtifactId(HypnosModelLoader.ARTIFACT_ID)
                .optArgument("bundle", "joncarter/hypnos")
                .optOption("bundle", missing)
                .build();
        assertEquals(missing, HypnosModelLoader.bundleName(gone), "the option wins over the argument, as in loadModel");
        assertFalse(loader.isDownloaded(gone));
        java.io.FileNotFoundException e = assertThrows(java.io.FileNotFoundException.class,
                () -> loader.downloadModel(gone, null));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
}

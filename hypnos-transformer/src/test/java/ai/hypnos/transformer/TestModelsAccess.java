package ai.hypnos.transformer;

import java.util.List;

/** Public doorway to {@link TestModels} for tests in sub-packages. */
public final class TestModelsAccess {
    private TestModelsAccess() {
    }

    public static List<ModalitySpec> fourModalities() {
        return TestModels.fourModalities();
    }

    public static TokenBatch randomBatch(ModalityLayout layout, int batch, int seconds, long seed) {
        return TestModels.randomBatch(layout, batch, seconds, seed);
    }
}

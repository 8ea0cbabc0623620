package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with the reference pipeline's own outputs ({@code data/golden/golden.npz}: the resolved
 * EDF signals {@code raw__<m>} and the float32 signals the tokenizer saw, {@code signal__<m>},
 * notch 60 Hz).
 */
class ReferenceFixtureTest {

    @Test
    void reproducesTheReferencePreprocessedSignals() throws IOException {
        try (NpzReader npz = NpzReader.open(TestData.path("golden/golden.npz"))) {
            double notch = npz.get("notch_freq").doubleValue();
            assertEquals(60.0, notch);
            Preprocessor preprocessor = new Preprocessor(PreprocessOptions.defaults().withNotchHz(notch).withThreads(1));
            int checked = 0;
            for (String name : npz.get("modalities").toStringArray()) {
                Modality m = Modality.fromKey(name).orElseThrow();
                double[] raw = npz.get("raw__" + name).toDoubleArray();
                double fs = npz.get("raw_fs__" + name).doubleValue();
                float[] expected = npz.get("signal__" + name).toFloatArray();
                float[] actual = preprocessor.process(m, raw, fs);
                assertEquals(expected.length, actual.length, name + ": length");
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(worst <= 1e-5, name + ": largest difference " + worst);
                checked++;
            }
            assertEquals(4, checked);
        }
    }
}

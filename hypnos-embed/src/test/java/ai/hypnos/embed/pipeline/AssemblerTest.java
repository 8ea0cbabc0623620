package ai.hypnos.embed.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.numeric.Float16;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.OutputType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The assembler (rows written and the mean computed in parallel) against the definition written
 * out on one thread: each present modality's rows as given, the mean over present modalities
 * summed in modality order in float32, the 30-s epochs averaged in double; float16 output is each
 * of those rounded once. Chunks of unequal length, an absent modality, both output types.
 */
class AssemblerTest {

    @Test
    void rowsMeanAndEpochsEqualTheSequentialDefinition() {
        int m = 4;
        int d = 64;
        int full = 1100; // 1100 × 64 values a modality: more than one parallel block of the mean
        int seconds = 3 * full + 17; // three full chunks and a last one of 17 s
        boolean[] presence = {true, false, true, true};
        Random r = new Random(5);
        float[][] chunks = new float[4][];
        for (int c = 0; c < chunks.length; c++) {
            int len = c < 3 ? full : 17;
            chunks[c] = new float[m * len * d];
            for (int i = 0; i < chunks[c].length; i++) {
                chunks[c][i] = (float) (r.nextGaussian() * 3);
            }
        }
        float[][] rows = new float[m][seconds * d];
        float[] mean = new float[seconds * d];
        for (int c = 0; c < chunks.length; c++) {
            int len = c < 3 ? full : 17;
            for (int t = 0; t < len; t++) {
                for (int j = 0; j < d; j++) {
                    float sum = 0;
                    for (int i = 0; i < m; i++) {
                        float v = chunks[c][(i * len + t) * d + j];
                        rows[i][(c * full + t) * d + j] = v;
                        sum += presence[i] ? v : 0;
                    }
                    mean[(c * full + t) * d + j] = sum / 3;
                }
            }
        }
        float[] epochs = new float[(seconds / 30) * d];
        for (int e = 0; e < seconds / 30; e++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = e * 30; t < e * 30 + 30; t++) {
                    s += mean[t * d + j];
                }
                epochs[e * d + j] = (float) (s / Embeddings.EPOCH_SECONDS);
            }
        }
        for (OutputType type : OutputType.values()) {
            ChunkedEmbedder.Assembler a = new ChunkedEmbedder.Assembler(presence, seconds, d, type);
            for (int c = 0; c < chunks.length; c++) {
                a.accept(c * full, c < 3 ? full : 17, chunks[c].clone());
            }
            Embeddings e = a.finish(List.of("a", "b", "c", "d"), new int[] {1, 1, 1, 1}, new int[m],
                    new int[seconds * m], null, List.of());
            for (int i = 0; i < m; i++) {
                if (!presence[i]) {
                    assertTrue(e.find(List.of("a", "b", "c", "d").get(i)).isEmpty());
                    continue;
                }
                assertSame(rows[i], e.matrix(List.of("a", "b", "c", "d").get(i)).toFloatArray(), type, "modality " + i);
            }
            assertSame(mean, e.mean().toFloatArray(), type, "mean");
            assertSame(epochs, e.epochs().toFloatArray(), type, "epochs");
        }
    }

    private static void assertSame(float[] expected, float[] actual, OutputType type, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float want = type == OutputType.FLOAT16 ? Float16.toFloat(Float16.fromFloat(expected[i])) : expected[i];
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(actual[i]), type + " " + what + " [" + i + "]");
        }
    }
}

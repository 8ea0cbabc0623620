package ai.hypnos.tokenizer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.tokenizer.SignalTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The definitive check of the encode path: the reference pipeline's tokens for the golden
 * recording ({@code data/golden/golden.npz}, made by an implementation checked against the
 * reference PyTorch modules) are reproduced exactly by our tokenizers loaded from the golden
 * bundle, for every present modality, from the reference's own preprocessed input. The
 * fixture's smallest decision margin is 2.8e-4, so a correct float32 port must match every token.
 */
class GoldenParityTest {

    @Test
    void tokensOfEveryPresentModalityMatchTheReference() throws IOException {
        Path bundle = TestData.path("golden/bundle.safetensors");
        try (NpzReader golden = NpzReader.open(TestData.path("golden/golden.npz"));
                SafetensorsFile file = SafetensorsFile.open(bundle)) {
            String[] modalities = golden.get("modalities").toStringArray();
            long[] shape = golden.get("tokens").shape();
            long[] all = golden.get("tokens").toLongArray();
            int s = (int) shape[1];
            int width = (int) shape[2];
            boolean[] present = golden.get("modality_mask").toBooleanArray();
            int column = 0;
            int checked = 0;
            for (int m = 0; m < modalities.length; m++) {
                String name = modalities[m];
                String stem = TokenizerBundle.stemOf(file, name);
                try (SignalTokenizer tok = TokenizerBundle.load(file, stem, Device.cpu())) {
                    int k = tok.numQuantizers();
                    if (present[m]) {
                        float[] signal = golden.get("signal__" + name).toFloatArray();
                        int[][] tokens = tok.encode(signal);
                        assertTrue(tokens.length >= s, name + ": " + tokens.length + " tokens < " + s);
                        for (int t = 0; t < s; t++) {
                            for (int i = 0; i < k; i++) {
                                long expected = all[(t * width) + column + i];
                                assertEquals(expected, tokens[t][i], name + " token " + t + " level " + i
                                        + " (ours " + Arrays.toString(tokens[t]) + ")");
                            }
                        }
                        checked++;
                    }
                    column += k;
                }
            }
            assertEquals(width, column, "token columns cover every modality");
            assertEquals(List.of(true, true, true, true), toList(present));
            assertEquals(4, checked);
        }
    }

    private static List<Boolean> toList(boolean[] b) {
        Boolean[] o = new Boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            o[i] = b[i];
        }
        return Arrays.asList(o);
    }
}

package ai.hypnos.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.io.TokenizerWeights;
import ai.hypnos.tokenizer.nn.ConvNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokenizer stays whole after encoding and decoding: every call runs with its own stream state,
 * and closing that state must never free one of the model's own arrays. (It did: a conv without
 * weight norm let the state cache its parameter array, so the decoder's final conv — never
 * weight-normalised — broke the second decode, and a tokenizer with norm none/layer/rms broke
 * its second encode, with "Native resource has been released already".)
 */
class RepeatedUseTest {
    @TempDir
    Path dir;

    @Test
    void decodingTwiceGivesTheSameSignalAndLeavesTheWeightsUsable() throws IOException {
        try (SignalTokenizer tok = SignalTokenizer.create(TokenizerFixtures.tinyEeg(), Device.cpu(), 11, 8)) {
            int[][] tokens = tok.encode(TokenizerFixtures.eeg(20, 3));
            float[] first = tok.decode(tokens);
            float[] second = tok.decode(tokens);
            assertEquals(20 * 128, first.length);
            assertArrayEquals(first, second, 0f, "the second decode repeats the first");

            // The weights can still be read out, and they are the weights that decoded: a fresh
            // tokenizer loaded from them decodes the same signal.
            Path file = dir.resolve("after-decode.safetensors");
            SafetensorsWriter w = new SafetensorsWriter();
            TokenizerWeights.write(tok, w, "", SafetensorsDtype.F32);
            w.write(file);
            try (SafetensorsFile f = SafetensorsFile.open(file);
                    SignalTokenizer copy = SignalTokenizer.create(tok.config(), Device.cpu(), 99, 8)) {
                TokenizerWeights.load(copy, f, "");
                assertArrayEquals(first, copy.decode(tokens), 0f, "weights written after decoding");
            }

            // And the training forward pass still runs on them.
            try (NDManager scope = tok.manager().newSubManager()) {
                NDArray x = HostData.floats(scope, TokenizerFixtures.eeg(16, 5), new Shape(2, 1, 8 * 128));
                SignalTokenizer.TrainOutput out = tok.trainForward(x, new Rng(1));
                assertEquals(new Shape(2, 1, 8 * 128), out.reconstruction().getShape());
                assertTrue(Float.isFinite(out.commitment().toFloatArray()[0]));
            }
        }
    }

    @Test
    void encodingTwiceWorksForEveryConvNormWithoutWeightNorm() {
        float[] x = TokenizerFixtures.eeg(30, 6);
        for (ConvNorm norm : List.of(ConvNorm.NONE, ConvNorm.LAYER, ConvNorm.RMS)) {
            TokenizerConfig cfg = TokenizerFixtures.tinyEeg().toBuilder().norm(norm).build();
            try (SignalTokenizer tok = SignalTokenizer.create(cfg, Device.cpu(), 12, 8)) {
                int[][] first = tok.encode(x);
                int[][] second = tok.encode(x);
                assertEquals(30, first.length, norm.toString());
                assertTrue(Arrays.deepEquals(first, second), norm + ": the second encode repeats the first");
                float[] y1 = tok.decode(first);
                assertArrayEquals(y1, tok.decode(first), 0f, norm + ": the second decode repeats the first");
            }
        }
    }
}

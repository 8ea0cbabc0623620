package ai.hypnos.tokenizer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import ai.hypnos.tokenizer.train.SyntheticSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our tensor names and shapes are the reference's (checked against the golden bundle's key list),
 * tokenizers survive a save/load round trip in F32, F16 and BF16, and a bundle that does not fit
 * its config fails with the tensor's name and the expected and found shapes.
 */
class TokenizerWeightsTest {
    @TempDir
    Path dir;

    @Test
    void namesAndShapesAreExactlyThoseOfThePublishedLayout() throws IOException {
        Map<String, String> golden = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TestData.path("golden/bundle_keys.txt"))) {
            String[] f = line.split("\t");
            if (f.length == 3 && f[0].startsWith("tok/")) {
                golden.put(f[0], f[2].replace(" ", ""));
            }
        }
        try (SafetensorsFile f = SafetensorsFile.open(TestData.path("golden/bundle.safetensors"))) {
            for (String stem : TokenizerBundle.stems(f)) {
                try (SignalTokenizer tok = SignalTokenizer.create(TokenizerBundle.config(f, stem), Device.cpu(), 0)) {
                    Map<String, String> ours = new LinkedHashMap<>();
                    TokenizerWeights.shapes(tok).forEach((k, v) -> ours.put("tok/" + stem + "/" + k, Arrays.toString(v).replace(" ", "")));
                    Map<String, String> theirs = new LinkedHashMap<>();
                    golden.forEach((k, v) -> {
                        if (k.startsWith("tok/" + stem + "/")) {
                            theirs.put(k, v);
                        }
                    });
                    assertEquals(new java.util.TreeMap<>(theirs), new java.util.TreeMap<>(ours), stem);
                }
            }
        }
    }

    @Test
    void saveLoadRoundTripGivesTheSameTokensInEveryFloatType() throws IOException {
        TokenizerConfig cfg = TokenizerPreset.TINY.config(SignalType.EEG);
        float[] x = SyntheticSignals.generate(SignalType.EEG, 128, 60, new Rng(1));
        try (SignalTokenizer tok = SignalTokenizer.create(cfg, Device.cpu(), 4)) {
            // Two training passes give the codebooks a state worth saving: k-means has run on
            // levels 0 and 1 (the cascade starts level i a batch after level i−1) but not yet on
            // 2 and 3, the EMA counts and sums have moved, and every level has counted usage.
            try (NDManager scope = tok.manager().newSubManager()) {
                Rng rng = new Rng(2);
                for (int step = 0; step < 2; step++) {
                    float[] batch = SyntheticSignals.generate(SignalType.EEG, 128, 32, rng.split());
                    tok.trainForward(HostData.floats(scope, batch, new Shape(4, 1, 8 * 128)), rng);
                }
            }
            List<VectorQuantizer> levels = tok.quantizer().levels();
            assertTrue(levels.get(1).isInitialized() && !levels.get(2).isInitialized());
            assertTrue(Arrays.stream(levels.get(1).usageCount().toLongArray()).sum() > 0, "usage was counted");
            int[][] tokens = tok.encode(x);
            for (SafetensorsDtype dt : List.of(SafetensorsDtype.F32, SafetensorsDtype.F16, SafetensorsDtype.BF16)) {
                Path file = dir.resolve("tok-" + dt + ".safetensors");
                TokenizerBundle.save(tok, "eeg", "eeg", file, dt, Map.of("note", "test"));
                try (SafetensorsFile f = SafetensorsFile.open(file)) {
                    assertEquals("1", f.metadata().get("format_version"));
                    assertEquals(cfg, TokenizerBundle.config(f, "eeg"));
                    try (SignalTokenizer back = TokenizerBundle.load(f, "eeg", Device.cpu())) {
                        if (dt == SafetensorsDtype.F32) {
                            assertTrue(Arrays.deepEquals(tokens, back.encode(x)), "F32 round trip is exact");
                            for (int i = 0; i < levels.size(); i++) {
                                VectorQuantizer a = levels.get(i);
                                VectorQuantizer b = back.quantizer().levels().get(i);
                                assertArrayEquals(a.usageCount().toLongArray(), b.usageCount().toLongArray(), "usage_count " + i);
                                assertArrayEquals(a.emaClusterSize().toFloatArray(), b.emaClusterSize().toFloatArray(), 0f, "ema_cluster_size " + i);
                                assertArrayEquals(a.emaEmbedSum().toFloatArray(), b.emaEmbedSum().toFloatArray(), 0f, "ema_embed_sum " + i);
                                assertEquals(a.isInitialized(), b.isInitialized(), "initialized " + i);
                            }
                        } else {
                            // Rounded weights move some decisions; most codes of level 0 survive.
                            int[][] t2 = back.encode(x);
                            int same = 0;
                            for (int t = 0; t < t2.length; t++) {
                                same += t2[t][0] == tokens[t][0] ? 1 : 0;
                            }
                            assertTrue(same > 40, dt + ": " + same + "/60 level-0 codes kept");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBundleThatDoesNotFitItsConfigNamesTheTensor() throws IOException {
        TokenizerConfig cfg = TokenizerPreset.TINY.config(SignalType.EEG);
        try (SignalTokenizer tok = SignalTokenizer.create(cfg, Device.cpu(), 4)) {
            Path good = dir.resolve("good.safetensors");
            TokenizerBundle.save(tok, "eeg", "eeg", good, SafetensorsDtype.F32, Map.of());
            // Wrong shape: rewrite one tensor with a transposed shape.
            Path bad = dir.resolve("bad.safetensors");
            copyWith(good, bad, "tok/eeg/project_in.weight", new long[] {32, 8}, null);
            HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> TokenizerBundle.load(bad, "eeg", Device.cpu()));
            assertEquals("tok/eeg/project_in.weight", e.field());
            assertTrue(e.getMessage().contains("[8, 32]") && e.getMessage().contains("[32, 8]"), e.getMessage());
            // Missing tensor.
            Path missing = dir.resolve("missing.safetensors");
            copyWith(good, missing, "tok/eeg/decoder.final_conv.conv.bias", null, null);
            e = assertThrows(HypnosFormatException.class, () -> TokenizerBundle.load(missing, "eeg", Device.cpu()));
            assertEquals("tok/eeg/decoder.final_conv.conv.bias", e.field());
            // An integer tensor where floats belong.
            Path wrongType = dir.resolve("int.safetensors");
            copyWith(good, wrongType, "tok/eeg/project_out.bias", new long[] {32}, SafetensorsDtype.I64);
            e = assertThrows(HypnosFormatException.class, () -> TokenizerBundle.load(wrongType, "eeg", Device.cpu()));
            assertEquals("tok/eeg/project_out.bias", e.field());
        }
    }

    /** Copies a file, dropping {@code name} (shape null) or replacing it by zeros of another shape/dtype. */
    private static void copyWith(Path from, Path to, String name, long[] shape, SafetensorsDtype dtype) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(from)) {
            w.metadata(f.metadata());
            for (String n : f.tensorNames()) {
                var info = f.info(n);
                if (n.equals(name)) {
                    if (shape != null) {
                        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                        if (dtype == SafetensorsDtype.I64) {
                            w.add(n, dtype, shape, new long[(int) count]);
                        } else {
                            w.add(n, SafetensorsDtype.F32, shape, new float[(int) count]);
                        }
                    }
                    continue;
                }
                w.addRaw(n, info.dtype(), info.shape(), f.raw(n));
            }
        }
        w.write(to);
    }
}

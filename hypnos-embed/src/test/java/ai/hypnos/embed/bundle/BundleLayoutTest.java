package ai.hypnos.embed.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.embed.TestBundles;
import ai.hypnos.tokenizer.SignalTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our bundles have exactly the published layout: re-writing the golden bundle gives its key
 * list (names, dtypes, shapes), metadata and weights; a bundle written from scratch (all eight
 * modalities) passes an independent numpy reader that derives every name and shape from the
 * config ({@code src/test/python/check_bundle_layout.py}, itself validated on the golden).
 */
class BundleLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rewritingTheGoldenBundleGivesItsKeyListMetadataAndWeights() throws Exception {
        Path out = dir.resolve("golden-again.safetensors");
        try (Bundle b = BundleReader.read(TestBundles.golden(), Device.cpu(), DataType.FLOAT32, SignalTokenizer.DEFAULT_CHUNK_TOKENS)) {
            BundleWriter.write(out, b, SafetensorsDtype.F32);
        }
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(ai.hypnos.core.testing.TestData.path("golden/bundle_keys.txt"), StandardCharsets.UTF_8)) {
            if (line.contains("\t")) {
                expected.add(line);
            }
        }
        List<String> ours = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(out); SafetensorsFile ref = SafetensorsFile.open(TestBundles.golden())) {
            for (String name : st.tensorNames()) {
                TensorInfo t = st.info(name);
                ours.add(name + "\t" + t.dtype() + "\t" + Arrays.toString(t.shape()));
            }
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(ours);
            List<String> extra = new ArrayList<>(ours);
            extra.removeAll(expected);
            assertEquals(List.of(), missing, "tensors of bundle_keys.txt we do not write");
            assertEquals(List.of(), extra, "tensors we write that bundle_keys.txt lacks");
            assertEquals(expected.size(), ours.size());
            assertEquals(ref.tensorNames(), st.tensorNames(), "data order as the safetensors library writes it");
            assertEquals(ref.metadata().keySet(), st.metadata().keySet());
            assertEquals(ref.metadata().get("format_version"), st.metadata().get("format_version"));
            assertEquals(JSON.readTree(ref.metadata().get("config")), JSON.readTree(st.metadata().get("config")));
            for (String name : ref.tensorNames()) {
                TensorInfo t = ref.info(name);
                if (t.dtype().isFloatingPoint()) {
                    assertArrayEquals(ref.floats(name), st.floats(name), 0f, name);
                } else if (t.dtype() == ai.hypnos.core.safetensors.SafetensorsDtype.BOOL) {
                    assertArrayEquals(ref.bools(name), st.bools(name), name);
                } else {
                    assertArrayEquals(ref.longs(name), st.longs(name), name);
                }
            }
        }
    }

    @Test
    void independentNumpyReaderAcceptsTheGoldenAndOurBundles() throws Exception {
        assumeTrue(hasNumpy(), "python3 with numpy is not available");
        Path script = Path.of("src/test/python/check_bundle_layout.py").toAbsolutePath();
        assertEquals(0, run(script, TestBundles.golden().toString(), "--keys",
                ai.hypnos.core.testing.TestData.path("golden/bundle_keys.txt").toString()));
        for (SafetensorsDtype type : List.of(SafetensorsDtype.F32, SafetensorsDtype.BF16)) {
            Path ours = TestBundles.randomBundleFile(dir, List.of(Modality.values()), 11, type);
            assertEquals(0, run(script, ours.toString()), "numpy check of our " + type + " bundle");
        }
    }

    @Test
    void configJsonHasThePublishedFields() throws Exception {
        Path ours = TestBundles.randomBundleFile(dir, List.of(Modality.values()), 5, SafetensorsDtype.F32);
        try (SafetensorsFile st = SafetensorsFile.open(ours)) {
            assertEquals("1", st.metadata().get("format_version"));
            JsonNode c = JSON.readTree(st.metadata().get("config"));
            assertEquals(List.of("model_target", "model_kwargs", "modalities", "tokenizers"), names(c));
            assertEquals(8, c.get("modalities").size());
            assertEquals(List.of("name", "signal_type", "channels", "tokenizer", "num_quantizers", "codebook_size",
                    "token_duration_sec", "sample_rate", "preprocess_modality"), names(c.get("modalities").get(0)));
            assertEquals("C3", c.get("modalities").get(0).get("channels").get(0).asText());
            assertEquals("respiratory", c.get("modalities").get(7).get("preprocess_modality").asText());
            assertEquals(32, c.get("modalities").get(7).get("sample_rate").asInt());
            assertEquals(List.of("eeg", "eog", "emg", "ecg", "resp"), names(c.get("tokenizers")));
            assertEquals(List.of("signal_type", "num_quantizers", "codebook_size", "token_duration_sec", "sample_rate",
                    "tokenizer_kwargs"), names(c.get("tokenizers").get("eeg")));
        }
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static boolean hasNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int run(Path script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        System.out.println("check_bundle_layout " + String.join(" ", args) + ": " + out.strip());
        return p.exitValue();
    }
}

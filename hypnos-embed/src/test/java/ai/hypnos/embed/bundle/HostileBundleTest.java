package ai.hypnos.embed.bundle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.TestBundles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt and hostile bundles fail with a {@link HypnosFormatException} that names the tensor or
 * field and what was expected and found, before any weight reaches native memory; none causes an
 * out-of-memory or a crash. Each case starts from the golden bundle and changes one thing.
 */
class HostileBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String Q = "model/temporal_transformer.temporal_layers.1.q_proj.weight";

    @TempDir
    Path dir;

    /** Copies the golden bundle through {@code edit} (name, info → replacement or null to drop). */
    private Path variant(String name, BiFunction<String, TensorInfo, Object[]> edit, Map<String, String> metadata)
            throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile st = SafetensorsFile.open(TestBundles.golden())) {
            Map<String, String> md = new LinkedHashMap<>(st.metadata());
            md.putAll(metadata);
            md.entrySet().removeIf(e -> e.getValue() == null);
            w.metadata(md);
            for (String n : st.tensorNames()) {
                TensorInfo t = st.info(n);
                Object[] r = edit.apply(n, t);
                if (r == null) {
                    continue;
                }
                if (r.length == 0) {
                    w.addRaw(n, t.dtype(), t.shape(), st.raw(n));
                } else {
                    w.addRaw((String) r[0], (SafetensorsDtype) r[1], (long[]) r[2], (ByteBuffer) r[3]);
                }
            }
        }
        Path p = dir.resolve(name + ".safetensors");
        w.write(p);
        return p;
    }

    private static Object[] keep() {
        return new Object[0];
    }

    private static String config() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(TestBundles.golden())) {
            return st.metadata().get("config");
        }
    }

    private static HypnosFormatException fails(Path bundle) {
        HypnosFormatException e = assertThrows(HypnosFormatException.class,
                () -> BundleReader.read(bundle, Device.cpu(), DataType.FLOAT32, 64).close());
        System.out.println(bundle.getFileName() + ": " + e.getMessage());
        return e;
    }

    private static void contains(HypnosFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void missingTensor() throws Exception {
        Path p = variant("missing", (n, t) -> n.equals(Q) ? null : keep(), Map.of());
        contains(fails(p), Q, "missing", "[32, 32]");
    }

    @Test
    void missingTokenizerTensor() throws Exception {
        String name = "tok/ecg/encoder.stages.1.2.conv.bias";
        Path p = variant("missing-tok", (n, t) -> n.equals(name) ? null : keep(), Map.of());
        contains(fails(p), name, "missing");
    }

    @Test
    void wrongShape() throws Exception {
        Path p = variant("shape", (n, t) -> n.equals(Q)
                ? new Object[] {n, SafetensorsDtype.F32, new long[] {32, 31}, floats(32 * 31, 0.01f)} : keep(), Map.of());
        contains(fails(p), Q, "[32, 31]", "expected shape [32, 32]");
    }

    @Test
    void wrongDtype() throws Exception {
        Path p = variant("dtype", (n, t) -> n.equals(Q)
                ? new Object[] {n, SafetensorsDtype.I32, new long[] {32, 32}, ByteBuffer.allocate(32 * 32 * 4)} : keep(), Map.of());
        contains(fails(p), Q, "I32", "expected dtype F32, F16 or BF16");
    }

    @Test
    void nonFiniteWeight() throws Exception {
        ByteBuffer bad = floats(32 * 32, 0.01f);
        bad.putFloat(4 * 17, Float.NaN);
        Path p = variant("nan", (n, t) -> n.equals(Q) ? new Object[] {n, SafetensorsDtype.F32, new long[] {32, 32}, bad} : keep(),
                Map.of());
        contains(fails(p), Q, "NaN");
    }

    @Test
    void configMissingOrInvalid() throws Exception {
        Map<String, String> none = new LinkedHashMap<>();
        none.put("config", null);
        contains(fails(variant("no-config", (n, t) -> keep(), none)), "__metadata__.config", "not a Hypnos bundle");
        contains(fails(variant("bad-json", (n, t) -> keep(), Map.of("config", "{\"model_kwargs\": {"))),
                "__metadata__.config", "not valid JSON");
        contains(fails(variant("version", (n, t) -> keep(), Map.of("format_version", "7"))),
                "format_version", "7");
    }

    @Test
    void modalityListInconsistentWithTensors() throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(config());
        ArrayNode mods = (ArrayNode) c.get("modalities");
        mods.remove(2); // drop ecg from the list: its tensors remain
        contains(fails(variant("modalities", (n, t) -> keep(), Map.of("config", c.toString()))),
                "config.modalities", "inconsistent with the tensors", "ecg");
    }

    @Test
    void modalityNamesAnUnknownTokenizerOrDisagreesWithIt() throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(config());
        ((ObjectNode) c.get("modalities").get(3)).put("tokenizer", "breath");
        contains(fails(variant("unknown-stem", (n, t) -> keep(), Map.of("config", c.toString()))),
                "config.modalities[3].tokenizer", "breath");
        ObjectNode c2 = (ObjectNode) JSON.readTree(config());
        ((ObjectNode) c2.get("modalities").get(0)).put("num_quantizers", 3);
        contains(fails(variant("k", (n, t) -> keep(), Map.of("config", c2.toString()))),
                "config.modalities[0].num_quantizers", "tokenizer 'eeg' has num_quantizers 2");
    }

    @Test
    void tensorOutsideTheLayoutOrTokenizerWithoutTensors() throws Exception {
        contains(fails(variant("stray", (n, t) -> n.equals(Q) ? new Object[] {"extra/" + n, t.dtype(), t.shape(),
                floats(32 * 32, 0.01f)} : keep(), Map.of())), "extra/" + Q, "unexpected tensor");
        contains(fails(variant("no-resp", (n, t) -> n.startsWith("tok/resp/") ? null : keep(), Map.of())),
                "config.tokenizers.resp", "no tok/resp/ tensors");
    }

    @Test
    void containerLevelLiesAreRejectedWithoutAllocating() throws Exception {
        // An absurd header length: nothing is allocated for it.
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 2).array());
        contains(fails(huge), "header length");
        contains(fails(raw("outside", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800000000000]}}", 8)),
                "a.data_offsets", "outside the file");
        contains(fails(raw("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "overlaps");
        contains(fails(raw("count", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
                "byte count disagrees with dtype x shape");
        contains(fails(raw("dtype", "{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16)),
                "a.dtype", "unknown dtype");
    }

    @Test
    void loadingThroughTheApiFailsTheSameWay() throws Exception {
        Path p = variant("api", (n, t) -> n.equals(Q) ? null : keep(), Map.of());
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> Hypnos.load(p).close());
        contains(e, Q);
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve(name + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static ByteBuffer floats(int n, float v) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(v);
        }
        return b.flip();
    }
}

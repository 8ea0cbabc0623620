package ai.hypnos.core.safetensors;

import ai.hypnos.core.numeric.BFloat16;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden bundle (written by the safetensors library) and a hand-assembled file with every
 * dtype ({@code src/test/python/safetensors_golden.py}: F16 from numpy, BF16 from PyTorch) are
 * read exactly, and written back byte for byte.
 */
class SafetensorsGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JsonNode expected() throws IOException {
        try (InputStream in = SafetensorsGoldenTest.class.getResourceAsStream("/safetensors/expected.json")) {
            return JSON.readTree(in);
        }
    }

    static Path mixed() {
        try {
            return Path.of(SafetensorsGoldenTest.class.getResource("/safetensors/mixed.safetensors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------ golden bundle

    @Test
    void goldenBundleMatchesItsKeyList() throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        String metadataLine = null;
        for (String line : Files.readAllLines(TestData.path("golden/bundle_keys.txt"))) {
            if (line.startsWith("metadata keys:")) {
                metadataLine = line;
            } else if (!line.isBlank()) {
                String[] f = line.split("\t");
                listed.put(f[0], f[1] + " " + f[2].replace(" ", ""));
            }
        }
        assertEquals("metadata keys: ['config', 'format_version']", metadataLine);
        // 385 tensors plus the metadata line make the 386 lines of bundle_keys.txt.
        assertEquals(385, listed.size());
        try (SafetensorsFile st = SafetensorsFile.open(TestData.path("golden/bundle.safetensors"))) {
            assertEquals(385, st.tensorNames().size());
            Map<String, String> found = new LinkedHashMap<>();
            long previousEnd = 0;
            for (TensorInfo t : st.tensors()) {
                found.put(t.name(), t.dtype() + " " + Arrays.toString(t.shape()).replace(" ", ""));
                assertEquals(previousEnd, t.begin(), "file order is data order");
                previousEnd = t.end();
            }
            assertEquals(new java.util.TreeMap<>(listed), new java.util.TreeMap<>(found));
            assertEquals("tok/ecg/quantizer.quantizers.0.usage_count", st.tensorNames().get(0), "I64 first, like the library");

            assertEquals(List.of("format_version", "config"), new ArrayList<>(st.metadata().keySet()));
            assertEquals("1", st.metadata().get("format_version"));
            JsonNode config = JSON.readTree(st.metadata().get("config"));
            assertEquals(32, config.path("model_kwargs").path("embed_dim").asInt());
            assertEquals(4, config.path("modalities").size());
            assertEquals("eeg_c3", config.path("modalities").get(0).path("name").asText());

            float[] w = st.floats("model/channel_embed.weight");
            assertEquals(8 * 32, w.length);
            assertArrayEquals(new long[] {8, 32}, st.info("model/channel_embed.weight").shape());
            boolean[] mask = st.bools("model/temporal_transformer.modality_attn_mask");
            assertEquals(16, mask.length);
            assertEquals(16, st.longs("tok/ecg/quantizer.quantizers.0.usage_count").length);
            st.checkAllFinite();
        }
    }

    @Test
    void goldenBundleRewritesToIdenticalBytes() throws IOException {
        Path golden = TestData.path("golden/bundle.safetensors");
        SafetensorsWriter fromRaw = new SafetensorsWriter();
        SafetensorsWriter fromValues = new SafetensorsWriter();
        try (SafetensorsFile st = SafetensorsFile.open(golden)) {
            fromRaw.metadata(st.metadata());
            fromValues.metadata(st.metadata());
            // Add in reverse name order: the writer must sort as the library does.
            List<String> names = new ArrayList<>(st.tensorNames());
            names.sort(java.util.Comparator.reverseOrder());
            for (String name : names) {
                TensorInfo t = st.info(name);
                fromRaw.addRaw(name, t.dtype(), t.shape(), st.raw(name));
                switch (t.dtype()) {
                    case F32 -> fromValues.add(name, t.dtype(), t.shape(), st.floats(name));
                    case I64 -> fromValues.add(name, t.dtype(), t.shape(), st.longs(name));
                    case BOOL -> fromValues.add(name, t.shape(), st.bools(name));
                    default -> throw new AssertionError("unexpected dtype in the golden bundle: " + t);
                }
            }
        }
        byte[] original = Files.readAllBytes(golden);
        assertArrayEquals(original, fromRaw.toByteArray());
        Path out = dir.resolve("rewritten.safetensors");
        fromValues.write(out);
        assertArrayEquals(original, Files.readAllBytes(out));
    }

    @Test
    void oneBundleServesManyThreads() throws Exception {
        try (SafetensorsFile st = SafetensorsFile.open(TestData.path("golden/bundle.safetensors"))) {
            Map<String, float[]> reference = new LinkedHashMap<>();
            for (TensorInfo t : st.tensors()) {
                if (t.dtype() == SafetensorsDtype.F32) {
                    reference.put(t.name(), st.floats(t.name()));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> jobs = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    jobs.add(pool.submit(() -> {
                        int checked = 0;
                        for (Map.Entry<String, float[]> e : reference.entrySet()) {
                            assertArrayEquals(e.getValue(), st.floats(e.getKey()), e.getKey());
                            checked++;
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> j : jobs) {
                    assertEquals(reference.size(), j.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    // ------------------------------------------------------------------------------ every dtype

    @Test
    void mixedFileReadsExactly() throws IOException {
        JsonNode e = expected();
        try (SafetensorsFile st = SafetensorsFile.open(mixed())) {
            Map<String, String> meta = new LinkedHashMap<>();
            e.get("metadata").fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
            assertEquals(meta, st.metadata());
            assertEquals(new ArrayList<>(meta.keySet()), new ArrayList<>(st.metadata().keySet()));
            List<String> order = new ArrayList<>();
            e.get("order").forEach(n -> order.add(n.asText()));
            assertEquals(order, st.tensorNames());
            for (String name : order) {
                JsonNode t = e.get("tensors").get(name);
                TensorInfo info = st.info(name);
                assertEquals(t.get("dtype").asText(), info.dtype().name(), name);
                assertArrayEquals(longs(t.get("shape")), info.shape(), name);
                JsonNode stored = t.get("stored");
                ByteBuffer raw = st.raw(name);
                switch (info.dtype()) {
                    case F16, BF16 -> {
                        float[] f = st.floats(name);
                        for (int i = 0; i < stored.size(); i++) {
                            short bits = (short) stored.get(i).asInt();
                            assertEquals(bits, raw.getShort(2 * i), name + "[" + i + "]");
                            float want = info.dtype() == SafetensorsDtype.F16 ? Float16.toFloat(bits) : BFloat16.toFloat(bits);
                            assertEquals(want, f[i], 0f, name + "[" + i + "]");
                        }
                    }
                    case F32 -> {
                        float[] f = st.floats(name);
                        for (int i = 0; i < stored.size(); i++) {
                            assertEquals(Float.intBitsToFloat((int) stored.get(i).asLong()), f[i], 0f, name);
                        }
                    }
                    case F64 -> {
                        double[] d = st.doubles(name);
                        for (int i = 0; i < stored.size(); i++) {
                            assertEquals(Double.longBitsToDouble(Long.parseUnsignedLong(stored.get(i).asText())), d[i], 0.0, name);
                        }
                    }
                    case BOOL -> {
                        boolean[] b = st.bools(name);
                        for (int i = 0; i < stored.size(); i++) {
                            assertEquals(stored.get(i).asBoolean(), b[i], name);
                        }
                    }
                    default -> assertArrayEquals(longs(stored), st.longs(name), name);
                }
            }
        }
    }

    @Test
    void javaRebuildsTheMixedFileByteForByte() throws IOException {
        assertArrayEquals(Files.readAllBytes(mixed()), rebuildMixed().toByteArray());
    }

    /** The mixed file's tensors from their float32/integer sources, added in header order. */
    static SafetensorsWriter rebuildMixed() throws IOException {
        JsonNode e = expected();
        SafetensorsWriter w = new SafetensorsWriter();
        e.get("metadata").fields().forEachRemaining(m -> w.metadata(m.getKey(), m.getValue().asText()));
        e.get("tensors").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode t = entry.getValue();
            SafetensorsDtype dtype = SafetensorsDtype.valueOf(t.get("dtype").asText());
            long[] shape = longs(t.get("shape"));
            JsonNode src = t.get("source");
            switch (dtype) {
                case F32, F16, BF16 -> {
                    float[] f = new float[src.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = Float.intBitsToFloat((int) Long.parseLong(src.get(i).asText()));
                    }
                    w.add(name, dtype, shape, f);
                }
                case F64 -> {
                    double[] d = new double[src.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = Double.longBitsToDouble(Long.parseUnsignedLong(src.get(i).asText()));
                    }
                    w.add(name, dtype, shape, d);
                }
                case BOOL -> {
                    boolean[] b = new boolean[src.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = src.get(i).asBoolean();
                    }
                    w.add(name, shape, b);
                }
                default -> w.add(name, dtype, shape, longs(src));
            }
        });
        return w;
    }

    @Test
    void bf16RoundingMatchesPyTorchOnAMillionFloats() throws Exception {
        JsonNode d = expected().get("bf16_digest");
        ByteBuffer encoded = ByteBuffer.allocate((1 << 20) * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < (1 << 20); i++) {
            float f = Float.intBitsToFloat((int) (i * 4097 % (1L << 32)));
            encoded.putShort(Float.isNaN(f) ? (short) 0x7fc0 : BFloat16.fromFloat(f));
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(encoded.flip());
        assertEquals(d.get("encode_float_patterns_sha256").asText(), HexFormat.of().formatHex(md.digest()));
    }

    @Test
    void roundTripEveryDtype() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("k", "v");
        float[] f = {0f, -1.5f, 1e-3f, 3.0e38f, Float.MIN_NORMAL, 0.1f};
        long[] shape = {2, 3};
        w.add("f32", SafetensorsDtype.F32, shape, f);
        w.add("f16", SafetensorsDtype.F16, shape, f);
        w.add("bf16", SafetensorsDtype.BF16, shape, f);
        w.add("f64", SafetensorsDtype.F64, new long[] {2}, new double[] {Math.E, -0.0});
        long[] ints = {-3, 0, 7, 100, -100, 1};
        for (SafetensorsDtype d : List.of(SafetensorsDtype.I64, SafetensorsDtype.I32, SafetensorsDtype.I16, SafetensorsDtype.I8)) {
            w.add(d.name().toLowerCase(), d, shape, ints);
        }
        long[] unsigned = {0, 1, 2, 200, 255, 3};
        for (SafetensorsDtype d : List.of(SafetensorsDtype.U8, SafetensorsDtype.U16, SafetensorsDtype.U32, SafetensorsDtype.U64)) {
            w.add(d.name().toLowerCase(), d, shape, unsigned);
        }
        w.add("bool", new long[] {3}, new boolean[] {true, false, true});
        w.add("scalar", SafetensorsDtype.F32, new long[0], new float[] {5f});
        Path p = dir.resolve("all.safetensors");
        w.write(p);
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertEquals(Map.of("k", "v"), st.metadata());
            assertArrayEquals(f, st.floats("f32"));
            for (int i = 0; i < f.length; i++) {
                assertEquals(Float16.toFloat(Float16.fromFloat(f[i])), st.floats("f16")[i]);
                assertEquals(BFloat16.toFloat(BFloat16.fromFloat(f[i])), st.floats("bf16")[i]);
            }
            assertArrayEquals(new double[] {Math.E, -0.0}, st.doubles("f64"));
            for (String n : List.of("i64", "i32", "i16", "i8")) {
                assertArrayEquals(ints, st.longs(n), n);
            }
            for (String n : List.of("u8", "u16", "u32", "u64")) {
                assertArrayEquals(unsigned, st.longs(n), n);
            }
            assertArrayEquals(new boolean[] {true, false, true}, st.bools("bool"));
            assertArrayEquals(new long[0], st.info("scalar").shape());
            assertEquals(5f, st.floats("scalar")[0]);
            // Layout: 8-byte dtypes first, BOOL last.
            List<String> names = st.tensorNames();
            assertEquals("bool", names.get(names.size() - 1));
            assertTrue(names.indexOf("f64") < names.indexOf("f32") && names.indexOf("f32") < names.indexOf("bf16"));
        }
        String headerStart = new String(Files.readAllBytes(p), 8, 60, StandardCharsets.UTF_8);
        assertTrue(headerStart.startsWith("{\"__metadata__\":{\"k\":\"v\"},\"u64\":{\"dtype\":\"U64\""), headerStart);
    }

    static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }
}

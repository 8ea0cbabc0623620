package ai.hypnos.transformer.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TestModelsAccess;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save → load round trips in the published layout, and precise failures on bundles that do not fit. */
class TransformerBundleTest {
    @TempDir
    Path dir;

    /** All 8 modalities, K and V per type, untied narrower depth, SwiGLU, XSA, global windows, sparse modality layers. */
    static TransformerConfig exotic() {
        List<ModalitySpec> mods = new ArrayList<>();
        for (Modality m : Modality.values()) {
            int k = switch (m.signalType()) {
                case EEG, EOG -> 3;
                case EMG, ECG -> 2;
                case RESP -> 1;
            };
            mods.add(ModalitySpec.of(m, k, m.signalType() == ai.hypnos.core.modality.SignalType.EEG ? 32 : 24));
        }
        return TransformerConfig.builder(mods).embedDim(48).temporalDepth(3).temporalHeads(3).depthDim(24)
                .depthDepth(2).depthHeads(2).slidingWindow(4).globalEveryN(2).globalWindow(8).swiglu(true).xsa(true)
                .modalityAttnEveryN(2).modalityUseFfn(false).qkNorm(false).channelEmbeddings(true).dropout(0.0)
                .maxSeqLen(64).layerScaleInit(0.1).build();
    }

    /** All 8 standard modalities with the small preset's structure at a tiny width (tables tied). */
    static TransformerConfig published8() {
        return Preset.SMALL.builder(Preset.standardModalities(8, 64)).embedDim(32).temporalDepth(2).temporalHeads(2)
                .depthDepth(1).depthHeads(2).slidingWindow(8).globalEveryN(2).globalWindow(16).build();
    }

    @Test
    void roundTripGivesIdenticalOutputs() throws IOException {
        for (TransformerConfig config : List.of(exotic(), published8())) {
            Path file = dir.resolve("m" + config.hashCode() + ".safetensors");
            try (RqTransformer a = RqTransformer.initialize(config, Device.cpu(), 5)) {
                a.save(file);
                try (RqTransformer b = RqTransformer.load(file, Device.cpu())) {
                    assertEquals(config, b.config());
                    TokenBatch batch = TestModelsAccess.randomBatch(a.layout(), 2, 21, 1);
                    assertArrayEquals(embed(a, batch), embed(b, batch), 0f);
                    assertEquals(loss(a, batch), loss(b, batch), 0f);
                }
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    Set<String> names = new HashSet<>();
                    for (String n : st.tensorNames()) {
                        assertTrue(n.startsWith("model/"), n);
                        names.add(n.substring("model/".length()));
                    }
                    Set<String> expected = new HashSet<>();
                    ParameterLayout.of(config).all().forEach(s -> expected.add(s.name()));
                    assertEquals(expected, names);
                    assertEquals("1", st.metadata().get("format_version"));
                    if (config.depthTablesTied()) {
                        assertArrayEquals(st.floats("model/token_embeddings.eeg_c3.0.weight"),
                                st.floats("model/depth_transformer.per_group_embeddings.eeg_c3.0.weight"), 0f);
                    }
                }
            }
        }
    }

    @Test
    void inferenceOnlyLoadSharesFusedWeightsAndGivesTheSameNumbers() throws IOException {
        for (TransformerConfig config : List.of(exotic(), published8())) {
            Path file = dir.resolve("i" + config.hashCode() + ".safetensors");
            Path again = dir.resolve("j" + config.hashCode() + ".safetensors");
            try (RqTransformer a = RqTransformer.initialize(config, Device.cpu(), 7);
                    RqTransformer b = loadInferenceOnly(a, file)) {
                TokenBatch batch = TestModelsAccess.randomBatch(a.layout(), 2, 21, 3);
                assertArrayEquals(embed(a, batch), embed(b, batch), 0f);
                assertEquals(loss(a, batch), loss(b, batch), 0f);
                // Q/K/V of the first temporal layer were fused when the model was built: the same
                // tensor comes back, and the named weights read as its row blocks.
                String prefix = ParameterNames.temporalLayerPrefix(0);
                List<String> qkv = List.of(prefix + ".q_proj.weight", prefix + ".k_proj.weight",
                        prefix + ".v_proj.weight");
                ModelParameters p = b.parameters();
                assertTrue(p.isInferenceOnly());
                var fused = p.sharedRows(qkv);
                assertTrue(fused != null && fused == p.sharedRows(qkv), "fused once, at construction");
                long d = config.embedDim();
                assertEquals(3 * d, fused.getShape().get(0));
                assertArrayEquals(fused.get("{}:{}", d, 2 * d).toFloatArray(), p.get(qkv.get(1)).toFloatArray(), 0f);
                assertThrows(IllegalStateException.class, () -> p.requireGradients(true));
                // Saving reads the views: the same tensors as the trainable original.
                b.save(again);
                try (SafetensorsFile x = SafetensorsFile.open(file); SafetensorsFile y = SafetensorsFile.open(again)) {
                    assertEquals(new HashSet<>(x.tensorNames()), new HashSet<>(y.tensorNames()));
                    for (String n : x.tensorNames()) {
                        if (x.info(n).dtype().isFloatingPoint()) {
                            assertArrayEquals(x.floats(n), y.floats(n), 0f, n);
                        } else {
                            assertEquals(x.raw(n), y.raw(n), n);
                        }
                    }
                }
            }
        }
    }

    private static RqTransformer loadInferenceOnly(RqTransformer a, Path file) throws IOException {
        a.save(file);
        return TransformerBundle.load(file, Device.cpu(), DataType.FLOAT32, true);
    }

    @Test
    void halfPrecisionBundlesLoad() throws IOException {
        TransformerConfig config = published8();
        try (RqTransformer a = RqTransformer.initialize(config, Device.cpu(), 9)) {
            TokenBatch batch = TestModelsAccess.randomBatch(a.layout(), 1, 16, 2);
            float[] reference = embed(a, batch);
            for (SafetensorsDtype dtype : List.of(SafetensorsDtype.BF16, SafetensorsDtype.F16)) {
                Path file = dir.resolve(dtype + ".safetensors");
                SafetensorsWriter w = new SafetensorsWriter().metadata("format_version", "1")
                        .metadata("config", TransformerBundle.configJson(config,
                                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()).toString());
                TransformerBundle.addTensors(a, w, dtype);
                w.write(file);
                try (RqTransformer b = RqTransformer.load(file, Device.cpu())) {
                    float[] got = embed(b, batch);
                    double worst = 0;
                    for (int i = 0; i < got.length; i++) {
                        worst = Math.max(worst, Math.abs(got[i] - reference[i]));
                    }
                    // Rounding the weights to 8 (BF16) or 11 (F16) mantissa bits moves LayerNorm outputs by ~1e-2.
                    assertTrue(worst < (dtype == SafetensorsDtype.BF16 ? 0.1 : 0.02), dtype + ": " + worst);
                    assertTrue(worst > 0, dtype + " weights must actually be rounded");
                }
            }
        }
    }

    @Test
    void bundlesThatDoNotFitFailNamingTheTensor() throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), 1)) {
            a.save(good);
        }
        String w = "model/temporal_transformer.temporal_layers.1.k_proj.weight";
        HypnosFormatException missing = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(rewrite(good, "missing", n -> !n.equals(w), null, null), Device.cpu()));
        assertEquals(w, missing.field());
        assertTrue(missing.getMessage().contains("[32, 32]"), missing.getMessage());

        HypnosFormatException shape = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(rewrite(good, "shape", n -> true, w, new long[] {32, 16}), Device.cpu()));
        assertEquals(w, shape.field());
        assertTrue(shape.getMessage().contains("F32 [32, 16]") && shape.getMessage().contains("expected shape [32, 32]"),
                shape.getMessage());

        HypnosFormatException dtype = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(rewrite(good, "dtype", n -> true, w, null), Device.cpu()));
        assertEquals(w, dtype.field());
        assertTrue(dtype.getMessage().contains("I64") && dtype.getMessage().contains("F32, F16 or BF16"),
                dtype.getMessage());

        Path extra = dir.resolve("extra.safetensors");
        SafetensorsWriter wr = copy(good, n -> true, null, null);
        wr.add("model/temporal_transformer.cls_head.cls_embed", SafetensorsDtype.F32, new long[] {1, 1, 1, 32},
                new float[32]);
        wr.write(extra);
        HypnosFormatException unexpected = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(extra, Device.cpu()));
        assertEquals("model/temporal_transformer.cls_head.cls_embed", unexpected.field());
        assertTrue(unexpected.getMessage().contains("CLS"), unexpected.getMessage());

        Path noConfig = dir.resolve("noconfig.safetensors");
        new SafetensorsWriter().add("model/x", SafetensorsDtype.F32, new long[] {1}, new float[1]).write(noConfig);
        HypnosFormatException config = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(noConfig, Device.cpu()));
        assertEquals("__metadata__.config", config.field());
    }

    @Test
    void tiedTablesThatDifferAreRejected() throws IOException {
        Path good = dir.resolve("tied.safetensors");
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), 1)) {
            a.save(good);
        }
        String alias = "model/depth_transformer.per_group_embeddings.ecg.0.weight";
        Path bad = dir.resolve("tied-bad.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(good)) {
            SafetensorsWriter w = copy(good, n -> !n.equals(alias), null, null);
            float[] v = st.floats(alias);
            v[0] += 1f;
            w.add(alias, SafetensorsDtype.F32, st.info(alias).shape(), v);
            w.write(bad);
        }
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> RqTransformer.load(bad, Device.cpu()));
        assertEquals(alias, e.field());
    }

    /**
     * Hostile configurations of an otherwise valid bundle fail on the config, naming the bundle,
     * the exact field and the value, before any layout, table or tensor is sized from them (each
     * of these used to end in an OutOfMemoryError or a NegativeArraySizeException).
     */
    @Test
    void absurdConfigValuesAreRejectedNamingTheField() throws IOException {
        Path good = dir.resolve("cfg.safetensors");
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), 1)) {
            a.save(good);
        }
        record Case(String path, long value, String field, String says) { }
        List<Case> cases = List.of(
                new Case("model_kwargs.max_seq_len", 300_000_000L, "config.model_kwargs.max_seq_len",
                        "max_seq_len must be at most " + TransformerConfig.MAX_SEQ_LEN + ", got 300000000"),
                new Case("model_kwargs.max_seq_len", 50_000_000L, "config.model_kwargs.max_seq_len",
                        "max_seq_len must be at most " + TransformerConfig.MAX_SEQ_LEN + ", got 50000000"),
                new Case("model_kwargs.max_seq_len", 3_000_000_000L, "config.model_kwargs.max_seq_len",
                        "must be an integer of at most 2147483647, got 3000000000"),
                new Case("model_kwargs.max_seq_len", 0, "config.model_kwargs.max_seq_len", "max_seq_len must be > 0"),
                new Case("model_kwargs.temporal_depth", 100_000_000L, "config.model_kwargs.temporal_depth",
                        "temporal_depth must be at most " + TransformerConfig.MAX_LAYERS + ", got 100000000"),
                new Case("model_kwargs.depth_depth", 5_000, "config.model_kwargs.depth_depth",
                        "depth_depth must be at most " + TransformerConfig.MAX_LAYERS),
                new Case("model_kwargs.embed_dim", 1 << 20, "config.model_kwargs.embed_dim",
                        "embed_dim must be at most " + TransformerConfig.MAX_WIDTH),
                new Case("model_kwargs.depth_dim", 1 << 20, "config.model_kwargs.depth_dim",
                        "depth_dim must be at most " + TransformerConfig.MAX_WIDTH),
                new Case("model_kwargs.temporal_heads", 1 << 20, "config.model_kwargs.temporal_heads",
                        "temporal_heads must be at most " + TransformerConfig.MAX_HEADS),
                new Case("model_kwargs.depth_heads", -3, "config.model_kwargs.depth_heads", "depth_heads must be > 0"),
                new Case("model_kwargs.sliding_window", 1 << 30, "config.model_kwargs.sliding_window",
                        "sliding_window must be at most " + TransformerConfig.MAX_SEQ_LEN),
                new Case("model_kwargs.temporal_mlp_ratio", 1_000_000_000L, "config.model_kwargs.temporal_mlp_ratio",
                        "temporal_mlp_ratio must be in (0, "),
                new Case("modalities.3.codebook_size", 100_000_000L, "config.modalities[3].codebook_size",
                        "codebook_size must be at most " + TransformerConfig.MAX_CODEBOOK),
                new Case("modalities.0.num_quantizers", 1_000_000L, "config.modalities[0].num_quantizers",
                        "num_quantizers must be at most " + TransformerConfig.MAX_QUANTIZERS));
        for (Case c : cases) {
            Path bad = withConfig(good, "cfg-" + c.field() + c.value(), root -> {
                String[] keys = c.path().split("\\.");
                JsonNode parent = root.get(keys[0]);
                if (keys.length == 3) {
                    parent = parent.get(Integer.parseInt(keys[1]));
                }
                ((ObjectNode) parent).put(keys[keys.length - 1], c.value());
            });
            HypnosFormatException e = assertThrows(HypnosFormatException.class,
                    () -> RqTransformer.load(bad, Device.cpu()), c.toString());
            assertEquals(bad, e.file(), c.toString());
            assertEquals(c.field(), e.field(), e.getMessage());
            assertEquals(c.value(), Double.parseDouble(e.value()), e.getMessage());
            assertTrue(e.getMessage().startsWith(bad + ": field '" + c.field() + "'")
                    && e.getMessage().contains(c.says()), e.getMessage());
        }
    }

    /** cos_cached/sin_cached must be [max_seq_len, hd/2] exactly, as the reference registers them. */
    @Test
    void ropeTablesMustHaveMaxSeqLenRows() throws IOException {
        Path good = dir.resolve("rope.safetensors");
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), 1)) {
            a.save(good);
        }
        assertEquals(4096, published8().maxSeqLen());
        String cos = "model/" + ParameterNames.rope("cos_cached");
        // A shorter table than the config asks for (used to pass: only its width was checked).
        HypnosFormatException shorter = assertThrows(HypnosFormatException.class,
                () -> RqTransformer.load(rewrite(good, "short", n -> true, cos, new long[] {10, 8}), Device.cpu()));
        assertEquals(cos, shorter.field());
        assertTrue(shorter.getMessage().contains("F32 [10, 8]") && shorter.getMessage().contains("expected shape [4096, 8]")
                && shorter.getMessage().contains("max_seq_len"), shorter.getMessage());
        // A config that asks for more rows than the tables hold.
        Path longer = withConfig(good, "longer", root -> ((ObjectNode) root.get("model_kwargs")).put("max_seq_len", 8192));
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> RqTransformer.load(longer, Device.cpu()));
        assertEquals(cos, e.field());
        assertTrue(e.getMessage().contains("F32 [4096, 8]") && e.getMessage().contains("expected shape [8192, 8]"),
                e.getMessage());
    }

    @Test
    void formatVersionIsTrimmedAndF64IsRejected() throws IOException {
        Path good = dir.resolve("fv.safetensors");
        TokenBatch batch;
        float[] reference;
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), 2)) {
            a.save(good);
            batch = TestModelsAccess.randomBatch(a.layout(), 1, 10, 1);
            reference = embed(a, batch);
        }
        // Whitespace around the version is accepted, as hypnos-embed's bundle reader does.
        Path padded = dir.resolve("padded.safetensors");
        SafetensorsWriter w = copy(good, n -> true, null, null);
        w.metadata("format_version", " 1\n");
        w.write(padded);
        try (SafetensorsFile st = SafetensorsFile.open(padded)) {
            assertEquals(" 1\n", st.metadata().get("format_version"));
        }
        try (RqTransformer b = RqTransformer.load(padded, Device.cpu())) {
            assertArrayEquals(reference, embed(b, batch), 0f);
        }
        Path two = dir.resolve("v2.safetensors");
        copy(good, n -> true, null, null).metadata("format_version", " 2 ").write(two);
        HypnosFormatException v = assertThrows(HypnosFormatException.class, () -> RqTransformer.load(two, Device.cpu()));
        assertEquals("__metadata__.format_version", v.field());
        assertEquals(" 2 ", v.value());

        // F64 is not one of the dtypes the layout allows (F32, F16, BF16), though it is floating point.
        String weight = "model/temporal_transformer.temporal_layers.0.q_proj.weight";
        Path f64 = dir.resolve("f64.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(good)) {
            float[] f = st.floats(weight);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            copy(good, n -> !n.equals(weight), null, null).add(weight, SafetensorsDtype.F64, st.info(weight).shape(), d)
                    .write(f64);
        }
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> RqTransformer.load(f64, Device.cpu()));
        assertEquals(weight, e.field());
        assertTrue(e.getMessage().contains("F64 [32, 32]") && e.getMessage().contains("expected dtype F32, F16 or BF16"),
                e.getMessage());
    }

    /** A copy of a bundle whose config JSON {@code edit} has changed. */
    private Path withConfig(Path src, String name, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path out = dir.resolve(name.replaceAll("[^A-Za-z0-9_-]", "_") + ".safetensors");
        SafetensorsWriter w = copy(src, n -> true, null, null);
        try (SafetensorsFile st = SafetensorsFile.open(src)) {
            ObjectNode root = (ObjectNode) new ObjectMapper().readTree(st.metadata().get("config"));
            edit.accept(root);
            w.metadata("config", root.toString());
        }
        w.write(out);
        return out;
    }

    /** A copy of a bundle without the tensors {@code keep} rejects; {@code changed} gets a new shape or I64. */
    private Path rewrite(Path src, String name, Predicate<String> keep, String changed, long[] shape) throws IOException {
        Path out = dir.resolve(name + ".safetensors");
        copy(src, keep, changed, shape).write(out);
        return out;
    }

    private static SafetensorsWriter copy(Path src, Predicate<String> keep, String changed, long[] shape)
            throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile st = SafetensorsFile.open(src)) {
            w.metadata(st.metadata());
            for (TensorInfo t : st.tensors()) {
                if (!keep.test(t.name())) {
                    continue;
                }
                if (t.name().equals(changed)) {
                    if (shape != null) {
                        long n = 1;
                        for (long d : shape) {
                            n *= d;
                        }
                        w.add(t.name(), SafetensorsDtype.F32, shape, new float[(int) n]);
                    } else {
                        w.add(t.name(), SafetensorsDtype.I64, t.shape(), new long[(int) t.elementCount()]);
                    }
                } else {
                    w.addRaw(t.name(), t.dtype(), t.shape(), st.raw(t.name()));
                }
            }
        }
        return w;
    }

    private static float[] embed(RqTransformer model, TokenBatch batch) {
        try (NDManager m = model.parameters().manager().newSubManager()) {
            return model.temporalForward(batch, m).toFloatArray();
        }
    }

    private static float loss(RqTransformer model, TokenBatch batch) {
        try (NDManager m = model.parameters().manager().newSubManager()) {
            return model.evaluate(batch, m).lossValue();
        }
    }

    @Test
    void halfPrecisionParametersGiveTheFloat32Embeddings() {
        try (RqTransformer a = RqTransformer.initialize(published8(), Device.cpu(), DataType.FLOAT16, 3);
                RqTransformer f = RqTransformer.initialize(published8(), Device.cpu(), DataType.FLOAT32, 3)) {
            assertEquals(DataType.FLOAT16, a.parameters().dataType());
            TokenBatch batch = TestModelsAccess.randomBatch(a.layout(), 1, 16, 4);
            float[] half;
            try (NDManager m = a.parameters().manager().newSubManager()) {
                half = a.temporalForward(batch, m).toType(DataType.FLOAT32, false).toFloatArray();
            }
            float[] full = embed(f, batch);
            double worst = 0;
            for (int i = 0; i < full.length; i++) {
                worst = Math.max(worst, Math.abs(half[i] - full[i]));
            }
            assertTrue(worst < 0.05, "fp16 vs fp32 embeddings: " + worst);
        }
    }
}

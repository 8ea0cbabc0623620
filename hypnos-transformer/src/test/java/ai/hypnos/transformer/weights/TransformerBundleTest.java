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

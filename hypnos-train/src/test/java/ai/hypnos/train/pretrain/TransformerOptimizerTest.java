package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.hypnos.tokenizer.train.AdamW;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.PackedGroup;
import ai.hypnos.transformer.weights.ParameterSpec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pretraining optimiser on packed weights against an independent path: the tokenizer
 * trainer's per-tensor {@link AdamW} over the same model unpacked, fed the same batches.
 */
class TransformerOptimizerTest {
    private static final Device CPU = Device.cpu();
    // clip_norm 0.5: the gradients of a fresh model are larger, so every step clips.
    private static final PretrainConfig.Optim OPTIM = new PretrainConfig.Optim(10, 1e-2, 0.1, 0, 0.9, 0.95, 1e-8,
            0.1, 0.5);

    private static TransformerConfig config() {
        return Preset.TINY.config(List.of(new ModalitySpec("eeg_c3", "eeg", 2, 16),
                new ModalitySpec("ecg", "ecg", 2, 16), new ModalitySpec("resp_abd", "resp", 2, 16)));
    }

    private static TokenBatch batch(RqTransformer model, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = model.layout().totalK();
        int batch = 2;
        int seconds = 12;
        int[] tokens = new int[batch * seconds * k];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(16);
        }
        int m = model.layout().numModalities();
        boolean[] presence = new boolean[batch * m];
        java.util.Arrays.fill(presence, true);
        int[] channels = new int[batch * m];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(TokenBatch.defaultChannelIds(model.layout()), 0, channels, b * m, m);
        }
        return TokenBatch.of(batch, seconds, k, tokens, presence, channels);
    }

    private static void backward(RqTransformer model, TokenBatch b) {
        try (NDManager step = model.parameters().manager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(model.trainingForward(b, ModalityMasker.inference(model.config(), b.batch(), b.presence()),
                    step).loss());
        }
    }

    /** The reference: one DJL Parameter per tensor, decayed as {@link WeightDecayPolicy} says. */
    private static AdamW perTensor(ModelParameters p) {
        Map<String, Parameter> wrapped = new LinkedHashMap<>();
        Set<Parameter> noDecay = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParameterSpec spec : p.layout().parameters()) {
            Parameter w = Parameter.builder().setName(spec.name()).setType(Parameter.Type.OTHER)
                    .optArray(p.get(spec.name())).build();
            wrapped.put(spec.name(), w);
            if (!WeightDecayPolicy.decays(spec)) {
                noDecay.add(w);
            }
        }
        return new AdamW(wrapped, noDecay, OPTIM.beta1(), OPTIM.beta2(), OPTIM.eps(), OPTIM.weightDecay(),
                OPTIM.clipNorm(), p.manager());
    }

    private static void assertGradientsZero(ModelParameters p, String what) {
        try (NDManager s = p.manager().newSubManager()) {
            for (String n : p.names()) {
                NDArray g = p.gradient(n, s);
                assertEquals(0f, g.abs().max().getFloat(), what + " " + n + ": gradient not zeroed after the step");
            }
        }
    }

    @Test
    void packingKeepsValuesAndTheModelsNumbersAndViewsShareTheFlatTensor() {
        try (RqTransformer plain = RqTransformer.initialize(config(), CPU, 31);
                RqTransformer packed = TransformerOptimizer.pack(plain, DataType.FLOAT32)) {
            ModelParameters p = packed.parameters();
            assertEquals(Set.of(TransformerOptimizer.DECAY, TransformerOptimizer.NO_DECAY),
                    Set.copyOf(p.packedGroups().stream().map(PackedGroup::key).toList()));
            long total = p.packedGroups().stream().mapToLong(g -> g.flat().getShape().size()).sum();
            assertEquals(p.count(), total, "every element once");
            Map<String, float[]> a = plain.parameters().toHost();
            Map<String, float[]> b = p.toHost();
            assertEquals(a.keySet(), b.keySet());
            a.forEach((n, v) -> assertArrayEquals(v, b.get(n), n));
            TokenBatch batch = batch(plain, 3);
            try (NDManager m1 = plain.parameters().manager().newSubManager();
                    NDManager m2 = p.manager().newSubManager()) {
                assertArrayEquals(plain.temporalForward(batch, m1).toFloatArray(),
                        packed.temporalForward(batch, m2).toFloatArray(), "the same embeddings, bit for bit");
            }
            PackedGroup first = p.packedGroups().get(0);
            String name = first.names().get(0);
            first.flat().set(new ai.djl.ndarray.index.NDIndex("0"), 7f);
            assertEquals(7f, p.get(name).toFloatArray()[0], "a named tensor is a view of its group's flat tensor");
        }
    }

    /** One segment per group (as on a GPU) and segments of at most 1,000 elements (as on a CPU, scaled down). */
    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 1000})
    void packedStepsEqualPerTensorAdamWAndLeaveNoGradientBehind(long segmentElements) {
        try (RqTransformer plain = RqTransformer.initialize(config(), CPU, 32);
                RqTransformer packed = TransformerOptimizer.pack(plain, DataType.FLOAT32);
                TransformerOptimizer opt = new TransformerOptimizer(packed.parameters(), packed.parameters(), OPTIM,
                        LossScaler.disabled(), segmentElements);
                AdamW reference = perTensor(plain.parameters())) {
            plain.parameters().requireGradients(true);
            packed.parameters().requireGradients(true);
            for (int step = 0; step < 3; step++) {
                TokenBatch b = batch(plain, 100 + step);
                backward(plain, b);
                backward(packed, b);
                float expected;
                float norm;
                try (NDManager s = plain.parameters().manager().newSubManager()) {
                    expected = reference.step(1e-2, s).getFloat();
                }
                try (NDManager s = packed.parameters().manager().newSubManager()) {
                    norm = opt.step(1e-2, s);
                }
                assertTrue(expected > OPTIM.clipNorm(), "the step clips (norm " + expected + ")");
                assertEquals(expected, norm, 1e-5 * expected, "global gradient norm, step " + step);
                // Without zeroing, libtorch adds the next backward pass to these gradients.
                assertGradientsZero(plain.parameters(), "per-tensor AdamW");
                assertGradientsZero(packed.parameters(), "packed");
            }
            assertEquals(3, opt.steps());
            Map<String, float[]> a = plain.parameters().toHost();
            Map<String, float[]> b = packed.parameters().toHost();
            int moved = 0;
            for (String n : a.keySet()) {
                float[] x = a.get(n);
                float[] y = b.get(n);
                for (int i = 0; i < x.length; i++) {
                    // The two sum the squared gradients in different orders: the norms, and so the
                    // clipping factors, may differ in the last bits.
                    assertEquals(x[i], y[i], 1e-6f + 1e-5f * Math.abs(x[i]), n + "[" + i + "]");
                }
                moved++;
            }
            assertEquals(a.size(), moved);
            Map<String, NDArray> m = opt.firstMoments();
            assertEquals(a.keySet(), m.keySet(), "moments by name, for checkpoints");
        }
    }

    /**
     * float32 training has no loss scale, but a NaN gradient (a diverging batch, a bad sample)
     * must still skip the step: min(1, c/NaN) would be a NaN clipping factor that turns every
     * weight into NaN at once. The poisoning is the fp16 loss-scaling test's: one element of one
     * gradient, written through the gradient view.
     */
    @Test
    void aNanGradientInFloat32SkipsAndCountsTheStepAndLeavesTheWeights() {
        try (RqTransformer plain = RqTransformer.initialize(config(), CPU, 34);
                RqTransformer packed = TransformerOptimizer.pack(plain, DataType.FLOAT32);
                TransformerOptimizer opt = new TransformerOptimizer(packed.parameters(), OPTIM)) {
            packed.parameters().requireGradients(true);
            TokenBatch b = batch(packed, 7);
            Map<String, float[]> before = packed.parameters().toHost();
            String poisoned = packed.parameters().names().get(3);
            backward(packed, b);
            float norm;
            try (NDManager s = packed.parameters().manager().newSubManager()) {
                NDArray g = packed.parameters().gradient(poisoned, s);
                g.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
                norm = opt.step(1e-2, s);
            }
            assertTrue(Float.isNaN(norm), "the reported norm shows the NaN: " + norm);
            assertFalse(opt.lastStepApplied(), "a step with a NaN gradient is skipped");
            assertEquals(1, opt.lossScaler().skippedSteps(), "and counted");
            assertEquals(1.0, opt.lossScaler().scale(), "float32 keeps its scale of 1");
            assertEquals(0, opt.steps(), "AdamW's step count does not advance");
            Map<String, float[]> after = packed.parameters().toHost();
            for (String n : before.keySet()) {
                assertArrayEquals(before.get(n), after.get(n), n + ": weights untouched by a skipped step");
            }
            assertGradientsZero(packed.parameters(), "skipped step");

            // The next clean batch trains normally from the untouched weights.
            backward(packed, b);
            try (NDManager s = packed.parameters().manager().newSubManager()) {
                norm = opt.step(1e-2, s);
            }
            assertTrue(Float.isFinite(norm) && norm > 0, "gradient norm " + norm);
            assertTrue(opt.lastStepApplied());
            assertEquals(1, opt.steps());
            assertEquals(1, opt.lossScaler().skippedSteps());
            for (float[] v : packed.parameters().toHost().values()) {
                for (float x : v) {
                    assertTrue(Float.isFinite(x), "every weight finite after the clean step");
                }
            }
        }
    }

    @Test
    void unpackedWeightsAreRefusedWithAHint() {
        try (RqTransformer plain = RqTransformer.initialize(config(), CPU, 33)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TransformerOptimizer(plain.parameters(), OPTIM));
            assertTrue(e.getMessage().contains("TransformerOptimizer.pack"), e.getMessage());
        }
    }
}

package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.ModalitySpec;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TrainingOutput;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.masking.ModalityMasks;
import ai.hypnos.transformer.weights.ModelParameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * fp16 training ("fp16 model, fp32 master weights") of the {@code tiny} preset on the CPU against
 * the same model in float32. libtorch 2.7.1's CPU kernels cover every op of the model in float16
 * (matmul, LayerNorm, softmax, log-softmax, GELU, embedding, gather, cumsum, dropout, RoPE's
 * sin/cos products — forward and backward, measured; docs/gpu.md), so nothing here is skipped.
 *
 * <p>Tolerances (docs/gpu.md): float16 keeps 11 significant bits (relative rounding 2⁻¹¹ ≈ 4.9e-4
 * per operation); through two temporal blocks and the depth transformer the errors add up to
 * about 1e-3. Measured on the development machine: embeddings z 1.1e-3 of max |z| (bound 5e-3),
 * loss 2.3e-5 relative (bound 1e-3), all gradients together 1.0e-3 relative L2 (bound 5e-3),
 * each tensor at most 3.5e-3 (bound 1e-2) except the depth transformer's q/k projections, whose
 * gradients at initialisation are ~1e-8 (K = 2: attention over two levels is nearly
 * indifferent) and are held to an absolute 1e-4 of the whole gradient's norm instead.
 */
class MixedPrecisionTest {
    private static final Device CPU = Device.cpu();

    private static TransformerConfig tiny() {
        return Preset.TINY.config(List.of(new ModalitySpec("eeg_c3", "eeg", 2, 16), new ModalitySpec("eeg_c4", "eeg", 2, 16),
                new ModalitySpec("ecg", "ecg", 2, 16), new ModalitySpec("resp_abd", "resp", 2, 16)));
    }

    /** Tokens with structure (each modality repeats a short code pattern with noise), all present. */
    private static TokenBatch batch(ModalityLayout layout, int batch, int seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = layout.totalK();
        int[] tokens = new int[batch * seconds * k];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seconds; t++) {
                for (int c = 0; c < k; c++) {
                    tokens[(b * seconds + t) * k + c] = r.nextInt(4) == 0 ? r.nextInt(16) : (t + 3 * c + b) % 16;
                }
            }
        }
        int m = layout.numModalities();
        boolean[] presence = new boolean[batch * m];
        Arrays.fill(presence, true);
        int[] ch = new int[batch * m];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(TokenBatch.defaultChannelIds(layout), 0, ch, b * m, m);
        }
        return TokenBatch.of(batch, seconds, k, tokens, presence, ch);
    }

    private static RqTransformer halfOf(RqTransformer model) {
        Map<String, float[]> host = model.parameters().toHost();
        return RqTransformer.of(model.config(), ModelParameters.fromValues(model.parameters().layout(), CPU,
                DataType.FLOAT16, s -> host.get(s.name())), null, null);
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private static float[] host(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /**
     * Gradients of one forward + backward (float32: the loss; float16: the loss promoted to
     * float32 and multiplied by {@code scale}), divided by {@code scale}, by parameter name.
     */
    private static Map<String, float[]> gradients(RqTransformer model, TokenBatch b, ModalityMasks masks, float scale,
            float[] lossOut) {
        model.parameters().requireGradients(true);
        try (NDManager step = model.parameters().manager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TrainingOutput out = model.trainingForward(b, masks, step);
                NDArray loss = out.loss().mul(HostData.floats(step, new float[] {scale}, new Shape(1)));
                assertEquals(DataType.FLOAT32, loss.getDataType(), "the loss is promoted inside the graph");
                gc.backward(loss);
                lossOut[0] = out.lossValue();
            }
            Map<String, float[]> g = new LinkedHashMap<>();
            for (String n : model.parameters().names()) {
                float[] v = host(model.parameters().gradient(n, step));
                for (int i = 0; i < v.length; i++) {
                    v[i] /= scale;
                }
                g.put(n, v);
            }
            model.parameters().zeroGradients();
            return g;
        }
    }

    @Test
    void fp16ForwardOfTinyMatchesFp32WithinTolerance() {
        TransformerConfig c = tiny();
        try (RqTransformer f32 = RqTransformer.initialize(c, CPU, 11); RqTransformer f16 = halfOf(f32)) {
            TokenBatch b = batch(f32.layout(), 2, 24, 5);
            float[] z32;
            float[] z16;
            float loss32;
            float loss16;
            try (NDManager m = f32.parameters().manager().newSubManager()) {
                z32 = f32.temporalForward(b, m).toFloatArray();
                loss32 = f32.evaluate(b, m).lossValue();
            }
            try (NDManager m = f16.parameters().manager().newSubManager()) {
                NDArray z = f16.temporalForward(b, m);
                assertEquals(DataType.FLOAT16, z.getDataType(), "the forward runs in float16");
                z16 = host(z);
                loss16 = f16.evaluate(b, m).lossValue();
            }
            float rel = maxAbsDiff(z16, z32) / maxAbs(z32);
            assertTrue(rel < 5e-3, "embeddings z: max |fp16 - fp32| / max |fp32| = " + rel);
            assertEquals(loss32, loss16, 1e-3 * loss32, "validation loss (nats)");
        }
    }

    @Test
    void fp16GradientsReachEveryParameterAndAgreeWithFp32() {
        TransformerConfig c = tiny();
        try (RqTransformer f32 = RqTransformer.initialize(c, CPU, 12); RqTransformer f16 = halfOf(f32)) {
            TokenBatch b = batch(f32.layout(), 2, 24, 6);
            ModalityMasks masks = ModalityMasker.inference(c, b.batch(), b.presence());
            float[] loss32 = new float[1];
            float[] loss16 = new float[1];
            Map<String, float[]> g32 = gradients(f32, b, masks, 1f, loss32);
            Map<String, float[]> g16 = gradients(f16, b, masks, 1024f, loss16);
            assertEquals(loss32[0], loss16[0], 1e-3 * loss32[0], "training loss (nats)");
            assertEquals(g32.keySet(), g16.keySet());
            double total = 0;
            double totalError = 0;
            Map<String, double[]> normAndError = new LinkedHashMap<>();
            for (String n : g32.keySet()) {
                float[] a = g32.get(n);
                float[] h = g16.get(n);
                assertTrue(maxAbs(h) > 0, n + ": no float16 gradient (graph cut?)");
                double error = 0;
                for (int i = 0; i < a.length; i++) {
                    error += (double) (h[i] - a[i]) * (h[i] - a[i]);
                }
                double n32 = norm(a);
                normAndError.put(n, new double[] {n32, Math.sqrt(error)});
                total += n32 * n32;
                totalError += error;
            }
            total = Math.sqrt(total);
            assertTrue(Math.sqrt(totalError) / total < 5e-3, "relative L2 error of all gradients together: "
                    + Math.sqrt(totalError) / total);
            for (Map.Entry<String, double[]> e : normAndError.entrySet()) {
                double n32 = e.getValue()[0];
                double error = e.getValue()[1];
                // 1e-2 relative per tensor; tensors whose gradient is below 1e-4 of the whole (the depth
                // transformer's q/k projections at initialisation: ~1e-8) are held to that absolute level.
                assertTrue(error <= 1e-2 * n32 + 1e-4 * total, e.getKey() + ": |g16 - g32| " + error + ", |g32| " + n32
                        + ", all gradients " + total);
            }
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheStepAndHalvesTheScaleAndCleanStepsDoubleIt() {
        TransformerConfig c = tiny();
        PretrainConfig.Optim optim = new PretrainConfig.Optim(10, 1e-3, 0.1, 0, 0.9, 0.95, 1e-8, 0.1, 1.0);
        try (RqTransformer init = RqTransformer.initialize(c, CPU, 13);
                RqTransformer master = TransformerOptimizer.pack(init, DataType.FLOAT32);
                RqTransformer half = TransformerOptimizer.pack(master, DataType.FLOAT16);
                // Segments of 1,000 elements: the copy back to float16 goes segment by segment, as on a CPU.
                TransformerOptimizer opt = new TransformerOptimizer(master.parameters(), half.parameters(), optim,
                        LossScaler.dynamic(65536, 3), 1000)) {
            assertTrue(opt.mixedPrecision());
            half.parameters().requireGradients(true);
            TokenBatch b = batch(master.layout(), 2, 16, 7);
            ModalityMasks masks = ModalityMasker.inference(c, b.batch(), b.presence());
            Map<String, float[]> before = master.parameters().toHost();
            String poisoned = half.parameters().names().get(3);

            backward(half, b, masks, opt.lossScaler().scale());
            try (NDManager s = half.parameters().manager().newSubManager()) {
                NDArray g = half.parameters().gradient(poisoned, s);
                g.set(new NDIndex("0"), Float.POSITIVE_INFINITY); // one element of one gradient overflows
                opt.step(1e-3, s);
            }
            assertFalse(opt.lastStepApplied(), "a step with an infinite gradient is skipped");
            assertEquals(32768.0, opt.lossScaler().scale(), "and the scale halves");
            assertEquals(1, opt.lossScaler().skippedSteps());
            assertEquals(0, opt.steps(), "AdamW's step count (bias correction) does not advance");
            Map<String, float[]> afterSkip = master.parameters().toHost();
            for (String n : before.keySet()) {
                assertArrayEquals(before.get(n), afterSkip.get(n), n + ": master weights untouched by a skipped step");
            }
            assertGradientsZero(half);

            for (int i = 1; i <= 3; i++) {
                backward(half, b, masks, opt.lossScaler().scale());
                try (NDManager s = half.parameters().manager().newSubManager()) {
                    float norm = opt.step(1e-3, s);
                    assertTrue(Float.isFinite(norm) && norm > 0, "unscaled gradient norm " + norm);
                }
                assertTrue(opt.lastStepApplied(), "clean step " + i);
                assertEquals(i < 3 ? 32768.0 : 65536.0, opt.lossScaler().scale(), "scale after clean step " + i);
            }
            assertEquals(3, opt.steps());
            Map<String, float[]> master3 = master.parameters().toHost();
            Map<String, float[]> half3 = half.parameters().toHost();
            int changed = 0;
            for (String n : before.keySet()) {
                changed += Arrays.equals(before.get(n), master3.get(n)) ? 0 : 1;
                float[] rounded = roundToHalf(master3.get(n));
                assertArrayEquals(rounded, half3.get(n), n + ": the float16 weights are the rounded masters");
            }
            assertEquals(before.size(), changed, "every master tensor moved");
        }
    }

    private static void backward(RqTransformer half, TokenBatch b, ModalityMasks masks, double scale) {
        try (NDManager step = half.parameters().manager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            TrainingOutput out = half.trainingForward(b, masks, step);
            gc.backward(out.loss().mul(HostData.floats(step, new float[] {(float) scale}, new Shape(1))));
        }
    }

    private static void assertGradientsZero(RqTransformer model) {
        try (NDManager s = model.parameters().manager().newSubManager()) {
            for (String n : model.parameters().names()) {
                assertEquals(0f, maxAbs(host(model.parameters().gradient(n, s))), n + ": gradient zeroed");
            }
        }
    }

    private static float[] roundToHalf(float[] v) {
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            return host(m.create(v).toType(DataType.FLOAT16, false));
        }
    }
}

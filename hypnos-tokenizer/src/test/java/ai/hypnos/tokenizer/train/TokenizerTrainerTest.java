package ai.hypnos.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training works (a tiny tokenizer on synthetic EEG reconstructs much better after 300 steps and
 * uses most of its codes) and resumes exactly (stopping, checkpointing and resuming gives the
 * same weights, codebooks and optimiser state as running straight through).
 */
class TokenizerTrainerTest {
    @TempDir
    Path dir;

    private static SignalSet data() {
        return SignalSet.synthetic(SignalType.EEG, 128, 16, 300, 7);
    }

    /** Mean squared reconstruction error from all levels relative to the signal power: 10^(−SNR/10). */
    private static double relativeError(TokenizerTrainer.Metrics m) {
        return Math.pow(10, -m.snrDb()[m.snrDb().length - 1] / 10);
    }

    @Test
    void tinyTokenizerLearnsAndUsesMostOfItsCodes() {
        TrainingConfig cfg = TokenizerPreset.TINY.training();
        try (TokenizerTrainer t = TokenizerTrainer.create(TokenizerPreset.TINY.config(SignalType.EEG), SignalType.EEG, data(), cfg,
                300, Device.cpu())) {
            double before = relativeError(t.evaluate());
            for (int i = 0; i < 300; i++) {
                TokenizerTrainer.StepResult r = t.trainStep();
                assertTrue(Double.isFinite(r.loss()) && Double.isFinite(r.gradNorm()), "step " + i + ": " + r);
            }
            TokenizerTrainer.Metrics after = t.evaluate();
            double ratio = before / relativeError(after);
            // Untrained: error ≈ 1.1 × signal power; after 300 steps ≈ 0.55 (SNR ≈ +2.6 dB).
            assertTrue(ratio > 1.6, "reconstruction error fell by a factor " + ratio + " (SNR " + Arrays.toString(after.snrDb()) + ")");
            for (int k = 0; k < after.codebookUse().length; k++) {
                assertTrue(after.codebookUse()[k] > 0.5, "level " + k + " uses " + after.codebookUse()[k] + " of its codes");
                assertTrue(after.perplexity()[k] > 8, "level " + k + " perplexity " + after.perplexity()[k]);
            }
            // SNR grows (weakly) with the number of levels decoded.
            double[] snr = after.snrDb();
            assertTrue(snr[snr.length - 1] >= snr[0] - 0.05, Arrays.toString(snr));
        }
    }

    @Test
    void resumingFromACheckpointEqualsRunningStraightThrough() throws IOException {
        TrainingConfig cfg = TokenizerPreset.TINY.training().withSeed(5);
        int total = 14;
        Map<String, float[]> straight;
        float[] straightCodes;
        long[] straightUsage;
        TokenizerTrainer.Metrics straightMetrics;
        try (TokenizerTrainer t = TokenizerTrainer.create(TokenizerPreset.TINY.config(SignalType.EEG), SignalType.EEG, data(), cfg,
                total, Device.cpu())) {
            for (int i = 0; i < total; i++) {
                t.trainStep();
            }
            straight = snapshot(t);
            straightCodes = t.tokenizer().quantizer().levels().get(1).embedding().toFloatArray();
            straightUsage = t.tokenizer().quantizer().levels().get(0).usageCount().toLongArray();
            straightMetrics = t.evaluate();
        }
        Path ckpt = dir.resolve("step-6.safetensors");
        try (TokenizerTrainer t = TokenizerTrainer.create(TokenizerPreset.TINY.config(SignalType.EEG), SignalType.EEG, data(), cfg,
                total, Device.cpu())) {
            for (int i = 0; i < 6; i++) {
                t.trainStep();
            }
            t.saveCheckpoint(ckpt);
            t.trainStep(); // work after the checkpoint is lost, as in a crash
        }
        try (TokenizerTrainer t = TokenizerTrainer.resume(ckpt, data(), Device.cpu())) {
            assertEquals(6, t.step());
            while (t.step() < total) {
                t.trainStep();
            }
            Map<String, float[]> resumed = snapshot(t);
            assertEquals(straight.keySet(), resumed.keySet());
            for (String k : straight.keySet()) {
                assertArrayEquals(straight.get(k), resumed.get(k), 0f, k);
            }
            VectorQuantizer level1 = t.tokenizer().quantizer().levels().get(1);
            assertArrayEquals(straightCodes, level1.embedding().toFloatArray(), 0f);
            assertArrayEquals(straightUsage, t.tokenizer().quantizer().levels().get(0).usageCount().toLongArray());
            // The metrics too: the codebook monitor's window and the dead-code count are in the checkpoint.
            TokenizerTrainer.Metrics m = t.evaluate();
            assertEquals(straightMetrics.deadCodesReplaced(), m.deadCodesReplaced());
            assertArrayEquals(straightMetrics.codebookUse(), m.codebookUse(), 0);
            assertArrayEquals(straightMetrics.perplexity(), m.perplexity(), 0);
            assertArrayEquals(straightMetrics.snrDb(), m.snrDb(), 0);
        }
    }

    /** The dead-code counts (a metric, not training state) survive a checkpoint too. */
    @Test
    void deadCodeCountsComeBackFromACheckpoint() throws IOException {
        TrainingConfig cfg = TokenizerPreset.TINY.training().withSeed(5);
        Path ckpt = dir.resolve("counts.safetensors");
        try (TokenizerTrainer t = TokenizerTrainer.create(TokenizerPreset.TINY.config(SignalType.EEG), SignalType.EEG, data(), cfg,
                4, Device.cpu())) {
            t.trainStep();
            t.tokenizer().quantizer().levels().get(1).replacedCount().set(new ai.djl.ndarray.index.NDIndex(":"), 3f);
            t.saveCheckpoint(ckpt);
        }
        try (TokenizerTrainer t = TokenizerTrainer.resume(ckpt, data(), Device.cpu())) {
            assertEquals(0f, t.tokenizer().quantizer().levels().get(0).replacedCount().toFloatArray()[0]);
            assertEquals(3f, t.tokenizer().quantizer().levels().get(1).replacedCount().toFloatArray()[0]);
            assertEquals(3.0, t.evaluate().deadCodesReplaced());
        }
    }

    private static Map<String, float[]> snapshot(TokenizerTrainer t) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : t.tokenizer().namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /**
     * The shortest window is exactly the one the model accepts: the constructor rejects one token
     * less, with the window and the minimum in the message, and the model itself indeed fails on
     * it. Tiny preset: the decoder's first conv (kernel 7, one frame per token) needs 7 tokens;
     * with last_kernel_size 11 the encoder's final conv (window + 1 frames) needs 10.
     */
    @Test
    void theShortestWindowIsAcceptedAndOneTokenLessIsRejectedClearly() {
        TokenizerConfig tiny = TokenizerPreset.TINY.config(SignalType.EEG);
        assertShortestWindow(tiny, 7);
        assertShortestWindow(tiny.toBuilder().lastKernelSize(11).build(), 10);
    }

    private void assertShortestWindow(TokenizerConfig tok, int shortest) {
        TrainingConfig ok = TokenizerPreset.TINY.training().withBatch(2, shortest);
        try (TokenizerTrainer t = TokenizerTrainer.create(tok, SignalType.EEG, data(), ok, 10, Device.cpu())) {
            assertEquals(shortest, t.tokenizer().minimumTrainingTokens());
            assertTrue(Double.isFinite(t.trainStep().loss()));
            assertTrue(Double.isFinite(t.evaluate().snrDb()[0]));
            // One token less really is too short for the model, not just for the check.
            try (NDManager scope = t.tokenizer().manager().newSubManager()) {
                NDArray x = scope.zeros(new Shape(1, 1, (shortest - 1) * 128L));
                assertThrows(IllegalArgumentException.class, () -> t.tokenizer().trainForward(x, new Rng(1)));
            }
        }
        TrainingConfig tooShort = TokenizerPreset.TINY.training().withBatch(2, shortest - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerTrainer.create(tok, SignalType.EEG, data(), tooShort, 10, Device.cpu()));
        assertTrue(e.getMessage().contains("window_seconds " + (shortest - 1)) && e.getMessage().contains("at least " + shortest),
                e.getMessage());
    }

    @Test
    void learningRateWarmsUpThenFollowsTheCosine() {
        TrainingConfig c = TokenizerPreset.TINY.training().withSchedule(1e-3, 10);
        assertEquals(1e-4, c.learningRate(0, 110), 1e-12);
        assertEquals(1e-3, c.learningRate(9, 110), 1e-12);
        assertEquals(1e-3, c.learningRate(10, 110), 1e-12);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), c.learningRate(60, 110), 1e-12);
        assertEquals(1e-4, c.learningRate(110, 110), 1e-12);
    }
}

package ai.hypnos.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.TokenizerPreset;
import org.junit.jupiter.api.Test;

/**
 * Training interleaved with evaluation leaves no NDArray behind under the tokenizer's manager
 * (which holds the weights, the codebooks and their search tables, and the trainer's optimiser
 * and metrics). Every training step invalidates the quantizer's search tables and every
 * evaluation rebuilds them, level by level; a rebuild that leaves a temporary in the quantizer's
 * long-lived manager leaks a [V, D] array per level per evaluation (≈ 16 MB for the base EEG
 * tokenizer).
 *
 * <p>(Resident memory is checked for encoding in {@code MemoryTest}; this one counts arrays only,
 * which is exact whatever else runs in the JVM.)
 */
class TrainingMemoryTest {

    @Test
    void trainingAndEvaluatingInTurnLeaveNoArraysBehind() {
        TrainingConfig cfg = TokenizerPreset.TINY.training().withBatch(2, 8);
        SignalSet data = SignalSet.synthetic(SignalType.EEG, 128, 4, 60, 3);
        try (TokenizerTrainer t = TokenizerTrainer.create(TokenizerPreset.TINY.config(SignalType.EEG), SignalType.EEG, data, cfg,
                100, Device.cpu())) {
            NDManager model = t.tokenizer().manager();
            // Warm-up: the first steps run k-means level by level and create the optimiser's moments.
            for (int i = 0; i < t.tokenizer().numQuantizers() + 1; i++) {
                t.trainStep();
                t.evaluate();
            }
            int arrays = model.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                t.trainStep();
                t.evaluate();
            }
            assertEquals(arrays, model.getManagedArrays().size(), "arrays under the tokenizer's manager");
        }
    }
}

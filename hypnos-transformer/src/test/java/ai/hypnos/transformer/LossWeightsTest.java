package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The total loss is the (weighted) mean of the per-modality losses over modalities in the batch. */
class LossWeightsTest {

    @Test
    void totalIsTheWeightedMeanOfPresentModalities() {
        Map<String, Double> w = Map.of("eeg_c3", 2.0, "eeg_c4", 1.0, "ecg", 0.5, "resp_abd", 3.0);
        TransformerConfig c = Preset.TINY.builder(TestModels.fourModalities()).modalityLossWeights(w).build();
        try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), 8);
                NDManager m = model.parameters().manager().newSubManager()) {
            TokenBatch b = TestModels.randomBatch(model.layout(), 2, 10, 3);
            boolean[] presence = b.presence();
            presence[3] = false; // resp_abd absent from sample 0...
            presence[4 + 3] = false; // ...and from sample 1: not in the batch at all
            presence[4 + 2] = false; // ecg absent from sample 1 only
            TrainingOutput out = model.evaluate(b.withPresence(presence), m);
            float[] per = out.perModalityLoss();
            assertEquals(true, Float.isNaN(per[3]));
            double expected = (2.0 * per[0] + 1.0 * per[1] + 0.5 * per[2]) / 3.5;
            assertEquals(expected, out.lossValue(), 1e-5);
            // At initialisation every code is about equally likely: CE ≈ ln V per level.
            for (int i = 0; i < 3; i++) {
                assertEquals(Math.log(16), per[i], 0.3);
            }
        }
    }
}

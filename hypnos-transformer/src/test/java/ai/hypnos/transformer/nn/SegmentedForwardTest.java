package ai.hypnos.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TestModelsAccess;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A chunk computed in segments (each block carrying its last W keys and values to the next
 * segment) equals the chunk computed whole, for sliding and global windows, QK-norm, XSA, segment
 * lengths that do and do not divide the chunk, and a recording with absent modalities.
 */
class SegmentedForwardTest {

    @ParameterizedTest(name = "window {0}/{1}, segment {2}, {3} s, qk-norm + xsa {4}")
    @CsvSource({
            "4, 4, 8, 40, false",
            "4, 4, 12, 43, false",
            "4, 8, 8, 45, true",
            "4, 8, 16, 64, false",
            "8, 8, 8, 9, true"})
    void segmentsEqualTheWholeChunk(int window, int globalWindow, int segment, int seconds, boolean extras) {
        TransformerConfig c = Preset.TINY.builder(TestModelsAccess.fourModalities()).slidingWindow(window)
                .globalWindow(globalWindow).globalEveryN(2).qkNorm(extras).xsa(extras).build();
        try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), 11);
                NDManager manager = model.parameters().manager().newSubManager()) {
            TemporalTransformer t = model.temporal();
            int m = 4;
            int d = c.embedDim();
            SplittableRandom r = new SplittableRandom(seconds);
            float[] x = new float[2 * m * seconds * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            boolean[] presence = {true, true, true, true, true, false, true, false};
            ModalityAttentionMask mask = ModalityAttentionMask.of(2, m, presence, null);
            NDArray input = manager.create(x, new Shape(2, m, seconds, d));
            ForwardContext wholeCtx = new ForwardContext(manager.newSubManager(), false, DataType.FLOAT32);
            // Shorter than a CPU segment: forward() runs the chunk whole.
            assertTrue(seconds < t.segmentLength(TemporalTransformer.SEGMENT_VALUES / d));
            float[] whole = t.forward(input, mask, wholeCtx).toFloatArray();
            ForwardContext segCtx = new ForwardContext(manager.newSubManager(), false, DataType.FLOAT32);
            float[] segmented = t.forwardInSegments(input, mask, segment, segCtx).toFloatArray();
            assertEquals(whole.length, segmented.length);
            double worst = 0;
            for (int i = 0; i < whole.length; i++) {
                worst = Math.max(worst, Math.abs(whole[i] - segmented[i]));
            }
            assertTrue(worst < 1e-5, "segmented differs from whole by " + worst);
        }
    }
}

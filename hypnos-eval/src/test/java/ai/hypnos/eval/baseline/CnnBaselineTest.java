package ai.hypnos.eval.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.Predictions;
import ai.hypnos.eval.protocol.Scoring;
import ai.hypnos.eval.protocol.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The supervised CNN on a tiny task: two channels at 16 Hz, class = dominant frequency. */
class CnnBaselineTest {
    static final double FS = 16;
    static final List<String> CLASSES = List.of("slow", "mid", "fast");

    static SignalRecording recording(String subject, int epochs, SplittableRandom rng) {
        double[] freq = {0.7, 2.5, 5.5};
        int per = (int) (30 * FS);
        float[][] x = new float[2][epochs * per];
        int[] labels = new int[epochs];
        int label = rng.nextInt(3);
        for (int e = 0; e < epochs; e++) {
            if (rng.nextDouble() < 0.4) {
                label = rng.nextInt(3);
            }
            labels[e] = e == 3 ? -1 : label;
            for (int c = 0; c < 2; c++) {
                double phase = rng.nextDouble() * 6.28;
                for (int i = 0; i < per; i++) {
                    x[c][e * per + i] = (float) (Math.sin(2 * Math.PI * freq[label] * i / FS + phase) + 0.5 * rng.nextGaussian());
                }
            }
        }
        return new SignalRecording(subject, subject + "-night", x, FS, labels);
    }

    @Test
    void learnsDominantFrequencyAndScoresLikeTheProbes() {
        SplittableRandom rng = new SplittableRandom(3);
        List<SignalRecording> recs = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            recs.add(recording("s" + s, 16, rng));
        }
        CnnBaseline cnn = new CnnBaseline(CnnBaseline.Options.defaults().withFilters(8).withMaxEpochs(12)
                .withBatchSize(16).withLearningRate(3e-3).withSeed(1));
        Split split = new Split("test", List.of("s0", "s1", "s2", "s3"), List.of("s4", "s5"));
        EvaluationResult r = cnn.crossValidate(recs, CLASSES, List.of(split), new Scoring(new Bootstrap(50, 0.95, 0), true), "fixed");
        assertEquals(2 * 15, r.pooled().size(), "unscored epoch 3 of each test night skipped");
        assertTrue(r.overall().accuracy() > 0.8, "accuracy " + r.overall().accuracy());
        Predictions p = r.pooled();
        for (double[] row : p.proba()) {
            assertEquals(1.0, row[0] + row[1] + row[2], 1e-5);
        }
    }

    @Test
    void deviceNames() {
        assertEquals(ai.djl.Device.cpu(), CnnBaseline.device("cpu"));
        assertEquals(ai.djl.Device.gpu(0), CnnBaseline.device("gpu"));
        assertEquals(ai.djl.Device.gpu(1), CnnBaseline.device("GPU:1"));
        assertThrows(IllegalArgumentException.class, () -> CnnBaseline.device("tpu"));
    }

    @Test
    void rejectsMismatchedRecordings() {
        SplittableRandom rng = new SplittableRandom(4);
        SignalRecording a = recording("a", 4, rng);
        SignalRecording b = new SignalRecording("b", "b", new float[][] {new float[480 * 4]}, FS, new int[] {0, 1, 2, 0});
        CnnBaseline cnn = new CnnBaseline(CnnBaseline.Options.defaults().withMaxEpochs(1));
        assertThrows(IllegalArgumentException.class, () -> cnn.fit(List.of(a, b), 3));
        assertThrows(IllegalArgumentException.class, () -> new SignalRecording("c", "c", new float[][] {new float[3], new float[4]}, FS, new int[0]));
    }
}

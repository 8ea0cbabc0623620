package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole per-modality pipelines against scipy, streaming against batch, and bad input. */
class ModalityPipelineTest {

    @Test
    void pipelinesEqualScipyAtSeveralSourceRates() {
        for (JsonNode c : Golden.get("pipeline")) {
            PipelineGoldens.check(c, 1e-5);
        }
    }

    @Test
    void streamingEqualsBatchForRandomBlockSizes() {
        Random rng = new Random(21);
        Object[][] cases = {
            {Modality.EEG_C3, 256.0, 75}, {Modality.ECG, 250.0, 70}, {Modality.RESP_ABD, 10.0, 90},
            {Modality.RESP_THX, 32.0, 70}, {Modality.EMG_CHIN, 128.0, 65}, {Modality.EOG_E1, 255.5, 64},
            {Modality.EEG_C4, 200.0, 20}};
        for (Object[] c : cases) {
            Modality m = (Modality) c[0];
            double fs = (double) c[1];
            int n = (int) Math.round((int) c[2] * fs);
            double[] x = SynthSignal.generate(n, fs, n);
            // A NaN run must stream the same way too.
            Arrays.fill(x, n / 3, n / 3 + 40, Double.NaN);
            ModalityPipeline pipeline = new ModalityPipeline(m, PreprocessOptions.defaults().withNotchHz(60));
            float[] batch = pipeline.process(x, fs).samples();
            StreamingPipeline stream = pipeline.stream(fs);
            float[] streamed = StreamTesting.pushInRandomBlocks(stream, x, rng);
            assertArrayEquals(batch, streamed, m + " @" + fs);
            assertEquals(List.of(new SampleGap(n / 3, 40)), stream.gaps());
        }
    }

    @Test
    void immediateStreamingDiffersOnlyInTheFirstMinute() {
        double fs = 256;
        double[] x = SynthSignal.generate(90 * 256, fs, 4);
        PreprocessOptions options = PreprocessOptions.defaults().withStreamingStartup(EmaNormalizer.Startup.IMMEDIATE);
        ModalityPipeline pipeline = new ModalityPipeline(Modality.EEG_C3, options);
        float[] batch = pipeline.process(x, fs).samples();
        StreamingPipeline stream = pipeline.stream(fs);
        float[] first = stream.push(x, 0, 256 * 2);
        assertTrue(first.length > 200, "emits during the first minute");
        float[] all = StreamTesting.concat(first, StreamTesting.pushInRandomBlocks(stream,
                Arrays.copyOfRange(x, 512, x.length), new Random(1)));
        assertEquals(batch.length, all.length);
        for (int i = 60 * 128; i < batch.length; i++) {
            assertEquals(batch[i], all[i], 0f, "sample " + i);
        }
    }

    @Test
    void nanRunsAreFilledAndReportedNotSpreadThroughTheNight() {
        double fs = 256;
        double[] x = SynthSignal.generate(300 * 256, fs, 8);
        Arrays.fill(x, 100 * 256, 110 * 256, Double.NaN);
        x[5] = Double.NEGATIVE_INFINITY;
        PreprocessedSignal out = new ModalityPipeline(Modality.EEG_C3, PreprocessOptions.defaults()).process(x, fs);
        for (float v : out.samples()) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(List.of(new SampleGap(5, 1), new SampleGap(100 * 256, 10 * 256)), out.gaps());
        assertEquals(100.0, out.gaps().get(1).startSeconds(fs));
        assertTrue(out.notes().get(0).contains("2561 non-finite samples"), out.notes().toString());
    }

    @Test
    void flatChannelsGiveZerosAndAreFlagged() {
        double[] x = new double[128 * 90];
        Arrays.fill(x, 812.0);
        PreprocessedSignal out = new ModalityPipeline(Modality.ECG, PreprocessOptions.defaults()).process(x, 128);
        assertTrue(out.flat());
        for (float v : out.samples()) {
            assertEquals(0f, v, 1e-3f);
        }
        assertTrue(out.notes().stream().anyMatch(s -> s.contains("flat")));
    }

    @Test
    void emptyShortAndBadInput() {
        ModalityPipeline eeg = new ModalityPipeline(Modality.EEG_C3, PreprocessOptions.defaults());
        assertEquals(0, eeg.process(new double[0], 256).samples().length);
        // One sample resamples to one; a few samples still go through every stage.
        assertEquals(1, eeg.process(new double[] {3}, 256).samples().length);
        float[] shortOut = eeg.process(new double[] {1, 5, 2, 8, 3, 9, 4}, 256).samples();
        assertEquals(4, shortOut.length);
        for (float v : shortOut) {
            assertTrue(Float.isFinite(v));
        }
        assertThrows(IllegalArgumentException.class, () -> eeg.process(new double[] {Double.NaN, Double.NaN}, 256));
        assertThrows(IllegalArgumentException.class, () -> eeg.process(new double[10], 0));
        assertThrows(IllegalArgumentException.class, () -> eeg.process(new double[10], Double.NaN));
        // Zero-phase needs more samples than scipy's padding and cannot stream.
        ModalityPipeline zeroPhase = new ModalityPipeline(Modality.EEG_C3, PreprocessOptions.defaults().withZeroPhase(true));
        assertThrows(IllegalArgumentException.class, () -> zeroPhase.process(new double[20], 128));
        assertThrows(UnsupportedOperationException.class, () -> zeroPhase.stream(128));
    }

    @Test
    void nonIntegerRateIsResampledAtItsTrueRate() {
        // 255.5 Hz (511 samples per 2 s record): 64 s in, 64 s out, at 128 Hz.
        double fs = 255.5;
        double[] x = SynthSignal.generate(511 * 32, fs, 3);
        PreprocessedSignal out = new ModalityPipeline(Modality.EEG_C3, PreprocessOptions.defaults()).process(x, fs);
        assertEquals(64 * 128, out.samples().length);
        assertEquals(256, out.ratio().up());
        assertEquals(511, out.ratio().down());
        assertFalse(out.flat());
    }

    @Test
    void respirationHasNoNotchAndEcgKeepsLowFrequencies() {
        assertFalse(FilterSpec.of(Modality.RESP_ABD.signalType()).notch());
        assertFalse(FilterSpec.of(Modality.RESP_ABD.signalType()).isBandPass());
        assertEquals(0.05, FilterSpec.of(Modality.ECG.signalType()).highPassHz());
        assertEquals(4, new ModalityPipeline(Modality.EOG_E2, PreprocessOptions.defaults()).bandFilter().sectionCount());
        assertEquals(2, new ModalityPipeline(Modality.RESP_THX, PreprocessOptions.defaults()).bandFilter().sectionCount());
    }
}

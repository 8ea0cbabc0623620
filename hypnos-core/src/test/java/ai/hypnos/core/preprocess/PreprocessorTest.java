package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.recording.InMemoryRecording;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole-recording entry point: resolution in, one float32 signal per present modality out. */
class PreprocessorTest {

    private static ChannelResolution night(int seconds) {
        double[] nanChannel = new double[seconds * 10];
        Arrays.fill(nanChannel, Double.NaN);
        InMemoryRecording rec = InMemoryRecording.builder()
                .signal("C3-M2", "uV", 256, SynthSignal.generate(seconds * 256, 256, 1))
                .signal("C4-M1", "uV", 256, SynthSignal.generate(seconds * 256, 256, 2))
                .signal("E1-M2", "uV", 200, SynthSignal.generate(seconds * 200, 200, 3))
                .signal("Chin1-Chin2", "uV", 512, SynthSignal.generate(seconds * 512, 512, 4))
                .signal("ECG", "mV", 250, SynthSignal.generate(seconds * 250, 250, 5))
                .signal("ABD", "", 10, SynthSignal.generate(seconds * 10, 10, 6))
                .signal("THX", "", 10, nanChannel)
                .build();
        return ChannelResolver.defaults().resolve(rec);
    }

    @Test
    void processesEveryPresentModalityAtItsTargetRate() throws IOException {
        ChannelResolution channels = night(120);
        PreprocessResult result = new Preprocessor(PreprocessOptions.defaults().withThreads(2)).run(channels);
        assertEquals(EnumSet.of(Modality.EEG_C3, Modality.EEG_C4, Modality.EOG_E1, Modality.EMG_CHIN, Modality.ECG,
                Modality.RESP_ABD), result.signals().keySet());
        for (PreprocessedSignal s : result.signals().values()) {
            assertEquals(120 * s.modality().sampleRate(), s.samples().length, s.modality().key());
        }
        // The all-NaN belt is reported, not a failure of the whole recording.
        assertEquals(List.of(Modality.RESP_THX), List.copyOf(result.skipped().keySet()));
        assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("resp_thx: skipped")), result.notes().toString());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreadsAndEqualPerSignalProcessing() throws IOException {
        ChannelResolution channels = night(90);
        Map<Modality, float[]> one = new Preprocessor(PreprocessOptions.defaults().withThreads(1)).process(channels);
        Map<Modality, float[]> four = new Preprocessor(PreprocessOptions.defaults().withThreads(4)).process(channels);
        assertEquals(one.keySet(), four.keySet());
        Preprocessor p = new Preprocessor(PreprocessOptions.defaults());
        for (Modality m : one.keySet()) {
            assertArrayEquals(one.get(m), four.get(m), m.key());
            assertArrayEquals(p.process(m, channels.read(m), channels.sampleRate(m)), one.get(m), m.key());
        }
    }

    @Test
    void modalitySubsetAndNotchOption() throws IOException {
        ChannelResolution channels = night(70);
        PreprocessOptions options = PreprocessOptions.defaults().withModalities(List.of(Modality.EEG_C3, Modality.RESP_THX));
        Map<Modality, float[]> out = new Preprocessor(options).process(channels);
        assertEquals(EnumSet.of(Modality.EEG_C3), out.keySet());
        float[] at50 = out.get(Modality.EEG_C3);
        float[] at60 = new Preprocessor(options.withNotchHz(60)).process(channels).get(Modality.EEG_C3);
        assertEquals(at50.length, at60.length);
        assertTrue(!Arrays.equals(at50, at60), "the notch frequency matters");
    }
}

package ai.hypnos.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.synth.NightFiles;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.stream.StreamedSecond;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link StreamRecording} over 90 s of a synthetic night (C3 and ECG, to keep it short) and
 * checks that what it streamed second by second is what batch embedding gives for the same file.
 */
class StreamRecordingTest {
    @TempDir
    Path dir;

    @Test
    void streamedSecondsEqualBatchEmbedding() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny.safetensors"), 7);
        NightFiles night = DemoNight.write(dir, 1.5, 42);
        List<String> modalities = List.of("eeg_c3", "ecg");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StreamRecording.Result r = StreamRecording.run(bundle, night.recording(), Integer.MAX_VALUE, modalities,
                new PrintStream(text, true, StandardCharsets.UTF_8));

        Embeddings batch;
        try (HypnosModel model = Hypnos.load(bundle, LoadOptions.defaults().withOutputType(OutputType.FLOAT32))) {
            batch = model.embed(night.recording(), model.options().embedDefaults().withModalities(modalities));
        }
        assertEquals(modalities, batch.present());
        assertEquals(batch.seconds(), r.seconds().size(), "one streamed second per batch row");
        int d = batch.dim();
        float[] mean = batch.mean().toFloatArray();
        float[] c3 = batch.matrix("eeg_c3").toFloatArray();
        for (int t = 0; t < batch.seconds(); t++) {
            StreamedSecond s = r.seconds().get(t);
            assertEquals(t, s.second());
            for (int j = 0; j < d; j++) {
                assertEquals(mean[t * d + j], s.mean()[j], 1e-4, "mean, second " + t + ", column " + j);
                assertEquals(c3[t * d + j], s.modality("eeg_c3")[j], 1e-4, "eeg_c3, second " + t + ", column " + j);
            }
        }

        // The first minute is held for the normaliser's statistics, then one second per pushed second.
        assertEquals(90, r.emittedPer().length, "90 pushed seconds");
        int firstOut = 0;
        while (firstOut < r.emittedPer().length && r.emittedPer()[firstOut] == 0) {
            firstOut++;
        }
        assertTrue(firstOut >= 58 && firstOut <= 61, "first output after " + firstOut + " s");
        for (int t = firstOut + 2; t < r.emittedPer().length; t++) {
            assertTrue(r.emittedPer()[t] <= 2, "second " + t + " emitted " + r.emittedPer()[t]);
        }
        assertTrue(r.steadyLatencyMs(0.5) > 0);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("steady-state latency per second"));
    }
}

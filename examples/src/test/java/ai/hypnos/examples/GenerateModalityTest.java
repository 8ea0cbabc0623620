package ai.hypnos.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.synth.NightFiles;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.embed.generate.Generated;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link GenerateModality} on the first 20 s of a synthetic night: the ECG is imputed from
 * the seven other modalities and written as EDF+, which is read back.
 */
class GenerateModalityTest {
    @TempDir
    Path dir;

    @Test
    void imputesEcgFromTheOthersAndWritesItAsEdf() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny.safetensors"), 7);
        NightFiles night = DemoNight.write(dir, 1, 42);
        Path out = dir.resolve("ecg.edf");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        GenerateModality.Result r = GenerateModality.run(bundle, night.recording(), "ecg", 20, out, 3,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        Generated g = r.generated();
        int seconds = g.tokens().length;
        float[] wave = g.waveforms().get("ecg");
        assertEquals(List.of("ecg"), g.modalities());
        assertEquals(128, g.sampleRates().get("ecg"));
        assertEquals(20, seconds);
        assertEquals(seconds * 128, wave.length, "one token decodes to one second at 128 Hz");

        try (HypnosModel model = Hypnos.load(bundle); Recording file = Recordings.open(night.recording())) {
            Recording rec = GenerateModality.firstSeconds(file, 20);
            // The conditioning modalities keep the recording's own tokens; the ECG columns are new codes.
            List<String> others = new ArrayList<>(model.modalities());
            others.remove("ecg");
            TokenizedRecording given = model.tokenize(rec, model.options().embedDefaults().withModalities(others));
            assertEquals(given.seconds(), seconds);
            int ecg = model.modalities().indexOf("ecg");
            int from = 0;
            for (int m = 0; m < ecg; m++) {
                from += given.numQuantizers()[m];
            }
            int to = from + given.numQuantizers()[ecg];
            int codebook = model.config().modalities().get(ecg).codebookSize();
            int[][] rows = given.rows();
            for (int t = 0; t < seconds; t++) {
                int[] kept = g.tokens()[t].clone();
                int[] expected = rows[t].clone();
                for (int c = from; c < to; c++) {
                    assertTrue(kept[c] >= 0 && kept[c] < codebook, "code " + kept[c] + " at second " + t);
                    kept[c] = 0;
                    expected[c] = 0;
                }
                assertArrayEquals(expected, kept, "conditioning tokens changed at second " + t);
            }
        }

        // The EDF+ holds exactly the generated waveform, to within half a 16-bit digital step.
        try (EdfRecording edf = EdfReader.open(out)) {
            assertEquals(1, edf.signals().size());
            SignalInfo s = edf.signals().get(0);
            assertEquals("ECG (generated)", s.label());
            assertEquals(128.0, s.sampleRate());
            double[] back = edf.read(0, 0, wave.length);
            double step = (s.physicalMax() - s.physicalMin()) / (s.digitalMax() - s.digitalMin());
            for (int i = 0; i < wave.length; i++) {
                assertEquals(wave[i], back[i], step / 2 + 1e-9, "sample " + i);
            }
        }

        assertNotNull(r.real(), "the demo night has a real ECG to compare with");
        assertTrue(Double.isFinite(r.correlation()));
        assertTrue(Math.abs(r.correlation()) <= 1);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("imputed ecg from the other modalities"));
    }
}

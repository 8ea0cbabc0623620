package ai.hypnos.embed.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.TestBundles;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.transformer.generate.SamplingOptions;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation front-end: synthesis from BOS and imputation of a modality from the others give
 * decoded waveforms of the right length and rate, are reproducible for a seed, keep the
 * conditioning tokens, and round-trip through EDF+.
 */
class GenerateTest {
    private static HypnosModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        model = Hypnos.load(TestBundles.golden(), LoadOptions.defaults().withNotchHz(60));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void synthesisIsReproducibleAndDecodesToTheModalityRates() throws Exception {
        Generated a = model.synthesize(List.of("eeg_c3", "resp_abd"), 12, SamplingOptions.defaults(5));
        Generated b = model.synthesize(List.of("eeg_c3", "resp_abd"), 12, SamplingOptions.defaults(5));
        assertEquals(12, a.tokens().length);
        assertEquals(12 * 128, a.waveforms().get("eeg_c3").length);
        assertEquals(12 * 32, a.waveforms().get("resp_abd").length);
        assertArrayEquals(a.waveforms().get("eeg_c3"), b.waveforms().get("eeg_c3"), 0f);
        for (int[] row : a.tokens()) {
            assertEquals(0, row[4] + row[5], "ecg columns stay zero (not generated)");
        }
        Path edf = dir.resolve("synth.edf");
        EdfWriter.write(edf, a.toRecording(LocalDateTime.of(2020, 1, 1, 22, 0)));
        try (Recording r = EdfReader.open(edf)) {
            assertEquals(List.of("C3 (generated)", "ABD (generated)"), r.signals().stream().map(s -> s.label()).toList());
            assertEquals(128.0, r.signals().get(0).sampleRate());
            double[] x = r.read(0);
            float[] y = a.waveforms().get("eeg_c3");
            double range = 0;
            for (float v : y) {
                range = Math.max(range, Math.abs(v));
            }
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i], x[i], range / 30000 + 1e-6, "sample " + i);
            }
        }
    }

    @Test
    void imputationKeepsTheConditioningAndFillsTheTarget() throws Exception {
        Generated g;
        TokenizedRecording given;
        try (Recording r = Recordings.open(TestBundles.goldenEdf())) {
            g = model.impute(r, List.of("ecg"), model.options().embedDefaults(), SamplingOptions.defaults(3));
            given = model.tokenize(r, model.options().embedDefaults().withModalities(List.of("eeg_c3", "eeg_c4", "resp_abd")));
        }
        assertEquals(List.of("ecg"), g.modalities());
        assertEquals(given.seconds(), g.tokens().length);
        assertEquals(given.seconds() * 128, g.waveforms().get("ecg").length);
        int[][] rows = given.rows();
        for (int t = 0; t < rows.length; t++) {
            for (int c : new int[] {0, 1, 2, 3, 6, 7}) {
                assertEquals(rows[t][c], g.tokens()[t][c], "conditioning token second " + t + " column " + c);
            }
            assertTrue(g.tokens()[t][4] >= 0 && g.tokens()[t][4] < 16);
        }
        assertThrows(IllegalArgumentException.class, () -> model.synthesize(List.of("eog_e1"), 5, SamplingOptions.greedy()));
    }
}

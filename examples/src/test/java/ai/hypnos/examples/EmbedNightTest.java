package ai.hypnos.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.synth.NightFiles;
import ai.hypnos.embed.Embeddings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link EmbedNight} on a tiny random bundle and a 3-minute synthetic night, and checks the NPZ it saves. */
class EmbedNightTest {
    private static final List<String> ALL = List.of("eeg_c3", "eeg_c4", "eog_e1", "eog_e2", "emg_chin", "ecg",
            "resp_abd", "resp_thx");

    @TempDir
    Path dir;

    @Test
    void embedsEveryModalityAndSavesConsistentArrays() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny.safetensors"), 7);
        NightFiles night = DemoNight.write(dir, 3, 42);
        double duration;
        try (EdfRecording r = EdfReader.open(night.recording())) {
            duration = r.durationSeconds();
        }
        Path out = dir.resolve("emb.npz");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Embeddings e = EmbedNight.run(bundle, night.recording(), out, new PrintStream(text, true, StandardCharsets.UTF_8));

        // The AASM montage carries all eight channels; one embedding per second of the file.
        assertEquals(ALL, e.present());
        int s = e.seconds();
        assertTrue(s >= duration - 1 && s <= duration, s + " s embedded from a " + duration + " s file");
        int d = e.dim();
        assertEquals(32, d, "tiny preset width");

        try (NpzReader npz = NpzReader.open(out)) {
            for (String m : ALL) {
                assertArrayEquals(new long[] {s, d}, npz.get(m).shape(), m);
            }
            NpyArray mean = npz.get("mean");
            NpyArray epochs = npz.get("epochs");
            assertArrayEquals(new long[] {s, d}, mean.shape());
            assertArrayEquals(new long[] {s / 30, d}, epochs.shape());
            assertArrayEquals(new long[] {s, e.totalK()}, npz.get("tokens").shape());
            boolean[] presence = npz.get("presence").toBooleanArray();
            assertEquals(8, presence.length);
            for (boolean p : presence) {
                assertTrue(p);
            }

            // Independent arithmetic on what numpy would load: mean = average of the eight rows,
            // epoch k = average of mean rows 30k .. 30k+29.
            float[][] per = new float[ALL.size()][];
            for (int i = 0; i < per.length; i++) {
                per[i] = npz.get(ALL.get(i)).toFloatArray();
            }
            float[] mu = mean.toFloatArray();
            for (int j = 0; j < mu.length; j++) {
                double sum = 0;
                for (float[] p : per) {
                    sum += p[j];
                }
                assertEquals(sum / per.length, mu[j], 1e-5, "mean element " + j);
            }
            float[] ep = epochs.toFloatArray();
            for (int k = 0; k < s / 30; k++) {
                for (int c = 0; c < d; c++) {
                    double sum = 0;
                    for (int t = 30 * k; t < 30 * k + 30; t++) {
                        sum += mu[t * d + c];
                    }
                    assertEquals(sum / 30, ep[k * d + c], 1e-5, "epoch " + k + " column " + c);
                }
            }
        }

        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("eeg_c3    [" + s + ", 32]"), printed);
        assertTrue(printed.contains("EEG C3-M2"), "the channel report names the file's label:\n" + printed);
    }
}

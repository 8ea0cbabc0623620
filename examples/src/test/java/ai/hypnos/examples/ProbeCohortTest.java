package ai.hypnos.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.annotation.NsrrXml;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.eval.metrics.ConfusionMatrix;
import ai.hypnos.eval.protocol.FoldResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link ProbeCohort} on four 15-minute synthetic nights with two folds and checks its bookkeeping and κ. */
class ProbeCohortTest {
    @TempDir
    Path dir;

    @Test
    void probesEveryScoredEpochOnceAndReportsKappa() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny.safetensors"), 7);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProbeCohort.Result r = ProbeCohort.run(bundle, dir, 4, 0.25, 2, 42,
                new PrintStream(text, true, StandardCharsets.UTF_8));

        // Expected rows, from the files alone: scored epochs of each NSRR scoring that lie within the recording.
        CohortManifest cohort = CohortManifest.read(dir.resolve("cohort/manifest.csv"));
        int expected = 0;
        Set<String> subjects = new HashSet<>();
        for (CohortManifest.Entry e : cohort.entries()) {
            double seconds;
            try (EdfRecording rec = EdfReader.open(cohort.recordingPath(e))) {
                seconds = rec.durationSeconds();
            }
            int[] labels = NsrrXml.read(cohort.annotationsPath(e)).hypnogram(seconds).labels();
            for (int w = 0; w < Math.min(labels.length, (int) (seconds / 30)); w++) {
                if (labels[w] >= 0) {
                    expected++;
                }
            }
            subjects.add(e.subject());
        }
        assertEquals(expected, r.data().size(), "one row per scored epoch");
        assertEquals(expected, r.result().pooled().size(), "every epoch tested exactly once");

        // Subject-wise folds: each subject tested in exactly one fold, never trained on there.
        List<String> tested = new ArrayList<>();
        for (FoldResult f : r.result().folds()) {
            tested.addAll(f.split().test());
            for (String s : f.split().test()) {
                assertTrue(!f.split().train().contains(s), s + " trained and tested in " + f.split().name());
            }
        }
        assertEquals(subjects, new HashSet<>(tested));
        assertEquals(subjects.size(), tested.size());

        // κ from the pooled confusion matrix, by the textbook formula.
        ConfusionMatrix cm = r.result().overall().confusion();
        double n = cm.total();
        double observed = 0;
        double chance = 0;
        for (int k = 0; k < cm.numClasses(); k++) {
            observed += cm.count(k, k) / n;
            chance += cm.support(k) / n * (cm.predicted(k) / n);
        }
        double kappa = (observed - chance) / (1 - chance);
        assertEquals(kappa, r.kappa(), 1e-12);
        assertEquals(expected, n, 1e-9);
        // A random tiny bundle gives near-constant embeddings (its untrained codebooks use a few
        // codes), so κ is near 0 here; a trained model's κ is in docs/results.md.
        assertTrue(r.kappa() >= -1 && r.kappa() <= 1, "kappa " + r.kappa());

        byte[] png = Files.readAllBytes(r.report().resolve("confusion.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.readString(r.report().resolve("metrics.json")).contains("cohen_kappa"));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Cohen's kappa"), printed);
    }
}

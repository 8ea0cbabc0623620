package ai.hypnos.cli.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;

import ai.hypnos.cli.info.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.cli.HypnosCommand;
import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hypnos probe} end to end on files written here: feature directories and embedding cohorts. */
class ProbeCommandTest {
    static final int D = 6;

    /** Class centres shared by all subjects; features = centre + noise. */
    static final double[][] CENTRES = new double[5][D];

    static {
        SplittableRandom rng = new SplittableRandom(99);
        for (double[] c : CENTRES) {
            for (int j = 0; j < D; j++) {
                c[j] = rng.nextGaussian() * 2;
            }
        }
    }

    static void writeFeatures(Path dir, int subjects, int rows) throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        Files.createDirectories(dir);
        for (int s = 0; s < subjects; s++) {
            float[] x = new float[rows * D];
            long[] y = new long[rows];
            for (int i = 0; i < rows; i++) {
                int label = rng.nextInt(5);
                y[i] = i % 10 == 9 ? -1 : label;
                for (int j = 0; j < D; j++) {
                    x[i * D + j] = (float) (CENTRES[label][j] + rng.nextGaussian());
                }
            }
            try (NpzWriter w = NpzWriter.begin(dir.resolve(String.format("subj%02d.npz", s)), false)) {
                w.put("X", NpyArray.of(x, rows, D));
                w.put("y", NpyArray.of(y, rows));
                w.commit();
            }
        }
    }

    static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true));
        try {
            int code = HypnosCommand.execute(args);
            assertEquals(0, code, "exit code for " + String.join(" ", args) + "\n" + buf);
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void featuresKFoldLinearAndMlp(@TempDir Path tmp) throws Exception {
        Path features = tmp.resolve("features");
        writeFeatures(features, 6, 40);
        Path out = tmp.resolve("linear");
        String stdout = run("probe", "--features", features.toString(), "--probe", "linear", "--folds", "3",
                "--seed", "1", "--report", out.toString(), "--bootstrap", "50");
        assertTrue(stdout.contains("kappa"), stdout);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertTrue(m.at("/overall/cohen_kappa").asDouble() > 0.8, m.at("/overall").toString());
        assertEquals(3, m.get("folds").size());
        assertTrue(m.at("/settings/command").asText().startsWith("hypnos probe --features"), m.at("/settings").toString());
        assertEquals(6 * 36 + 1, Files.readAllLines(out.resolve("predictions.csv")).size());
        assertTrue(Files.exists(out.resolve("confusion.png")) && Files.exists(out.resolve("report.md")));

        Path mlp = tmp.resolve("mlp");
        run("probe", "--features", features.toString(), "--probe", "mlp", "--folds", "2", "--hidden", "16",
                "--lr", "1e-2", "--batch-size", "32", "--max-epochs", "60", "--report", mlp.toString(), "--bootstrap", "20");
        JsonNode mm = new ObjectMapper().readTree(mlp.resolve("metrics.json").toFile());
        assertTrue(mm.get("probe").asText().contains("MLP"));
        assertTrue(mm.at("/overall/accuracy").asDouble() > 0.6);
    }

    @Test
    void featuresFewShot(@TempDir Path tmp) throws Exception {
        Path features = tmp.resolve("features");
        writeFeatures(features, 6, 30);
        Path out = tmp.resolve("few");
        String stdout = run("probe", "--features", features.toString(), "--protocol", "fewshot", "--folds", "2",
                "--fractions", "0.3,1.0", "--fewshot-seeds", "2", "--report", out.toString(), "--bootstrap", "20");
        assertTrue(stdout.contains("fraction 0.3"), stdout);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(4, m.get("points").size());
        assertTrue(Files.exists(out.resolve("fewshot.png")));
    }

    @Test
    void embeddingCohortWithRestrictedModalities(@TempDir Path tmp) throws Exception {
        Path emb = tmp.resolve("emb");
        Path labels = tmp.resolve("labels");
        Files.createDirectories(emb);
        Files.createDirectories(labels);
        SplittableRandom rng = new SplittableRandom(5);
        int epochs = 20;
        int seconds = epochs * 30;
        StringBuilder manifest = new StringBuilder("subject,recording,annotations,site,notch,split\n");
        for (int s = 0; s < 6; s++) {
            long[] y = new long[epochs];
            float[] eeg = new float[seconds * D];
            float[] ecg = new float[seconds * D];
            float[] mean = new float[seconds * D];
            for (int e = 0; e < epochs; e++) {
                int label = rng.nextInt(5);
                y[e] = e == 0 ? -1 : label;
                for (int t = e * 30; t < e * 30 + 30; t++) {
                    for (int j = 0; j < D; j++) {
                        // EEG carries the stage; ECG is mostly noise.
                        eeg[t * D + j] = (float) (CENTRES[label][j] + rng.nextGaussian());
                        ecg[t * D + j] = (float) (0.2 * CENTRES[label][j] + rng.nextGaussian());
                        mean[t * D + j] = (eeg[t * D + j] + ecg[t * D + j]) / 2;
                    }
                }
            }
            String rec = "night" + s;
            try (NpzWriter w = NpzWriter.begin(emb.resolve(rec + ".npz"), false)) {
                w.put(Modality.EEG_C3.key(), NpyArray.of(eeg, seconds, D));
                w.put(Modality.ECG.key(), NpyArray.of(ecg, seconds, D));
                w.put("mean", NpyArray.of(mean, seconds, D));
                w.commit();
            }
            Npy.write(labels.resolve(rec + ".npy"), NpyArray.of(y, epochs));
            manifest.append("p").append(s).append(",edf/").append(rec).append(".edf,labels/").append(rec)
                    .append(".npy,A,50,").append(s < 4 ? "train" : "test").append('\n');
        }
        Path csv = tmp.resolve("cohort.csv");
        Files.writeString(csv, manifest);
        Path out = tmp.resolve("report");
        String stdout = run("probe", "--embeddings", emb.toString(), "--labels", csv.toString(), "--task", "staging",
                "--protocol", "fixed", "--report", out.toString(), "--bootstrap", "20", "--test-modalities", "eeg",
                "--test-modalities", "ecg");
        assertTrue(stdout.contains("trained on all, tested on ecg"), stdout);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2 * (epochs - 1), m.at("/overall/n").asInt(), "test subjects p4, p5, unscored epoch dropped");
        JsonNode subsets = new ObjectMapper().readTree(out.resolve("modality-subsets.json").toFile());
        assertEquals(5, subsets.get("subsets").size());
        double eegOnly = subsets.at("/subsets/2/overall/cohen_kappa").asDouble();
        double ecgOnly = subsets.at("/subsets/4/overall/cohen_kappa").asDouble();
        assertEquals("eeg_c3+eeg_c4", subsets.at("/subsets/2/test_modalities").asText());
        assertTrue(eegOnly > ecgOnly, "EEG carries the stage: " + eegOnly + " vs " + ecgOnly);
    }

    @Test
    void badArgumentsExitWithUsageErrors(@TempDir Path tmp) throws Exception {
        Path features = tmp.resolve("f");
        writeFeatures(features, 3, 10);
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            for (List<String> args : List.of(
                    List.of("probe", "--report", tmp.resolve("r").toString()),
                    List.of("probe", "--features", features.toString(), "--report", tmp.resolve("r").toString(), "--probe", "svm"),
                    List.of("probe", "--features", features.toString(), "--report", tmp.resolve("r").toString(), "--folds", "5"),
                    List.of("probe", "--features", features.toString(), "--report", tmp.resolve("r").toString(), "--protocol", "fixed"))) {
                assertEquals(2, HypnosCommand.execute(args.toArray(String[]::new)), String.join(" ", args));
            }
        } finally {
            System.setErr(oldErr);
        }
    }

    /**
     * A negative --fewshot-seeds used to reach `new long[-1]` and print "hypnos probe: -1" with
     * exit 1; bad counts are usage errors naming the option and the value.
     */
    @Test
    void badCountsAreUsageErrorsNamingTheOption(@TempDir Path tmp) throws Exception {
        Path features = tmp.resolve("f");
        writeFeatures(features, 3, 10);
        String report = tmp.resolve("r").toString();
        List<List<String>> cases = List.of(
                List.of("--protocol", "fewshot", "--fewshot-seeds", "-1"),
                List.of("--protocol", "fewshot", "--fewshot-seeds", "0"),
                List.of("--folds", "1"),
                List.of("--bootstrap", "0"),
                List.of("--ci-level", "1.5"),
                List.of("--hidden", "0"),
                List.of("--batch-size", "-4"),
                List.of("--max-epochs", "0"),
                List.of("--patience", "-1"),
                List.of("--lr", "0"),
                List.of("--weight-decay", "-0.1"),
                List.of("--protocol", "fewshot", "--fractions", "0.5,1.5"));
        for (List<String> bad : cases) {
            List<String> args = new ArrayList<>(List.of("probe", "--features", features.toString(), "--report", report));
            args.addAll(bad);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            String option = bad.get(bad.size() - 2);
            String value = bad.get(bad.size() - 1);
            String err = r.err().strip();
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.contains(option), option + " named: " + err);
            assertTrue(err.contains(value.contains(",") ? "1.5" : value), value + " quoted: " + err);
        }
        assertFalse(Files.exists(tmp.resolve("r")), "nothing written for a usage error");
    }
}

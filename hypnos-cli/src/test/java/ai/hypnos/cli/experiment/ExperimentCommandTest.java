package ai.hypnos.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.cli.info.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypnos experiment} end to end on a minuscule cohort (6 subjects of 15 min, a few
 * training steps): every stage runs, both pretraining runs differ only in the masking setting,
 * and the report holds every method × label fraction with metrics in their ranges.
 */
class ExperimentCommandTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void runsEveryStageAndWritesTheReport() throws Exception {
        Path out = dir.resolve("exp");
        CliRun r = CliRun.of("experiment", "--out", out.toString(), "--subjects", "6", "--hours", "0.25",
                "--tokenizer-steps", "2", "--folds", "2", "--fewshot-seeds", "2", "--cnn-passes", "1",
                "--af-windows", "9", "--bootstrap", "20", "--device", "cpu",
                "--set", "optim.steps=2", "--set", "optim.warmup_steps=1", "--set", "data.context_seconds=32",
                "--set", "data.batch_size=2", "--set", "eval.windows=2", "--set", "log.every=1");
        assertEquals(0, r.code(), r.err() + r.out());

        // The ablation: same settings, masking on in one run and off in the other.
        String crp = Files.readString(out.resolve("run-crp/config.yaml"));
        String nomask = Files.readString(out.resolve("run-nomask/config.yaml"));
        assertTrue(crp.contains("modality_grouping_alpha: 1.0"), crp);
        assertTrue(nomask.contains("modality_grouping_alpha: null"), nomask);
        assertEquals(crp.replace("run-crp", "run-nomask").replace("modality_grouping_alpha: 1.0", "modality_grouping_alpha: null"),
                nomask);

        Path report = out.resolve("report");
        JsonNode s = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertEquals("cpu", s.get("settings").get("device").asText());
        Set<String> methods = new HashSet<>();
        int rows = 0;
        for (JsonNode row : s.get("staging")) {
            methods.add(row.get("method").asText());
            double kappa = row.get("kappa_mean").asDouble();
            assertTrue(kappa >= -1 && kappa <= 1, row.toString());
            double f1 = row.get("macro_f1_mean").asDouble();
            assertTrue(f1 >= 0 && f1 <= 1, row.toString());
            JsonNode ci = row.get("kappa_ci_seed0");
            assertTrue(ci.get("lower").asDouble() <= ci.get("upper").asDouble(), row.toString());
            // Staging CIs resample whole subjects, and the JSON says so (not only report.md).
            assertTrue(ci.path("by_subject").isBoolean() && ci.get("by_subject").asBoolean(), row.toString());
            rows++;
        }
        assertEquals(Set.of("crp/linear", "crp/mlp", "nomask/linear", "nomask/mlp", "bandpower/linear", "bandpower/mlp", "cnn"),
                methods);
        assertEquals(6 * 3 + 1, rows, "six probe methods at 1, 10 and 100 % labels, plus the CNN");

        // Restricted modalities: all->all, then all->S and S->S for EEG and ECG + belts, for both models.
        List<String> modalityKeys = iterable(s.get("modalities").fieldNames());
        assertEquals(10, modalityKeys.size(), modalityKeys.toString());
        assertTrue(modalityKeys.contains("crp: eeg_c3+eeg_c4 -> eeg_c3+eeg_c4"), modalityKeys.toString());
        assertTrue(modalityKeys.contains("nomask: all -> ecg+resp_abd+resp_thx"), modalityKeys.toString());

        // Paired tests: p-values are probabilities and BH never lowers them.
        JsonNode comparisons = s.get("comparisons");
        assertEquals(2 * 4 + 5, comparisons.size(), comparisons.toString());
        for (JsonNode c : comparisons) {
            double p = c.get("p").asDouble();
            assertTrue(p > 0 && p <= 1, c.toString());
            assertTrue(c.get("p_bh").asDouble() >= p - 1e-15, c.toString());
        }

        for (String model : List.of("crp", "nomask")) {
            JsonNode af = s.get("af").get(model);
            assertEquals(9, af.get("positives").asInt() + af.get("negatives").asInt());
            assertEquals(3, af.get("positives").asInt(), "one third of the windows are AF");
            double auroc = af.get("auroc").asDouble();
            assertTrue(auroc >= 0 && auroc <= 1, af.toString());
        }
        for (String f : List.of("fewshot.png", "modalities.png", "confusion-crp-linear.png", "af-roc-crp.png", "loss-crp.png")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(report.resolve(f)), 4);
            assertArrayEquals(PNG, head, f);
        }
        String md = Files.readString(report.resolve("summary.md"));
        assertTrue(md.contains("| cnn | 100 % |"), md);
        assertTrue(md.contains("AF detection"), md);
        assertTrue(Files.isRegularFile(out.resolve("staging/crp-linear/metrics.json")));
        assertTrue(Files.isRegularFile(out.resolve("staging/comparisons/comparison.md")));
        assertTrue(new ObjectMapper().readTree(out.resolve("timings.json").toFile()).has("pretrain-nomask"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

package ai.hypnos.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.SyntheticFeatures;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShot;
import ai.hypnos.eval.protocol.FewShotEvaluation;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.SubjectKFold;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report files: JSON consistent with the results, CSV with one row per test epoch, readable PNGs. */
class ReportWriterTest {

    @Test
    void stagingReport(@TempDir Path dir) throws Exception {
        LabeledDataset ds = SyntheticFeatures.dataset(6, 50, 5, 5, 2.0, 3);
        ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(100, 0.95, 0), true);
        EvaluationResult r = eval.crossValidate(ds, new SubjectKFold(3, 0).splits(ds.subjects()), 0, "3-fold");
        List<Path> files = new ReportWriter(dir, 30).write(r, new ReportInfo("Staging", "synthetic", Map.of("seed", "0")));
        for (String name : List.of("metrics.json", "predictions.csv", "report.md", "confusion.png", "hypnogram.png")) {
            assertTrue(files.contains(dir.resolve(name)), name);
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        }
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(r.overall().cohenKappa(), m.at("/overall/cohen_kappa").asDouble(), 1e-12);
        assertEquals(r.overall().macroF1(), m.at("/overall/macro_f1").asDouble(), 1e-12);
        assertEquals(3, m.get("folds").size());
        assertEquals(r.folds().get(1).metrics().cohenKappa(), m.at("/folds/1/metrics/cohen_kappa").asDouble(), 1e-12);
        assertTrue(m.at("/overall/per_class_f1").has("REM"));
        // Subjects were resampled (the evaluation's last argument): the JSON says which bootstrap it was.
        assertTrue(m.at("/overall/cohen_kappa_ci/by_subject").isBoolean(), m.at("/overall/cohen_kappa_ci").toString());
        assertTrue(m.at("/overall/cohen_kappa_ci/by_subject").asBoolean());
        assertFalse(MetricsJson.ci(new ConfidenceInterval(0.5, 0.4, 0.6, 0.95, 100, 100, false)).get("by_subject")
                .asBoolean(true), "a row bootstrap is written as such");
        assertEquals(5, m.at("/overall/confusion_matrix").size());
        assertEquals(6, m.get("per_subject").size());
        List<String> csv = Files.readAllLines(dir.resolve("predictions.csv"));
        assertEquals("subject,recording,index,true,predicted,p_W,p_N1,p_N2,p_N3,p_REM", csv.get(0));
        assertEquals(ds.size() + 1, csv.size());
        String[] row = csv.get(1).split(",");
        double sum = 0;
        for (int k = 5; k < 10; k++) {
            sum += Double.parseDouble(row[k]);
        }
        assertEquals(1.0, sum, 1e-4);
        assertPng(dir.resolve("confusion.png"));
        assertPng(dir.resolve("hypnogram.png"));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("Cohen's κ") && md.contains("![confusion matrix](confusion.png)"));

        // Linear vs MLP, subject by subject.
        EvaluationResult mlp = new ProbeEvaluation(ProbeSpec.mlp(ai.hypnos.eval.probe.MlpProbe.Options.defaults()
                .withHidden(8).withMaxEpochs(5)), new Bootstrap(20, 0.95, 0), true)
                .crossValidate(ds, new SubjectKFold(3, 0).splits(ds.subjects()), 0, "3-fold");
        java.util.Map<String, Double> a = new java.util.HashMap<>();
        java.util.Map<String, Double> b = new java.util.HashMap<>();
        r.pooled().metricsBySubject().forEach((s, x) -> a.put(s, x.cohenKappa()));
        mlp.pooled().metricsBySubject().forEach((s, x) -> b.put(s, x.cohenKappa()));
        List<ai.hypnos.eval.stats.PairedComparison.Outcome> out = new ai.hypnos.eval.stats.PairedComparison()
                .add("kappa", a, b).run();
        new ReportWriter(dir, 30).writeComparison(out, "linear", "mlp", new ReportInfo("linear vs MLP", "", Map.of()));
        JsonNode c = new ObjectMapper().readTree(dir.resolve("comparison.json").toFile());
        assertEquals(out.get(0).test().pValue(), c.at("/comparisons/0/p_value").asDouble(), 1e-15);
        assertEquals(6, c.at("/comparisons/0/subjects").asInt());
        assertTrue(Files.readString(dir.resolve("comparison.md")).contains("BH-adjusted p"));
    }

    @Test
    void binaryAndFewShotReports(@TempDir Path dir) throws Exception {
        LabeledDataset ds = SyntheticFeatures.dataset(6, 40, 4, 2, 1.0, 4);
        ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(100, 0.95, 0), true);
        EvaluationResult r = eval.crossValidate(ds, new SubjectKFold(2, 0).splits(ds.subjects()), 0, "2-fold");
        Path af = dir.resolve("af");
        new ReportWriter(af, 30).write(r, new ReportInfo("AF", "synthetic", Map.of()));
        JsonNode m = new ObjectMapper().readTree(af.resolve("metrics.json").toFile());
        assertEquals(r.binary().auroc(), m.at("/overall/auroc").asDouble(), 1e-12);
        assertTrue(m.at("/overall/auroc_ci/lower").asDouble() <= m.at("/overall/auroc").asDouble());
        assertNotNull(m.at("/folds/0/metrics/auprc"));
        assertPng(af.resolve("roc.png"));

        FewShotResult fs = new FewShotEvaluation(eval, new FewShot(new double[] {0.5, 1.0}, new long[] {0, 1}))
                .run(ds, new SubjectKFold(2, 0).splits(ds.subjects()));
        Path few = dir.resolve("few");
        new ReportWriter(few, 30).writeFewShot(fs, new ReportInfo("few-shot", "synthetic", Map.of()));
        JsonNode f = new ObjectMapper().readTree(few.resolve("metrics.json").toFile());
        assertEquals(4, f.get("points").size());
        assertEquals(2, f.at("/curves/cohen_kappa").size());
        assertTrue(f.at("/points/0/folds").size() == 2);
        assertPng(few.resolve("fewshot.png"));
        assertTrue(Files.exists(few.resolve("predictions.csv")));
    }

    private static void assertPng(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not an image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
    }
}

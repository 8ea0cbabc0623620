package ai.hypnos.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.modality.Modality;
import ai.hypnos.eval.SyntheticFeatures;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.ModalitySelection;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.SubjectKFold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CI columns of the few-shot and modality-subset tables say what was actually computed. */
class MarkdownReportTest {
    private static final LabeledDataset DATA = SyntheticFeatures.dataset(6, 40, 4, 3, 1.5, 11);

    private static EvaluationResult evaluate(int resamples, double level, boolean bySubject) {
        ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(resamples, level, 0), bySubject);
        return eval.crossValidate(DATA, new SubjectKFold(2, 0).splits(DATA.subjects()), 0, "2-fold");
    }

    private static String tableRow(String md, String start) {
        return md.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(start + "\n" + md));
    }

    @Test
    void fewShotTableShowsTheRealLevelReplicatesAndResamplingUnit() {
        EvaluationResult a = evaluate(40, 0.90, true);
        EvaluationResult b = evaluate(40, 0.90, true);
        FewShotResult fs = new FewShotResult(List.of(new FewShotResult.Point(0.5, 0, 1, a),
                new FewShotResult.Point(1.0, 0, 3, b)));
        String md = MarkdownReport.of(fs, new ReportInfo("few-shot", "", Map.of()), Map.of());
        assertFalse(md.contains("95 %"), md);
        String header = tableRow(md, "| label fraction | seed | training subjects");
        assertTrue(header.contains("| κ 90 % CI, subjects resampled | valid / total replicates |"), header);
        ConfidenceInterval ci = a.kappaCi();
        assertEquals(0.90, ci.level());
        assertTrue(ci.bySubject());
        String row = tableRow(md, "| 50.0 % | 0 | 1 |");
        assertTrue(row.contains("| " + MarkdownReport.ci(ci) + " | " + ci.valid() + "/40 |"), row);
        assertTrue(ci.valid() > 0 && ci.valid() <= 40);
    }

    @Test
    void modalitySubsetTableShowsTheRealLevelAndPerRowKindsWhenTheyDiffer() {
        EvaluationResult rows90 = evaluate(30, 0.90, false);
        ModalitySelection eeg = ModalitySelection.of(Modality.EEG_C3);
        ModalitySelection all = ModalitySelection.all();
        String md = MarkdownReport.of(List.of(new ModalitySubsetEvaluation.Row(eeg, eeg, rows90),
                new ModalitySubsetEvaluation.Row(all, eeg, rows90)), new ReportInfo("subsets", "", Map.of()));
        assertFalse(md.contains("95 %"), md);
        String header = tableRow(md, "| trained on |");
        assertTrue(header.contains("| κ 90 % CI, rows resampled | valid / total replicates |"), header);
        assertFalse(rows90.kappaCi().bySubject());
        assertTrue(md.contains(" | " + rows90.kappaCi().valid() + "/30 | "), md);
        // The separator has one cell per header cell.
        String separator = md.lines().filter(l -> l.startsWith("|---")).findFirst().orElseThrow();
        assertEquals(header.chars().filter(c -> c == '|').count(), separator.chars().filter(c -> c == '|').count());

        // Different levels in one table: a neutral header, and each cell names its own level and unit.
        EvaluationResult subjects99 = evaluate(30, 0.975, true);
        String mixed = MarkdownReport.of(List.of(new ModalitySubsetEvaluation.Row(eeg, eeg, rows90),
                new ModalitySubsetEvaluation.Row(all, all, subjects99)), new ReportInfo("subsets", "", Map.of()));
        assertTrue(tableRow(mixed, "| trained on |").contains("| κ bootstrap CI |"), mixed);
        assertTrue(mixed.contains("(90 % CI, rows resampled)") && mixed.contains("(97.5 % CI, subjects resampled)"), mixed);
    }

    @Test
    void overallReportListsValidReplicatesPerMetric() {
        EvaluationResult r = evaluate(25, 0.80, true);
        String md = MarkdownReport.of(r, new ReportInfo("staging", "", Map.of()), Map.of());
        assertTrue(md.contains("| 80 % bootstrap CI |"), md);
        assertTrue(md.contains("CIs: 80 % CI, subjects resampled (percentile bootstrap); valid / total replicates: κ "
                + r.kappaCi().valid() + "/25, macro-F1 " + r.macroF1Ci().valid() + "/25."), md);
    }

    @Test
    void levelsPrintWithoutSpuriousDigits() {
        assertEquals("95", MarkdownReport.percent(0.95));
        assertEquals("90", MarkdownReport.percent(0.9));
        assertEquals("97.5", MarkdownReport.percent(0.975));
        assertEquals("99.9", MarkdownReport.percent(0.999));
    }
}

package ai.hypnos.eval.report;

import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.ClassificationMetrics;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.FoldResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.stats.PairedComparison;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders results as Markdown ({@code report.md}): tables of metrics with their CIs and links to the plots. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /** One evaluation: overall metrics, per-class F1, confusion matrix, folds, figures. */
    public static String of(EvaluationResult r, ReportInfo info, Map<String, String> figures) {
        StringBuilder md = new StringBuilder();
        header(md, info);
        md.append("- probe: ").append(r.probe()).append('\n');
        md.append("- protocol: ").append(r.protocol()).append('\n');
        md.append("- test rows: ").append(r.pooled().size()).append(" from ").append(r.pooled().subjects().size()).append(" subjects\n\n");
        md.append("## Overall (pooled test predictions)\n\n");
        md.append("| metric | value | ").append(ciLabel(r.kappaCi())).append(" | fold mean ± sd |\n|---|---|---|---|\n");
        ClassificationMetrics m = r.overall();
        row(md, "Cohen's κ", m.cohenKappa(), r.kappaCi(), r.foldMean(ClassificationMetrics::cohenKappa), r.foldStd(ClassificationMetrics::cohenKappa));
        row(md, "macro-F1", m.macroF1(), r.macroF1Ci(), r.foldMean(ClassificationMetrics::macroF1), r.foldStd(ClassificationMetrics::macroF1));
        row(md, "balanced accuracy", m.balancedAccuracy(), null, r.foldMean(ClassificationMetrics::balancedAccuracy), r.foldStd(ClassificationMetrics::balancedAccuracy));
        row(md, "accuracy", m.accuracy(), null, r.foldMean(ClassificationMetrics::accuracy), r.foldStd(ClassificationMetrics::accuracy));
        BinaryMetrics b = r.binary();
        if (b != null) {
            row(md, "AUROC", b.auroc(), b.aurocCi(), Double.NaN, Double.NaN);
            row(md, "AUPRC (average precision)", b.auprc(), b.auprcCi(), Double.NaN, Double.NaN);
        }
        md.append('\n');
        // Lists that take null: an interval may be absent.
        List<ConfidenceInterval> cis = new ArrayList<>(Arrays.asList(r.kappaCi(), r.macroF1Ci()));
        List<String> ciNames = new ArrayList<>(List.of("κ", "macro-F1"));
        if (b != null) {
            cis.add(b.aurocCi());
            cis.add(b.auprcCi());
            ciNames.add("AUROC");
            ciNames.add("AUPRC");
        }
        bootstrapNote(md, cis, ciNames);
        List<String> names = r.pooled().classNames();
        md.append("## Per class\n\n| class | support | precision | recall | F1 |\n|---|---|---|---|---|\n");
        for (int k = 0; k < names.size(); k++) {
            md.append("| ").append(names.get(k)).append(" | ").append((long) m.support()[k]).append(" | ")
                    .append(f(m.perClassPrecision()[k])).append(" | ").append(f(m.perClassRecall()[k])).append(" | ")
                    .append(f(m.perClassF1()[k])).append(" |\n");
        }
        md.append("\n## Confusion matrix (rows: true, columns: predicted)\n\n|  |");
        for (String n : names) {
            md.append(' ').append(n).append(" |");
        }
        md.append("\n|---|");
        md.append("---|".repeat(names.size()));
        md.append('\n');
        double[][] cm = m.confusion().counts();
        for (int t = 0; t < names.size(); t++) {
            md.append("| **").append(names.get(t)).append("** |");
            for (int p = 0; p < names.size(); p++) {
                md.append(' ').append((long) cm[t][p]).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Folds\n\n| fold | train subjects | test subjects | test rows | κ | macro-F1 | balanced acc. | accuracy |")
                .append(b != null ? " AUROC | AUPRC |" : "").append("\n|---|---|---|---|---|---|---|---|")
                .append(b != null ? "---|---|" : "").append('\n');
        for (FoldResult fr : r.folds()) {
            ClassificationMetrics fm = fr.metrics();
            md.append("| ").append(fr.split().name()).append(" | ").append(fr.split().train().size()).append(" | ")
                    .append(fr.split().test().size()).append(" | ").append(fr.predictions().size()).append(" | ")
                    .append(f(fm.cohenKappa())).append(" | ").append(f(fm.macroF1())).append(" | ")
                    .append(f(fm.balancedAccuracy())).append(" | ").append(f(fm.accuracy())).append(" |");
            if (b != null && fr.binary() != null) {
                md.append(' ').append(f(fr.binary().auroc())).append(" | ").append(f(fr.binary().auprc())).append(" |");
            }
            md.append('\n');
        }
        figures(md, figures);
        return md.toString();
    }

    /** Few-shot: curve table per label fraction and the figure. */
    public static String of(FewShotResult r, ReportInfo info, Map<String, String> figures) {
        StringBuilder md = new StringBuilder();
        header(md, info);
        md.append("## Few-shot curve (mean ± sd over seeds of pooled test metrics)\n\n")
                .append("| label fraction | seeds | κ | macro-F1 | balanced accuracy |\n|---|---|---|---|---|\n");
        List<double[]> kappa = r.curve(x -> x.overall().cohenKappa());
        List<double[]> f1 = r.curve(x -> x.overall().macroF1());
        List<double[]> bal = r.curve(x -> x.overall().balancedAccuracy());
        for (int i = 0; i < kappa.size(); i++) {
            md.append("| ").append(pct(kappa.get(i)[0])).append(" | ").append((int) kappa.get(i)[3]).append(" | ")
                    .append(pm(kappa.get(i))).append(" | ").append(pm(f1.get(i))).append(" | ").append(pm(bal.get(i))).append(" |\n");
        }
        List<ConfidenceInterval> cis = r.points().stream().map(p -> p.result().kappaCi()).toList();
        String header = ciHeader(cis);
        md.append("\n## Runs\n\n| label fraction | seed | training subjects per fold | κ | κ ").append(header)
                .append(" | valid / total replicates | macro-F1 |\n|---|---|---|---|---|---|---|\n");
        for (FewShotResult.Point p : r.points()) {
            EvaluationResult e = p.result();
            md.append("| ").append(pct(p.fraction())).append(" | ").append(p.seed()).append(" | ").append(p.trainSubjects())
                    .append(" | ").append(f(e.overall().cohenKappa())).append(" | ").append(ciCell(e.kappaCi(), header))
                    .append(" | ").append(replicates(e.kappaCi())).append(" | ").append(f(e.overall().macroF1())).append(" |\n");
        }
        md.append('\n').append(RESAMPLING_NOTE).append('\n');
        figures(md, figures);
        return md.toString();
    }

    /** Modality subsets: one row per (train, test) selection. */
    public static String of(List<ModalitySubsetEvaluation.Row> rows, ReportInfo info) {
        StringBuilder md = new StringBuilder();
        header(md, info);
        boolean binary = !rows.isEmpty() && rows.get(0).result().binary() != null;
        String header = ciHeader(rows.stream().map(row -> row.result().kappaCi()).toList());
        md.append("| trained on | tested on | κ | κ ").append(header)
                .append(" | valid / total replicates | macro-F1 | balanced accuracy |").append(binary ? " AUROC |" : "")
                .append("\n|---|---|---|---|---|---|---|").append(binary ? "---|" : "").append('\n');
        for (ModalitySubsetEvaluation.Row row : rows) {
            EvaluationResult e = row.result();
            md.append("| ").append(row.train().name()).append(" | ").append(row.test().name()).append(" | ")
                    .append(f(e.overall().cohenKappa())).append(" | ").append(ciCell(e.kappaCi(), header)).append(" | ")
                    .append(replicates(e.kappaCi())).append(" | ")
                    .append(f(e.overall().macroF1())).append(" | ").append(f(e.overall().balancedAccuracy())).append(" |");
            if (binary) {
                md.append(' ').append(f(e.binary().auroc())).append(" |");
            }
            md.append('\n');
        }
        if (!rows.isEmpty()) {
            md.append('\n').append(RESAMPLING_NOTE).append('\n');
        }
        return md.toString();
    }

    /** Paired comparisons: Wilcoxon signed-rank over subjects with BH-adjusted p-values. */
    public static String of(List<PairedComparison.Outcome> outcomes, String modelA, String modelB) {
        StringBuilder md = new StringBuilder();
        md.append("| comparison | subjects | mean ").append(modelA).append(" | mean ").append(modelB)
                .append(" | median difference | Wilcoxon p | BH-adjusted p | method |\n|---|---|---|---|---|---|---|---|\n");
        for (PairedComparison.Outcome o : outcomes) {
            md.append("| ").append(o.name()).append(" | ").append(o.subjects().size()).append(" | ").append(f(o.meanA()))
                    .append(" | ").append(f(o.meanB())).append(" | ").append(f(o.medianDifference())).append(" | ")
                    .append(p(o.test().pValue())).append(" | ").append(p(o.adjustedP())).append(" | ")
                    .append(o.test().method().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |\n");
        }
        return md.toString();
    }

    private static void header(StringBuilder md, ReportInfo info) {
        md.append("# ").append(info.title()).append("\n\n");
        if (!info.dataset().isEmpty()) {
            md.append("- data: ").append(info.dataset()).append('\n');
        }
        for (Map.Entry<String, String> e : info.settings().entrySet()) {
            md.append("- ").append(e.getKey()).append(": `").append(e.getValue()).append("`\n");
        }
        md.append('\n');
    }

    private static void figures(StringBuilder md, Map<String, String> figures) {
        if (figures.isEmpty()) {
            return;
        }
        md.append("\n## Figures\n\n");
        for (Map.Entry<String, String> e : figures.entrySet()) {
            md.append("![").append(e.getKey()).append("](").append(e.getValue()).append(")\n\n");
        }
    }

    private static void row(StringBuilder md, String name, double v, ConfidenceInterval ci, double mean, double sd) {
        md.append("| ").append(name).append(" | ").append(f(v)).append(" | ").append(ci == null ? "" : ci(ci)).append(" | ");
        if (Double.isFinite(mean)) {
            md.append(f(mean)).append(Double.isFinite(sd) ? " ± " + f(sd) : "");
        }
        md.append(" |\n");
    }

    private static final String RESAMPLING_NOTE = "Percentile bootstrap intervals of the pooled test predictions; a "
            + "replicate is not valid when the statistic is undefined on it (e.g. a single class drawn), and the bounds "
            + "come from the valid ones only.";

    private static String ciLabel(ConfidenceInterval ci) {
        return ci == null ? "CI" : percent(ci.level()) + " % bootstrap CI";
    }

    /**
     * The CI column's header from the intervals it shows: their common level and resampling unit
     * (the CLI lets the user pick both), or a neutral header when they differ, in which case
     * {@link #ciCell} prints them per row. Never a fixed "95 %".
     */
    static String ciHeader(List<ConfidenceInterval> cis) {
        Set<String> kinds = new LinkedHashSet<>();
        for (ConfidenceInterval c : cis) {
            if (c != null) {
                kinds.add(ciKind(c));
            }
        }
        return kinds.size() == 1 ? kinds.iterator().next() : "bootstrap CI";
    }

    private static String ciKind(ConfidenceInterval c) {
        return percent(c.level()) + " % CI, " + unit(c) + " resampled";
    }

    private static String ciCell(ConfidenceInterval c, String header) {
        if (c == null) {
            return "n/a";
        }
        String kind = ciKind(c);
        return header.equals(kind) ? ci(c) : ci(c) + " (" + kind + ")";
    }

    private static String unit(ConfidenceInterval c) {
        return c.bySubject() ? "subjects" : "rows";
    }

    /** "valid/total" replicates of an interval, so that a CI from few defined replicates is visible. */
    static String replicates(ConfidenceInterval c) {
        return c == null ? "n/a" : c.valid() + "/" + c.resamples();
    }

    /** A line under the overall table: resampling unit, level and valid replicates per metric. */
    private static void bootstrapNote(StringBuilder md, List<ConfidenceInterval> cis, List<String> names) {
        StringBuilder counts = new StringBuilder();
        for (int i = 0; i < cis.size(); i++) {
            if (cis.get(i) != null) {
                counts.append(counts.length() == 0 ? "" : ", ").append(names.get(i)).append(' ')
                        .append(replicates(cis.get(i)));
            }
        }
        if (counts.length() == 0) {
            return;
        }
        md.append("CIs: ").append(ciHeader(cis)).append(" (percentile bootstrap); valid / total replicates: ")
                .append(counts).append(".\n\n");
    }

    /** A level as a percentage without spurious digits: 0.95 → "95", 0.975 → "97.5". */
    static String percent(double level) {
        return BigDecimal.valueOf(level * 100).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    static String p(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "n/a";
    }

    static String ci(ConfidenceInterval c) {
        if (c == null || !Double.isFinite(c.lower())) {
            return "n/a";
        }
        return "[" + f(c.lower()) + ", " + f(c.upper()) + "]";
    }

    private static String pm(double[] row) {
        return f(row[1]) + (Double.isFinite(row[2]) ? " ± " + f(row[2]) : "");
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.3g %%", fraction * 100);
    }
}

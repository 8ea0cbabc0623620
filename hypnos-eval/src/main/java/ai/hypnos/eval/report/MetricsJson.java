package ai.hypnos.eval.report;

import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.ClassificationMetrics;
import ai.hypnos.eval.metrics.ConfidenceInterval;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.FoldResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.stats.PairedComparison;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The JSON form of results ({@code metrics.json}). Metric names follow scikit-learn's function
 * names; non-finite numbers (an undefined κ, a CI with no valid replicate) are written as
 * {@code null}. Layout:
 * <pre>
 * { "title", "dataset", "settings": {...}, "probe", "protocol", "classes": [...],
 *   "overall": { accuracy, balanced_accuracy, cohen_kappa, macro_f1, per_class_f1: {class: f1},
 *                per_class_precision, per_class_recall, support, confusion_matrix: [[...]],
 *                n, cohen_kappa_ci: {lower, upper, level, resamples, valid, by_subject},
 *                macro_f1_ci,
 *                [auroc, auroc_ci, auprc, auprc_ci, positives, negatives] },
 *   "fold_summary": { metric: {mean, std} },
 *   "folds": [ { name, train_subjects, test_subjects, train_rows, test_rows, metrics: {...} } ],
 *   "per_subject": { subject: { n, accuracy, cohen_kappa, macro_f1, balanced_accuracy } } }
 * </pre>
 */
public final class MetricsJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private MetricsJson() {
    }

    /** The full JSON tree of one evaluation. */
    public static ObjectNode of(EvaluationResult r, ReportInfo info) {
        ObjectNode root = MAPPER.createObjectNode();
        header(root, info);
        root.put("probe", r.probe());
        root.put("protocol", r.protocol());
        ArrayNode classes = root.putArray("classes");
        r.pooled().classNames().forEach(classes::add);
        ObjectNode overall = metrics(r.overall(), r.pooled().classNames());
        overall.set("cohen_kappa_ci", ci(r.kappaCi()));
        overall.set("macro_f1_ci", ci(r.macroF1Ci()));
        binary(overall, r.binary());
        root.set("overall", overall);
        ObjectNode summary = root.putObject("fold_summary");
        summary(summary, r, "accuracy", ClassificationMetrics::accuracy);
        summary(summary, r, "balanced_accuracy", ClassificationMetrics::balancedAccuracy);
        summary(summary, r, "cohen_kappa", ClassificationMetrics::cohenKappa);
        summary(summary, r, "macro_f1", ClassificationMetrics::macroF1);
        ArrayNode folds = root.putArray("folds");
        for (FoldResult f : r.folds()) {
            ObjectNode fo = folds.addObject();
            fo.put("name", f.split().name());
            fo.put("train_subjects", f.split().train().size());
            fo.put("test_subjects", f.split().test().size());
            fo.put("train_rows", f.trainRows());
            fo.put("test_rows", f.predictions().size());
            ObjectNode m = metrics(f.metrics(), f.predictions().classNames());
            binary(m, f.binary());
            fo.set("metrics", m);
        }
        ObjectNode per = root.putObject("per_subject");
        for (Map.Entry<String, ClassificationMetrics> e : r.pooled().metricsBySubject().entrySet()) {
            ObjectNode s = per.putObject(e.getKey());
            ClassificationMetrics m = e.getValue();
            s.put("n", (long) m.n());
            put(s, "accuracy", m.accuracy());
            put(s, "balanced_accuracy", m.balancedAccuracy());
            put(s, "cohen_kappa", m.cohenKappa());
            put(s, "macro_f1", m.macroF1());
        }
        return root;
    }

    /** Few-shot results: every (fraction, seed) run with its overall and per-fold metrics, and the curves. */
    public static ObjectNode of(FewShotResult r, ReportInfo info) {
        ObjectNode root = MAPPER.createObjectNode();
        header(root, info);
        root.put("protocol", "fewshot");
        ArrayNode points = root.putArray("points");
        for (FewShotResult.Point p : r.points()) {
            ObjectNode o = of(p.result(), new ReportInfo("", "", Map.of()));
            o.remove(List.of("title", "dataset", "settings", "per_subject"));
            o.put("fraction", p.fraction());
            o.put("seed", p.seed());
            o.put("train_subjects_per_fold", p.trainSubjects());
            points.add(o);
        }
        ObjectNode curves = root.putObject("curves");
        curve(curves, r, "cohen_kappa", x -> x.overall().cohenKappa());
        curve(curves, r, "macro_f1", x -> x.overall().macroF1());
        curve(curves, r, "balanced_accuracy", x -> x.overall().balancedAccuracy());
        curve(curves, r, "accuracy", x -> x.overall().accuracy());
        return root;
    }

    /** Modality-subset results: one entry per (train, test) selection. */
    public static ObjectNode of(List<ModalitySubsetEvaluation.Row> rows, ReportInfo info) {
        ObjectNode root = MAPPER.createObjectNode();
        header(root, info);
        root.put("protocol", "modality-subsets");
        ArrayNode arr = root.putArray("subsets");
        for (ModalitySubsetEvaluation.Row row : rows) {
            ObjectNode o = of(row.result(), new ReportInfo("", "", Map.of()));
            o.remove(List.of("title", "dataset", "settings", "per_subject"));
            o.put("train_modalities", row.train().name());
            o.put("test_modalities", row.test().name());
            arr.add(o);
        }
        return root;
    }

    /** Paired comparisons (Wilcoxon + BH). */
    public static ArrayNode of(List<PairedComparison.Outcome> outcomes) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (PairedComparison.Outcome o : outcomes) {
            ObjectNode n = arr.addObject();
            n.put("name", o.name());
            n.put("subjects", o.subjects().size());
            put(n, "mean_a", o.meanA());
            put(n, "mean_b", o.meanB());
            put(n, "median_difference", o.medianDifference());
            put(n, "wilcoxon_statistic", o.test().statistic());
            put(n, "p_value", o.test().pValue());
            put(n, "p_value_bh", o.adjustedP());
            n.put("method", o.test().method().name().toLowerCase(java.util.Locale.ROOT));
        }
        return arr;
    }

    private static void header(ObjectNode root, ReportInfo info) {
        if (!info.title().isEmpty()) {
            root.put("title", info.title());
        }
        if (!info.dataset().isEmpty()) {
            root.put("dataset", info.dataset());
        }
        if (!info.settings().isEmpty()) {
            ObjectNode s = root.putObject("settings");
            info.settings().forEach(s::put);
        }
    }

    /** Staging metrics of one set of predictions. */
    public static ObjectNode metrics(ClassificationMetrics m, List<String> classNames) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("n", (long) m.n());
        put(o, "accuracy", m.accuracy());
        put(o, "balanced_accuracy", m.balancedAccuracy());
        put(o, "cohen_kappa", m.cohenKappa());
        put(o, "macro_f1", m.macroF1());
        perClass(o.putObject("per_class_f1"), m.perClassF1(), classNames);
        perClass(o.putObject("per_class_precision"), m.perClassPrecision(), classNames);
        perClass(o.putObject("per_class_recall"), m.perClassRecall(), classNames);
        perClass(o.putObject("support"), m.support(), classNames);
        ArrayNode cm = o.putArray("confusion_matrix");
        for (double[] row : m.confusion().counts()) {
            ArrayNode r = cm.addArray();
            for (double v : row) {
                r.add((long) Math.rint(v));
            }
        }
        return o;
    }

    private static void binary(ObjectNode o, BinaryMetrics b) {
        if (b == null) {
            return;
        }
        put(o, "auroc", b.auroc());
        o.set("auroc_ci", ci(b.aurocCi()));
        put(o, "auprc", b.auprc());
        o.set("auprc_ci", ci(b.auprcCi()));
        o.put("positives", b.positives());
        o.put("negatives", b.negatives());
    }

    static ObjectNode ci(ConfidenceInterval c) {
        ObjectNode o = MAPPER.createObjectNode();
        if (c == null) {
            return o;
        }
        put(o, "lower", c.lower());
        put(o, "upper", c.upper());
        o.put("level", c.level());
        o.put("resamples", c.resamples());
        o.put("valid", c.valid());
        // Which bootstrap it was (whole subjects, or rows): report.md says so, and so must the JSON.
        o.put("by_subject", c.bySubject());
        return o;
    }

    private static void perClass(ObjectNode o, double[] v, List<String> names) {
        for (int k = 0; k < v.length; k++) {
            put(o, names.get(k), v[k]);
        }
    }

    private static void summary(ObjectNode o, EvaluationResult r, String name, ToDoubleFunction<ClassificationMetrics> f) {
        ObjectNode s = o.putObject(name);
        put(s, "mean", r.foldMean(f));
        put(s, "std", r.foldStd(f));
    }

    private static void curve(ObjectNode o, FewShotResult r, String name, ToDoubleFunction<EvaluationResult> f) {
        ArrayNode arr = o.putArray(name);
        for (double[] row : r.curve(f)) {
            ObjectNode p = arr.addObject();
            p.put("fraction", row[0]);
            put(p, "mean", row[1]);
            put(p, "std", row[2]);
            p.put("seeds", (int) row[3]);
        }
    }

    static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}

package ai.hypnos.cli.experiment;

import ai.hypnos.eval.baseline.CnnBaseline;
import ai.hypnos.eval.data.EmbeddingCohort;
import ai.hypnos.eval.data.EpochDatasetBuilder;
import ai.hypnos.eval.data.LabelFiles;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.data.ModalitySelection;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.MlpProbe;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShot;
import ai.hypnos.eval.protocol.FewShotEvaluation;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.protocol.Predictions;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.Split;
import ai.hypnos.eval.protocol.SubjectKFold;
import ai.hypnos.eval.report.ReportInfo;
import ai.hypnos.eval.report.ReportWriter;
import ai.hypnos.eval.stats.PairedComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sleep staging on held-out subjects, every method over the same subject-wise folds:
 * <ul>
 *   <li>few-shot curves (label fractions × seeds) of the linear and MLP probes on the embeddings
 *       of both pretrained models and on band-power features;</li>
 *   <li>the supervised CNN with all labels;</li>
 *   <li>restricted modalities at test time (EEG only; ECG + belts) for both models;</li>
 *   <li>paired comparisons of per-subject κ (Wilcoxon signed-rank, Benjamini–Hochberg over the
 *       family).</li>
 * </ul>
 * Each evaluation writes a report folder (JSON, Markdown, plots) under the study's folder.
 */
final class StagingStudy {
    private static final Logger LOG = LoggerFactory.getLogger(StagingStudy.class);
    /** Test-time modality subsets of the restricted-modality evaluation. */
    static final List<String> SUBSETS = List.of("eeg", "ecg+resp");

    /**
     * Everything the summary reports.
     *
     * @param subjects       subjects with labelled epochs
     * @param heldOut        subjects whose nights were not in the pretraining split
     * @param epochs         labelled epochs (embedding datasets)
     * @param fewShot        method name ({@code crp/linear}…) → few-shot result
     * @param cnn            the supervised CNN, all labels
     * @param subsets        model name → restricted-modality rows
     * @param comparisons    paired tests (A and B named in each outcome's name)
     * @param heldOutKappa   method → κ of its pooled full-label predictions on {@code heldOut} subjects only
     */
    record Results(List<String> subjects, List<String> heldOut, int epochs, Map<String, FewShotResult> fewShot,
            EvaluationResult cnn, Map<String, List<ModalitySubsetEvaluation.Row>> subsets,
            List<PairedComparison.Outcome> comparisons, Map<String, Double> heldOutKappa) {
    }

    private final Path dir;
    private final ExperimentPlan plan;
    private final Map<String, String> settings;

    /**
     * @param dir      report folder of the study
     * @param plan     sizes and seeds
     * @param settings command and seeds, copied into every report
     */
    StagingStudy(Path dir, ExperimentPlan plan, Map<String, String> settings) {
        this.dir = dir;
        this.plan = plan;
        this.settings = settings;
    }

    /**
     * @param embeddings model name → its embedding folder (the first model is "Hypnos", compared
     *                   with the baselines)
     * @param manifest   labelled nights (absolute paths), with the cohort's split column
     */
    Results run(Map<String, Path> embeddings, Manifest manifest) throws IOException {
        Map<String, Map<String, LabeledDataset>> data = new LinkedHashMap<>();
        for (Map.Entry<String, Path> m : embeddings.entrySet()) {
            EmbeddingCohort cohort = new EmbeddingCohort(m.getValue(), manifest, LabelFiles.Task.STAGING);
            Map<String, LabeledDataset> bySelection = new LinkedHashMap<>();
            bySelection.put("all", cohort.dataset(ModalitySelection.all()));
            for (String s : SUBSETS) {
                bySelection.put(ModalitySelection.parse(s).name(), cohort.dataset(ModalitySelection.parse(s)));
            }
            data.put(m.getKey(), bySelection);
        }
        String first = embeddings.keySet().iterator().next();
        LabeledDataset reference = data.get(first).get("all");
        List<Split> splits = new SubjectKFold(plan.folds(), plan.seed()).splits(reference.subjects());
        Bootstrap bootstrap = new Bootstrap(plan.bootstrap(), 0.95, plan.seed());
        ProbeEvaluation linear = new ProbeEvaluation(ProbeSpec.linear(1.0), bootstrap, true);
        ProbeEvaluation mlp = new ProbeEvaluation(ProbeSpec.mlp(MlpProbe.Options.defaults()), bootstrap, true);
        FewShot fewShot = new FewShot(plan.fractions(), LongStream.range(0, plan.fewShotSeeds()).toArray());

        Map<String, FewShotResult> curves = new LinkedHashMap<>();
        for (String model : embeddings.keySet()) {
            LabeledDataset all = data.get(model).get("all");
            curves.put(model + "/linear", fewShot(model + "-linear", all, linear, fewShot, splits, model + " embeddings"));
            curves.put(model + "/mlp", fewShot(model + "-mlp", all, mlp, fewShot, splits, model + " embeddings"));
        }

        BaselineSignals signals = BaselineSignals.read(manifest);
        LabeledDataset bandPowers = signals.bandPowers();
        curves.put("bandpower/linear", fewShot("bandpower-linear", bandPowers, linear, fewShot, splits, "band powers"));
        curves.put("bandpower/mlp", fewShot("bandpower-mlp", bandPowers, mlp, fewShot, splits, "band powers"));

        CnnBaseline cnnBaseline = new CnnBaseline(CnnBaseline.Options.defaults().withMaxEpochs(plan.cnnPasses())
                .withSeed(plan.seed()).withDevice(plan.device()));
        EvaluationResult cnn = cnnBaseline.crossValidate(signals.nights(), EpochDatasetBuilder.STAGE_NAMES, splits,
                linear.scoring(), plan.folds() + " subject folds, all labels");
        new ReportWriter(dir.resolve("cnn"), 30).write(cnn, info("Supervised CNN, 100 % labels",
                signals.nights().size() + " nights, channels " + BaselineSignals.CHANNELS + " at 128 Hz"));

        Map<String, List<ModalitySubsetEvaluation.Row>> subsets = new LinkedHashMap<>();
        List<ModalitySelection> selections = SUBSETS.stream().map(ModalitySelection::parse).toList();
        for (String model : embeddings.keySet()) {
            Map<String, LabeledDataset> byName = data.get(model);
            List<ModalitySubsetEvaluation.Row> rows = new ModalitySubsetEvaluation(linear)
                    .run(s -> byName.get(s.name()), selections, splits, plan.seed());
            new ReportWriter(dir.resolve(model + "-modalities"), 30).writeModalitySubsets(rows,
                    info("Restricted modalities at test time, " + model + " embeddings, linear probe", model + " embeddings"));
            subsets.put(model, rows);
        }

        List<PairedComparison.Outcome> comparisons = compare(embeddings.keySet().stream().toList(), curves, cnn, subsets);
        new ReportWriter(dir.resolve("comparisons"), 30).writeComparison(comparisons, "first method of each row",
                "second method of each row", info("Paired comparisons of per-subject Cohen's kappa", "all subjects"));

        List<String> heldOut = heldOutSubjects(manifest, reference.subjects());
        Map<String, Double> heldOutKappa = new LinkedHashMap<>();
        curves.forEach((name, r) -> heldOutKappa.put(name, kappaOn(fullLabels(r).pooled(), heldOut)));
        heldOutKappa.put("cnn", kappaOn(cnn.pooled(), heldOut));
        return new Results(reference.subjects(), heldOut, reference.size(), curves, cnn, subsets, comparisons, heldOutKappa);
    }

    private FewShotResult fewShot(String name, LabeledDataset data, ProbeEvaluation evaluation, FewShot fewShot,
            List<Split> splits, String what) throws IOException {
        LOG.info("few-shot {}: {}", name, data);
        FewShotResult r = new FewShotEvaluation(evaluation, fewShot).run(data, splits);
        new ReportWriter(dir.resolve(name), 30).writeFewShot(r, info("Few-shot sleep staging, " + what + ", "
                + evaluation.spec().describe(), data.toString()));
        return r;
    }

    private ReportInfo info(String title, String dataset) {
        return new ReportInfo(title, dataset, settings);
    }

    /** The paired tests; the family is adjusted together. */
    private static List<PairedComparison.Outcome> compare(List<String> models, Map<String, FewShotResult> curves,
            EvaluationResult cnn, Map<String, List<ModalitySubsetEvaluation.Row>> subsets) {
        String hypnos = models.get(0);
        Map<String, Double> cnnKappa = perSubjectKappa(cnn.pooled());
        PairedComparison c = new PairedComparison();
        for (String probe : List.of("linear", "mlp")) {
            FewShotResult h = curves.get(hypnos + "/" + probe);
            for (double f : fractions(h)) {
                c.add(String.format(java.util.Locale.ROOT, "%s/%s %s labels vs cnn 100 %%", hypnos, probe, percent(f)),
                        perSubjectKappa(h, f), cnnKappa);
            }
            c.add(hypnos + "/" + probe + " 100 % vs bandpower/" + probe + " 100 %", perSubjectKappa(h, 1.0),
                    perSubjectKappa(curves.get("bandpower/" + probe), 1.0));
        }
        if (models.size() > 1) {
            String other = models.get(1);
            List<ModalitySubsetEvaluation.Row> a = subsets.get(hypnos);
            List<ModalitySubsetEvaluation.Row> b = subsets.get(other);
            for (int i = 0; i < a.size(); i++) {
                ModalitySubsetEvaluation.Row ra = a.get(i);
                c.add(hypnos + " vs " + other + ", linear, trained on " + ra.train() + ", tested on " + ra.test(),
                        perSubjectKappa(ra.result().pooled()), perSubjectKappa(b.get(i).result().pooled()));
            }
        }
        return c.run();
    }

    /** Label fractions of a few-shot result, ascending. */
    static List<Double> fractions(FewShotResult r) {
        return new TreeSet<>(r.points().stream().map(FewShotResult.Point::fraction).toList()).stream().toList();
    }

    /** {@code 1 %}, {@code 10 %}, {@code 100 %}. */
    static String percent(double f) {
        double p = f * 100;
        return p == Math.rint(p) ? String.format(java.util.Locale.ROOT, "%d %%", (long) p)
                : String.format(java.util.Locale.ROOT, "%.3g %%", p);
    }

    static Map<String, Double> perSubjectKappa(Predictions p) {
        Map<String, Double> out = new HashMap<>();
        p.metricsBySubject().forEach((s, m) -> out.put(s, m.cohenKappa()));
        return out;
    }

    /** Per-subject κ at one label fraction, averaged over the few-shot seeds. */
    static Map<String, Double> perSubjectKappa(FewShotResult r, double fraction) {
        Map<String, double[]> acc = new HashMap<>();
        for (FewShotResult.Point p : r.points()) {
            if (p.fraction() != fraction) {
                continue;
            }
            perSubjectKappa(p.result().pooled()).forEach((s, k) -> {
                if (Double.isFinite(k)) {
                    double[] a = acc.computeIfAbsent(s, x -> new double[2]);
                    a[0] += k;
                    a[1]++;
                }
            });
        }
        Map<String, Double> out = new HashMap<>();
        acc.forEach((s, a) -> out.put(s, a[0] / a[1]));
        return out;
    }

    /** The full-label run of the first seed. */
    static EvaluationResult fullLabels(FewShotResult r) {
        return r.points().stream().filter(p -> p.seed() == r.points().get(0).seed())
                .max(java.util.Comparator.comparingDouble(FewShotResult.Point::fraction)).orElseThrow().result();
    }

    private static List<String> heldOutSubjects(Manifest manifest, List<String> subjects) {
        Set<String> held = new TreeSet<>();
        for (Manifest.Entry e : manifest.entries()) {
            if (!"train".equals(e.split())) {
                held.add(e.subject());
            }
        }
        held.retainAll(subjects);
        return new ArrayList<>(held);
    }

    private static double kappaOn(Predictions p, List<String> subjects) {
        Set<String> keep = Set.copyOf(subjects);
        int[] rows = IntStream.range(0, p.size()).filter(i -> keep.contains(p.subject()[i])).toArray();
        return rows.length == 0 ? Double.NaN : p.select(rows).metrics().cohenKappa();
    }

}

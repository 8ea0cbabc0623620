package ai.hypnos.examples;

import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.NsrrXml;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.eval.data.EmbeddingSource;
import ai.hypnos.eval.data.EpochDatasetBuilder;
import ai.hypnos.eval.data.InMemoryEmbeddings;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.ModalitySelection;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.metrics.ClassificationMetrics;
import ai.hypnos.eval.metrics.ConfusionMatrix;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.Split;
import ai.hypnos.eval.protocol.SubjectKFold;
import ai.hypnos.eval.report.ReportInfo;
import ai.hypnos.eval.report.ReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sleep staging with a linear probe on frozen embeddings (DESIGN §8), end to end on a synthetic
 * cohort: generate the cohort (EDF+ recordings and NSRR scorings from four "sites" with their own
 * montages, mains frequencies and faults), embed every night, average the embeddings over each
 * 30-s epoch, and cross-validate a multinomial logistic regression subject-wise. Prints Cohen's
 * κ and the confusion matrix and writes a report (metrics.json, predictions.csv, confusion.png…).
 *
 * <pre>
 * ProbeCohort [BUNDLE [SUBJECTS [HOURS [OUT_DIR]]]]
 * </pre>
 *
 * Without arguments: a random {@code tiny} bundle, 6 subjects of 1 hour, 3 folds. A random model
 * gives random features, so expect a κ well below a trained model's; the numbers of a trained
 * {@code small} model are in {@code docs/results.md}.
 */
public final class ProbeCohort {
    private ProbeCohort() {
    }

    /**
     * The outcome.
     *
     * @param data   the pooled epochs (one row per scored 30-s epoch, grouped by subject)
     * @param result per-fold and pooled test predictions and metrics
     * @param report the report folder
     */
    public record Result(LabeledDataset data, EvaluationResult result, Path report) {
        /** Cohen's κ over all test predictions pooled (each labelled epoch tested once). */
        public double kappa() {
            return result.overall().cohenKappa();
        }
    }

    public static void main(String[] args) throws IOException {
        Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("hypnos-probe");
        Path bundle = args.length > 0 ? Path.of(args[0]) : TinyBundle.write(work.resolve("tiny.safetensors"), 7);
        int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        double hours = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        run(bundle, work, subjects, hours, 3, 42, System.out);
    }

    /**
     * Generates a cohort under {@code work/cohort}, embeds it, probes it with {@code folds}-fold
     * subject-wise cross-validation and writes the report to {@code work/report}.
     */
    public static Result run(Path bundle, Path work, int subjects, double hours, int folds, long seed, PrintStream log)
            throws IOException {
        // 1. The cohort: recordings, scorings and a manifest (subject, recording, annotations, site, notch, split).
        CohortManifest cohort = SyntheticCohort.generate(CohortSpec.of(subjects, hours, seed), work.resolve("cohort"));
        log.printf(Locale.ROOT, "cohort: %d nights of %.1f h in %s%n", cohort.entries().size(), hours, cohort.file());

        // 2. Embeddings → 30-s epochs, labelled by the scored hypnogram.
        EpochDatasetBuilder epochs = EpochDatasetBuilder.staging(ModalitySelection.all());
        try (HypnosModel model = Hypnos.load(bundle, ExampleLoadOptions.get())) {
            for (CohortManifest.Entry e : cohort.entries()) {
                // Each site has its own mains frequency: the notch follows the manifest.
                EmbedOptions options = model.options().embedDefaults().withNotchHz(e.notch());
                Embeddings z = model.embed(cohort.recordingPath(e), options);
                Hypnogram scored = NsrrXml.read(cohort.annotationsPath(e)).hypnogram(z.seconds());
                epochs.add(e.subject(), e.recording(), asSource(z), scored);
                log.printf(Locale.ROOT, "  %s (%s): %d s, modalities %s%n", e.subject(), e.site(), z.seconds(),
                        z.present());
            }
        }
        LabeledDataset data = epochs.build();
        log.println("dataset: " + data);

        // 3. Linear probe (standardised features, L2 C = 1), subject-wise k-fold: no subject is
        //    trained and tested on in the same fold. Bootstrap CIs resample whole subjects.
        ProbeEvaluation evaluation = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(200, 0.95, seed), true);
        List<Split> splits = new SubjectKFold(folds, seed).splits(data.subjects());
        EvaluationResult result = evaluation.crossValidate(data, splits, seed, folds + "-fold subject CV");

        ClassificationMetrics m = result.overall();
        log.printf(Locale.ROOT, "Cohen's kappa %.3f (95%% CI %.3f to %.3f), macro-F1 %.3f, balanced accuracy %.3f"
                + " over %d test epochs%n", m.cohenKappa(), result.kappaCi().lower(), result.kappaCi().upper(),
                m.macroF1(), m.balancedAccuracy(), result.pooled().size());
        log.print(table(m.confusion(), data.classNames()));

        Path report = work.resolve("report");
        new ReportWriter(report, 30).write(result, new ReportInfo("Sleep staging, linear probe",
                "synthetic cohort, " + subjects + " subjects", Map.of("bundle", bundle.getFileName().toString())));
        log.println("report: " + report.resolve("report.md"));
        return new Result(data, result, report);
    }

    /** The embeddings of one night as the probe's input (per-modality arrays and the model's mean). */
    static EmbeddingSource asSource(Embeddings z) {
        Map<Modality, float[]> perModality = new EnumMap<>(Modality.class);
        for (String name : z.present()) {
            perModality.put(Modality.fromKey(name).orElseThrow(), z.modality(name));
        }
        return new InMemoryEmbeddings(z.seconds(), z.dim(), perModality, z.mean().toFloatArray(), null);
    }

    /** The confusion matrix as text: rows are the scored stages, columns the predicted ones. */
    static String table(ConfusionMatrix cm, List<String> names) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s", "true\\pred"));
        for (String n : names) {
            b.append(String.format(Locale.ROOT, "%7s", n));
        }
        b.append('\n');
        for (int i = 0; i < cm.numClasses(); i++) {
            b.append(String.format(Locale.ROOT, "%-9s", names.get(i)));
            for (int j = 0; j < cm.numClasses(); j++) {
                b.append(String.format(Locale.ROOT, "%7.0f", cm.count(i, j)));
            }
            b.append('\n');
        }
        return b.toString();
    }
}

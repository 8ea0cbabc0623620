package ai.hypnos.cli.probe;

import ai.hypnos.eval.data.EmbeddingCohort;
import ai.hypnos.eval.data.FeatureDirectory;
import ai.hypnos.eval.data.LabelFiles;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.data.ModalitySelection;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.Activation;
import ai.hypnos.eval.probe.ClassWeighting;
import ai.hypnos.eval.probe.LogisticRegression;
import ai.hypnos.eval.probe.MlpProbe;
import ai.hypnos.eval.probe.ProbeSpec;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FewShot;
import ai.hypnos.eval.protocol.FewShotEvaluation;
import ai.hypnos.eval.protocol.FewShotResult;
import ai.hypnos.eval.protocol.FixedSplit;
import ai.hypnos.eval.protocol.ModalitySubsetEvaluation;
import ai.hypnos.eval.protocol.ProbeEvaluation;
import ai.hypnos.eval.protocol.Split;
import ai.hypnos.eval.protocol.SubjectKFold;
import ai.hypnos.eval.report.ReportInfo;
import ai.hypnos.eval.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnos probe}: trains linear or MLP probes on frozen features under a subject-wise
 * protocol and writes a report folder ({@code metrics.json}, {@code predictions.csv},
 * {@code report.md}, plots). Two inputs:
 * <ul>
 *   <li>{@code --features DIR}: one NPZ per subject with {@code X (N, D)} and {@code y (N,)}
 *       (−1 unscored);</li>
 *   <li>{@code --embeddings DIR --labels MANIFEST --task staging|af}: per-recording embedding
 *       NPZs ({@code <recording name>.npz} with per-modality {@code [S, D]} arrays, {@code mean},
 *       {@code presence}) and a cohort manifest whose {@code annotations} column names the labels.</li>
 * </ul>
 * See docs/evaluation.md.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train linear/MLP probes on frozen features with subject-wise cross-validation or few-shot",
            "protocols and write metrics.json, predictions.csv, report.md and plots."})
public final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Exactly one input form. */
    static final class Input {
        @Option(names = "--features", paramLabel = "DIR",
                description = "Directory with one NPZ per subject holding X (N, D) and y (N,), -1 = unscored.")
        Path features;

        @ArgGroup(exclusive = false)
        EmbeddingInput embeddings;
    }

    /** The embedding form: all three options together. */
    static final class EmbeddingInput {
        @Option(names = "--embeddings", required = true, paramLabel = "DIR",
                description = "Directory of per-recording embedding NPZs named <recording name>.npz.")
        Path dir;

        @Option(names = "--labels", required = true, paramLabel = "MANIFEST",
                description = "Cohort CSV: subject,recording,annotations,site,notch,split.")
        Path manifest;

        @Option(names = "--task", required = true, paramLabel = "TASK", description = "staging or af.")
        String task;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--probe", defaultValue = "linear", paramLabel = "KIND", description = "linear (default) or mlp.")
    String probe;

    @Option(names = "--protocol", defaultValue = "kfold", paramLabel = "P",
            description = "kfold (default), fewshot, or fixed (the manifest's split column; embeddings only).")
    String protocol;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Subject-wise folds (default 5).")
    int folds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of folds, subsets, MLP and bootstrap (default 0).")
    long seed;

    @Option(names = "--report", required = true, paramLabel = "OUT_DIR", description = "Report folder (created).")
    Path report;

    @Option(names = "--modalities", defaultValue = "default", paramLabel = "M",
            description = "Embeddings averaged per second: all, or keys/types joined by + (eeg+eog). "
                    + "Default: all for staging, ecg for af.")
    String modalities;

    @Option(names = "--test-modalities", paramLabel = "M",
            description = "Restricted-modality evaluation (repeatable): probes trained on all modalities are tested on "
                    + "the mean over M, and probes trained and tested on M; writes modality-subsets.{json,md}.")
    List<String> testModalities = new ArrayList<>();

    @Option(names = "--fractions", split = ",", defaultValue = "0.01,0.1,1.0", paramLabel = "F",
            description = "Few-shot label fractions of training subjects (default 0.01,0.1,1.0).")
    double[] fractions;

    @Option(names = "--fewshot-seeds", defaultValue = "5", paramLabel = "N", description = "Few-shot subset draws (default 5).")
    int fewShotSeeds;

    @Option(names = "--C", defaultValue = "1.0", paramLabel = "C",
            description = "Inverse L2 strength of the linear probe, as scikit-learn's C (default 1.0).")
    double c;

    @Option(names = "--class-weight", defaultValue = "none", paramLabel = "W",
            description = "none (default), balanced, or comma-separated weights per class.")
    String classWeight;

    @Option(names = "--hidden", defaultValue = "256", paramLabel = "H", description = "MLP hidden units (default 256).")
    int hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "A", description = "MLP activation: relu (default) or gelu.")
    String activation;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "MLP Adam learning rate (default 1e-3).")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD", description = "MLP L2 weight decay (default 0).")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "MLP batch size (default 256).")
    int batchSize;

    @Option(names = "--max-epochs", defaultValue = "200", paramLabel = "E", description = "MLP epochs at most (default 200).")
    int maxEpochs;

    @Option(names = "--patience", defaultValue = "10", paramLabel = "P", description = "MLP early-stopping patience (default 10).")
    int patience;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Bootstrap resamples for CIs (default 1000).")
    int bootstrap;

    @Option(names = "--ci-level", defaultValue = "0.95", paramLabel = "L", description = "Confidence level (default 0.95).")
    double ciLevel;

    @Option(names = "--bootstrap-rows", description = "Resample epochs instead of subjects for the CIs.")
    boolean bootstrapRows;

    @Option(names = "--no-standardize", description = "Skip z-scoring the features before the probe.")
    boolean noStandardize;

    @Override
    public Integer call() throws Exception {
        validateCounts();
        ProbeSpec probeSpec = probeSpec();
        ProbeEvaluation evaluation = new ProbeEvaluation(probeSpec, new Bootstrap(bootstrap, ciLevel, seed), !bootstrapRows);
        String proto = protocol.trim().toLowerCase(Locale.ROOT);
        EmbeddingCohort cohort = null;
        LabeledDataset data;
        ModalitySelection selection = null;
        double windowSeconds = 30;
        String source;
        if (input.features != null) {
            if (!testModalities.isEmpty() || !modalities.equals("default")) {
                throw new IllegalArgumentException("--modalities and --test-modalities need the --embeddings form");
            }
            data = FeatureDirectory.read(input.features);
            source = input.features.toString();
        } else {
            LabelFiles.Task task = LabelFiles.Task.parse(input.embeddings.task);
            cohort = new EmbeddingCohort(input.embeddings.dir, Manifest.read(input.embeddings.manifest), task);
            selection = modalities.equals("default") ? cohort.defaultSelection() : ModalitySelection.parse(modalities);
            data = cohort.dataset(selection);
            source = input.embeddings.dir + " + " + input.embeddings.manifest + " (" + task.name().toLowerCase(Locale.ROOT)
                    + ", modalities " + selection + ")";
        }
        List<Split> splits = switch (proto) {
            case "kfold", "fewshot" -> new SubjectKFold(folds, seed).splits(data.subjects());
            case "fixed" -> {
                if (cohort == null) {
                    throw new IllegalArgumentException("--protocol fixed needs --labels MANIFEST with a split column");
                }
                yield List.of(FixedSplit.fromManifest(cohort.manifest()));
            }
            default -> throw new IllegalArgumentException("unknown --protocol '" + protocol + "' (expected kfold, fewshot or fixed)");
        };
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("command", "hypnos " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        settings.put("probe", probeSpec.describe());
        settings.put("protocol", proto + (proto.equals("fixed") ? "" : ", " + folds + " subject folds"));
        settings.put("seed", Long.toString(seed));
        settings.put("bootstrap", bootstrap + " resamples of " + (bootstrapRows ? "epochs" : "subjects") + ", level " + ciLevel);
        String datasetLine = source + ": " + data.subjects().size() + " subjects, " + data.size() + " labelled rows, "
                + data.numFeatures() + " features, classes " + data.classNames() + " " + java.util.Arrays.toString(data.classCounts());
        String title = (cohort != null && cohort.task() == LabelFiles.Task.AF ? "AF detection" : "Probe evaluation")
                + " — " + (probeSpec.kind() == ProbeSpec.Kind.LINEAR ? "linear" : "MLP") + " probe";
        ReportInfo info = new ReportInfo(title, datasetLine, settings);
        ReportWriter writer = new ReportWriter(report, windowSeconds);
        PrintWriter out = spec.commandLine().getOut();
        if (proto.equals("fewshot")) {
            settings.put("fractions", java.util.Arrays.toString(fractions));
            settings.put("few-shot seeds", Integer.toString(fewShotSeeds));
            long[] seeds = new long[fewShotSeeds];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = seed + i;
            }
            FewShotResult r = new FewShotEvaluation(evaluation, new FewShot(fractions, seeds)).run(data, splits);
            writer.writeFewShot(r, new ReportInfo(title + ", few-shot", datasetLine, settings));
            for (double[] row : r.curve(x -> x.overall().cohenKappa())) {
                out.printf(Locale.ROOT, "fraction %.4g: kappa %.4f ± %.4f over %d seeds%n", row[0], row[1], row[2], (int) row[3]);
            }
        } else {
            EvaluationResult r = evaluation.crossValidate(data, splits, seed, settings.get("protocol"));
            writer.write(r, info);
            out.printf(Locale.ROOT, "kappa %.4f [%.4f, %.4f], macro-F1 %.4f, balanced accuracy %.4f, accuracy %.4f (%d rows, %d subjects)%n",
                    r.overall().cohenKappa(), r.kappaCi().lower(), r.kappaCi().upper(), r.overall().macroF1(),
                    r.overall().balancedAccuracy(), r.overall().accuracy(), r.pooled().size(), r.pooled().subjects().size());
            if (r.binary() != null) {
                out.printf(Locale.ROOT, "AUROC %.4f [%.4f, %.4f], AUPRC %.4f [%.4f, %.4f]%n", r.binary().auroc(),
                        r.binary().aurocCi().lower(), r.binary().aurocCi().upper(), r.binary().auprc(),
                        r.binary().auprcCi().lower(), r.binary().auprcCi().upper());
            }
        }
        if (!testModalities.isEmpty()) {
            final EmbeddingCohort c = cohort;
            List<ModalitySelection> subsets = testModalities.stream().map(ModalitySelection::parse).toList();
            List<ModalitySubsetEvaluation.Row> rows = new ModalitySubsetEvaluation(evaluation)
                    .run(sel -> sel.full() ? data : c.dataset(sel), subsets, splits, seed);
            writer.writeModalitySubsets(rows, new ReportInfo(title + ", restricted modalities", datasetLine, settings));
            for (ModalitySubsetEvaluation.Row row : rows) {
                out.printf(Locale.ROOT, "trained on %s, tested on %s: kappa %.4f%n", row.train(), row.test(),
                        row.result().overall().cohenKappa());
            }
        }
        out.println("report: " + report.toAbsolutePath());
        out.flush();
        return 0;
    }

    /**
     * Checks the numeric options before any data is read. Left to the libraries, a bad value
     * fails deep inside (a negative --fewshot-seeds is a NegativeArraySizeException printed as
     * "-1", exit 1) or with a message that does not say which option to fix.
     */
    void validateCounts() {
        if (!protocol.trim().equalsIgnoreCase("fixed")) {
            // --protocol fixed takes its split from the manifest and ignores --folds.
            atLeast("--folds", folds, 2);
        }
        atLeast("--fewshot-seeds", fewShotSeeds, 1);
        atLeast("--bootstrap", bootstrap, 1);
        atLeast("--hidden", hidden, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--max-epochs", maxEpochs, 1);
        atLeast("--patience", patience, 1);
        if (!(ciLevel > 0 && ciLevel < 1)) {
            throw new IllegalArgumentException("--ci-level must be in (0, 1), got " + ciLevel);
        }
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("--C must be a positive finite number, got " + c);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive finite number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        if (fractions == null || fractions.length == 0) {
            throw new IllegalArgumentException("--fractions needs at least one fraction");
        }
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("--fractions must each be in (0, 1], got " + f);
            }
        }
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        }
    }

    private ProbeSpec probeSpec() {
        ClassWeighting weighting = ClassWeighting.parse(classWeight);
        ProbeSpec.Kind kind = ProbeSpec.Kind.parse(probe);
        Activation act = switch (activation.trim().toLowerCase(Locale.ROOT)) {
            case "relu" -> Activation.RELU;
            case "gelu" -> Activation.GELU;
            default -> throw new IllegalArgumentException("--activation must be relu or gelu, got '" + activation + "'");
        };
        MlpProbe.Options mlp = MlpProbe.Options.defaults().withHidden(hidden).withActivation(act).withLearningRate(learningRate)
                .withWeightDecay(weightDecay).withBatchSize(batchSize).withMaxEpochs(maxEpochs).withPatience(patience)
                .withWeighting(weighting).withSeed(seed);
        LogisticRegression.Options linear = LogisticRegression.Options.defaults().withC(c).withWeighting(weighting);
        return new ProbeSpec(kind, linear, mlp, !noStandardize);
    }
}

package ai.hypnos.cli.experiment;

import ai.hypnos.train.metrics.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnos experiment}: the evaluation experiment of docs/results.md — a synthetic cohort,
 * two RQ-Transformers pretrained with and without CRP modality masking, few-shot linear and MLP
 * probes against band-power and supervised-CNN baselines on held-out subjects, restricted
 * modalities at test time, paired tests, and AF detection on a synthetic AF window set.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the evaluation experiment of docs/results.md on a synthetic cohort: pretrain with and without "
                + "CRP masking, then few-shot probes vs band-power and CNN baselines on held-out subjects, restricted "
                + "modalities, Wilcoxon + BH tests, and AF AUROC. Writes reports under --out; report/summary.md has the tables.",
            "Each stage is skipped or resumed when its output exists, so an interrupted run continues where it stopped."})
public final class ExperimentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "hypnos-out/experiment", paramLabel = "DIR",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--subjects", paramLabel = "N", description = "Synthetic subjects, one night each (default 40).")
    Integer subjects;

    @Option(names = "--hours", paramLabel = "H", description = "Hours per night (default 0.75).")
    Double hours;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of cohort, training and evaluation (default 7).")
    Long seed;

    @Option(names = "--tokenizer-steps", paramLabel = "N", description = "Tokenizer training steps per signal type (default 300).")
    Long tokenizerSteps;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Pretraining setting for both runs, after the plan's (repeatable; e.g. model.preset=small, "
                    + "optim.steps=200; docs/training.md).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--folds", paramLabel = "K", description = "Subject-wise folds (default 4).")
    Integer folds;

    @Option(names = "--fewshot-seeds", paramLabel = "N", description = "Few-shot subset seeds per label fraction (default 3).")
    Integer fewShotSeeds;

    @Option(names = "--cnn-passes", paramLabel = "N", description = "Maximum passes of the supervised CNN (default 4).")
    Integer cnnPasses;

    @Option(names = "--af-windows", paramLabel = "N", description = "Windows of the synthetic AF set (default 240).")
    Integer afWindows;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N",
            description = "Where tokenizers, pretraining, embedding and the CNN run (default cpu; probes always run on the CPU). "
                    + "Add --set precision=tf32|fp16 for mixed-precision pretraining.")
    String device;

    @Option(names = "--bootstrap", paramLabel = "N", description = "Bootstrap resamples per confidence interval (default 1000).")
    Integer bootstrap;

    @Override
    public Integer call() throws Exception {
        ExperimentPlan d = ExperimentPlan.defaults();
        ExperimentPlan plan = new ExperimentPlan(subjects != null ? subjects : d.subjects(), hours != null ? hours : d.hours(),
                seed != null ? seed : d.seed(), d.tokenizerPreset(), tokenizerSteps != null ? tokenizerSteps : d.tokenizerSteps(),
                d.tokenizerNights(), d.pretrain(), folds != null ? folds : d.folds(),
                fewShotSeeds != null ? fewShotSeeds : d.fewShotSeeds(), d.fractions(),
                cnnPasses != null ? cnnPasses : d.cnnPasses(), afWindows != null ? afWindows : d.afWindows(), d.afFolds(),
                bootstrap != null ? bootstrap : d.bootstrap(), d.device()).withPretrain(sets).withDevice(device);
        PrintWriter o = spec.commandLine().getOut();
        // originalArgs() are the arguments of the whole command line, "experiment" included.
        String command = "hypnos " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        o.println(command + " -> " + out.toAbsolutePath());
        o.flush();
        long t0 = System.nanoTime();
        Path report = new Experiment(out, plan, o, command.strip()).run();
        o.println();
        o.println("== result");
        o.print(Files.readString(report.resolve("summary.md")));
        o.println();
        o.println("report: " + report.resolve("summary.md").toAbsolutePath());
        o.printf(Locale.ROOT, "time:   %s%n", Progress.formatDuration((System.nanoTime() - t0) / 1e9));
        o.flush();
        return 0;
    }
}

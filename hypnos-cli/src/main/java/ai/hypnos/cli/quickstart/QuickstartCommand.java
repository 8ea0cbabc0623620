package ai.hypnos.cli.quickstart;

import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.train.metrics.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnos quickstart}: the whole pipeline on a synthetic cohort — generate nights, train
 * tokenizers, tokenize, pretrain, embed, probe sleep stages — with no input, in about 15
 * minutes on a laptop. README command 1.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline on a small synthetic cohort: generate PSG nights, train tokenizers, "
                + "build token shards, pretrain an RQ-Transformer, embed every night and probe sleep stages "
                + "on held-out subjects. Needs no input; about 2 minutes on two CPU cores.",
            "Each stage writes one folder under --out and is skipped when its output exists, so an interrupted "
                + "quickstart continues where it stopped."})
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "hypnos-out/quickstart", paramLabel = "DIR",
            description = "Output folder (default hypnos-out/quickstart).")
    Path out;

    @Option(names = "--subjects", paramLabel = "N", description = "Synthetic nights (default 12).")
    Integer subjects;

    @Option(names = "--hours", paramLabel = "H", description = "Hours per night (default 1.0).")
    Double hours;

    @Option(names = "--steps", paramLabel = "N", description = "Pretraining steps (default 200).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of everything (default 42).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        QuickstartPlan d = QuickstartPlan.defaults();
        java.util.List<String> pretrain = new java.util.ArrayList<>(d.pretrain());
        if (steps != null) {
            pretrain.add("optim.steps=" + steps);
        }
        QuickstartPlan plan = new QuickstartPlan(subjects != null ? subjects : d.subjects(),
                hours != null ? hours : d.hours(), seed != null ? seed : d.seed(), d.tokenizerPreset(),
                d.tokenizerSteps(), d.tokenizerNights(), d.tokenizerBatch(), pretrain, d.folds());
        PrintWriter o = spec.commandLine().getOut();
        o.println("hypnos quickstart: synthetic cohort -> tokenizers -> token shards -> pretraining -> embeddings "
                + "-> sleep-staging probe, in " + out.toAbsolutePath());
        o.flush();
        long t0 = System.nanoTime();
        Quickstart.Outcome r = new Quickstart(out, plan, o).run();
        EvaluationResult p = r.probe();
        o.println();
        o.println("== result");
        if (r.pretraining().validation() != null) {
            o.printf(Locale.ROOT, "pretraining: validation loss %.3f nats per token (unigram entropy of the tokens %.3f)%n",
                    r.pretraining().validation().loss(), r.pretraining().unigram().loss());
        }
        o.printf(Locale.ROOT, "sleep staging (linear probe, held-out subjects): Cohen's kappa %.3f [95%% CI %.3f, %.3f], "
                + "macro-F1 %.3f, accuracy %.3f%n", p.overall().cohenKappa(), p.kappaCi().lower(), p.kappaCi().upper(),
                p.overall().macroF1(), p.overall().accuracy());
        o.println();
        o.println("report:        " + r.report().resolve("report.md").toAbsolutePath());
        o.println("plots:         " + r.report().toAbsolutePath() + " (confusion matrix, hypnogram)");
        o.println("loss curve:    " + r.pretraining().lossCurve().toAbsolutePath());
        o.println("trained model: " + r.pretraining().bundle().toAbsolutePath());
        o.println("next:          docs/training.md (train on your cohort), docs/embedding.md, docs/evaluation.md");
        StringBuilder times = new StringBuilder();
        for (Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
            times.append(times.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(Progress.formatDuration(e.getValue()));
        }
        o.printf(Locale.ROOT, "time:          %s total (%s)%n", Progress.formatDuration((System.nanoTime() - t0) / 1e9), times);
        o.flush();
        return 0;
    }
}

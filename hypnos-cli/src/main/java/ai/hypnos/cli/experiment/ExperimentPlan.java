package ai.hypnos.cli.experiment;

import ai.djl.Device;
import ai.hypnos.embed.Devices;
import java.util.ArrayList;
import java.util.List;

/**
 * The sizes and seeds of one {@code hypnos experiment} run. Everything random derives from
 * {@link #seed()} (cohort, tokenizers, pretraining, folds, probes, CNN, AF windows) except the
 * few-shot subsets, which use seeds {@code 0 .. fewShotSeeds-1}.
 *
 * @param subjects        synthetic subjects (one night each)
 * @param hours           night length
 * @param seed            seed of the cohort, training and evaluation
 * @param tokenizerPreset tokenizer size ({@code tiny}, {@code small}, {@code base})
 * @param tokenizerSteps  tokenizer training steps per signal type
 * @param tokenizerNights training nights the tokenizers see
 * @param pretrain        {@code key=value} settings of both pretraining runs (docs/training.md)
 * @param folds           subject-wise folds of every staging evaluation
 * @param fewShotSeeds    subset draws per label fraction
 * @param fractions       label fractions of the few-shot curve
 * @param cnnPasses       maximum passes of the supervised CNN over its training epochs
 * @param afWindows       windows of the synthetic AF set
 * @param afFolds         window-wise folds of the AF probe
 * @param bootstrap       bootstrap resamples of every confidence interval
 * @param device          where tokenizers, RQ-Transformers and the CNN train and embed
 *                        ({@code cpu}, {@code gpu}, {@code gpu:N}); probes run on the CPU
 */
public record ExperimentPlan(int subjects, double hours, long seed, String tokenizerPreset, long tokenizerSteps,
        int tokenizerNights, List<String> pretrain, int folds, int fewShotSeeds, double[] fractions, int cnnPasses,
        int afWindows, int afFolds, int bootstrap, String device) {

    public ExperimentPlan {
        pretrain = List.copyOf(pretrain);
        fractions = fractions.clone();
        if (subjects < 4 || folds < 2 || folds > subjects || fewShotSeeds < 1 || cnnPasses < 1 || afWindows < 6
                || afFolds < 2 || bootstrap < 10) {
            throw new IllegalArgumentException("experiment plan out of range: " + subjects + " subjects, " + folds
                    + " folds, " + fewShotSeeds + " few-shot seeds, " + cnnPasses + " CNN passes, " + afWindows
                    + " AF windows, " + afFolds + " AF folds, " + bootstrap + " bootstrap resamples");
        }
        Devices.parse(device);
        if (java.util.Arrays.stream(fractions).noneMatch(f -> f == 1.0)) {
            throw new IllegalArgumentException("the label fractions must include 1.0 (the full-label comparisons)");
        }
    }

    /**
     * The plan of docs/results.md, sized for the 2-core development machine: 40 subjects of
     * 45 min, {@code tiny} tokenizers (300 steps), two {@code tiny} RQ-Transformers of 300 steps
     * at lr 1e-3 on batches of 8 × 64 s (a {@code small} step measured 30 s there, so two
     * meaningful {@code small} runs did not fit; {@code --set model.preset=small} runs it where
     * they do; longer or faster runs hit non-finite gradients, see docs/results.md), 4 subject folds, 3 few-shot seeds, a CNN of
     * at most 4 passes, 240 AF windows.
     */
    public static ExperimentPlan defaults() {
        return new ExperimentPlan(40, 0.75, 7, "tiny", 300, 6, List.of(
                "model.preset=tiny",
                "data.context_seconds=64",
                "data.batch_size=8",
                "optim.steps=300",
                "optim.lr=1.0e-3",
                "optim.warmup_steps=15",
                "eval.every=100",
                "eval.windows=16",
                "checkpoint.every=100",
                "log.every=25"), 4, 3, new double[] {0.01, 0.1, 1.0}, 4, 240, 5, 1000, "cpu");
    }

    /** This plan with other pretraining settings appended (later settings win). */
    public ExperimentPlan withPretrain(List<String> more) {
        List<String> all = new ArrayList<>(pretrain);
        all.addAll(more);
        return new ExperimentPlan(subjects, hours, seed, tokenizerPreset, tokenizerSteps, tokenizerNights, all, folds,
                fewShotSeeds, fractions, cnnPasses, afWindows, afFolds, bootstrap, device);
    }

    /** This plan on another device: on a GPU its pretraining runs get {@code devices=[device]}. */
    public ExperimentPlan withDevice(String d) {
        List<String> all = new ArrayList<>(pretrain);
        if (Devices.parse(d).isGpu()) {
            all.add("devices=[" + d.trim() + "]");
        }
        return new ExperimentPlan(subjects, hours, seed, tokenizerPreset, tokenizerSteps, tokenizerNights, all, folds,
                fewShotSeeds, fractions, cnnPasses, afWindows, afFolds, bootstrap, d);
    }

    /** The DJL device of {@link #device()}. */
    public Device djlDevice() {
        return Devices.parse(device);
    }

    @Override
    public double[] fractions() {
        return fractions.clone();
    }
}

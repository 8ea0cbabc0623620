package ai.hypnos.cli.quickstart;

import java.util.List;

/**
 * The sizes of a quickstart run, chosen so the whole pipeline takes minutes on two CPU cores
 * (about 2 measured on an idle machine, well under the 15-minute budget; docs/benchmarks.md) while
 * the tokenizers use most of their codes and the probe finds sleep stages in the embeddings.
 *
 * @param subjects        synthetic subjects (one night each)
 * @param hours           night length
 * @param seed            cohort, training and probe seed
 * @param tokenizerPreset tokenizer size ({@code tiny}, {@code small}, {@code base})
 * @param tokenizerSteps  training steps per signal type
 * @param tokenizerNights training nights the tokenizers see
 * @param tokenizerBatch  tokenizer training windows per step
 * @param pretrain        {@code --set} overrides of the pretraining run
 * @param folds           subject folds of the probe
 */
public record QuickstartPlan(int subjects, double hours, long seed, String tokenizerPreset, long tokenizerSteps,
        int tokenizerNights, int tokenizerBatch, List<String> pretrain, int folds) {

    /** The default plan. */
    public static QuickstartPlan defaults() {
        return new QuickstartPlan(12, 1.0, 42, "tiny", 400, 6, 4, List.of(
                "model.preset=tiny",
                "data.context_seconds=64",
                "data.batch_size=8",
                "optim.steps=200",
                "optim.lr=3.0e-3",
                "optim.warmup_steps=20",
                "eval.every=100",
                "eval.windows=16",
                "checkpoint.every=100",
                "log.every=10"), 5);
    }
}

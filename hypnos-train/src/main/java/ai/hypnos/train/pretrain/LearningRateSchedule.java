package ai.hypnos.train.pretrain;

/**
 * Linear warm-up from 0 to the peak over {@code warmup} steps, then cosine decay to
 * {@code peak · minRatio} at {@code total} steps (and flat after). Step numbers are 0-based: the
 * first update uses {@code peak / warmup}.
 *
 * <p>The same curve as the tokenizer trainer's ({@code TokenizerTrainer}); kept as a value of its
 * own here because the transformer run has no tokenizer training configuration to hang it on.
 *
 * @param peak     learning rate at the end of warm-up
 * @param minRatio final rate over peak
 * @param warmup   warm-up steps
 * @param total    steps of the run
 */
public record LearningRateSchedule(double peak, double minRatio, long warmup, long total) {

    /** The learning rate of the update at {@code step}. */
    public double at(long step) {
        if (step < warmup) {
            return peak * (step + 1) / (double) warmup;
        }
        long decay = Math.max(1, total - warmup);
        double progress = Math.min(1.0, (step - warmup) / (double) decay);
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}

package ai.hypnos.tokenizer.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of a tokenizer training run. The reference publishes none; the defaults
 * follow DESIGN §10 (AdamW β 0.9/0.95, warm-up then cosine decay, clipping 1.0), with a lighter
 * weight decay (0.01) suited to conv codecs and learning rates per preset.
 *
 * @param batchSize windows per step
 * @param windowSeconds window length (a whole number of tokens)
 * @param peakLr learning rate after warm-up
 * @param warmupSteps linear warm-up from 0
 * @param minLrRatio the cosine ends at peakLr × this
 * @param weightDecay decoupled weight decay (not applied to biases, gains, norms)
 * @param clipNorm global gradient-norm limit
 * @param spectralWeight weight of the multi-resolution spectral loss against L1
 * @param usageWindow batches over which codebook use and perplexity are measured
 * @param logEvery steps between metric lines
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param seed seeds initialisation, data order, k-means and dead-code sampling
 */
public record TrainingConfig(
        int batchSize,
        int windowSeconds,
        double peakLr,
        int warmupSteps,
        double minLrRatio,
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        double clipNorm,
        double spectralWeight,
        int usageWindow,
        int logEvery,
        int checkpointEvery,
        long seed) {

    public TrainingConfig {
        if (batchSize <= 0 || windowSeconds <= 0 || !(peakLr > 0) || warmupSteps < 0 || usageWindow <= 0 || logEvery <= 0) {
            throw new IllegalArgumentException("invalid training configuration: " + this);
        }
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(batchSize, windowSeconds, peakLr, warmupSteps, minLrRatio, beta1, beta2, eps,
                weightDecay, clipNorm, spectralWeight, usageWindow, logEvery, checkpointEvery, s);
    }

    public TrainingConfig withBatch(int batch, int seconds) {
        return new TrainingConfig(batch, seconds, peakLr, warmupSteps, minLrRatio, beta1, beta2, eps,
                weightDecay, clipNorm, spectralWeight, usageWindow, logEvery, checkpointEvery, seed);
    }

    public TrainingConfig withSchedule(double lr, int warmup) {
        return new TrainingConfig(batchSize, windowSeconds, lr, warmup, minLrRatio, beta1, beta2, eps,
                weightDecay, clipNorm, spectralWeight, usageWindow, logEvery, checkpointEvery, seed);
    }

    public TrainingConfig withLogging(int log, int checkpoint) {
        return new TrainingConfig(batchSize, windowSeconds, peakLr, warmupSteps, minLrRatio, beta1, beta2, eps,
                weightDecay, clipNorm, spectralWeight, usageWindow, log, checkpoint, seed);
    }

    /** Learning rate at {@code step} (0-based) of {@code total}: linear warm-up, cosine to peak × minLrRatio. */
    public double learningRate(long step, long total) {
        if (step < warmupSteps) {
            return peakLr * (step + 1) / (double) warmupSteps;
        }
        long decay = Math.max(1, total - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decay);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peakLr * (minLrRatio + (1 - minLrRatio) * cosine);
    }

    /** As a JSON-able map (stored in checkpoints and metrics). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batchSize);
        m.put("window_seconds", windowSeconds);
        m.put("peak_lr", peakLr);
        m.put("warmup_steps", warmupSteps);
        m.put("min_lr_ratio", minLrRatio);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("weight_decay", weightDecay);
        m.put("clip_norm", clipNorm);
        m.put("spectral_weight", spectralWeight);
        m.put("usage_window", usageWindow);
        m.put("log_every", logEvery);
        m.put("checkpoint_every", checkpointEvery);
        m.put("seed", seed);
        return m;
    }

    /** Reads {@link #toMap()}'s output (numbers may come back as any Number type). */
    public static TrainingConfig fromMap(Map<String, ?> m) {
        return new TrainingConfig(
                num(m, "batch_size").intValue(), num(m, "window_seconds").intValue(), num(m, "peak_lr").doubleValue(),
                num(m, "warmup_steps").intValue(), num(m, "min_lr_ratio").doubleValue(), num(m, "beta1").doubleValue(),
                num(m, "beta2").doubleValue(), num(m, "eps").doubleValue(), num(m, "weight_decay").doubleValue(),
                num(m, "clip_norm").doubleValue(), num(m, "spectral_weight").doubleValue(),
                num(m, "usage_window").intValue(), num(m, "log_every").intValue(), num(m, "checkpoint_every").intValue(),
                num(m, "seed").longValue());
    }

    private static Number num(Map<String, ?> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("training config field '" + k + "' missing or not a number: " + v);
        }
        return n;
    }
}

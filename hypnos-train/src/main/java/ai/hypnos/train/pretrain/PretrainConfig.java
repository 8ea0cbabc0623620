package ai.hypnos.train.pretrain;

import ai.djl.Device;
import ai.hypnos.embed.Precision;
import ai.hypnos.train.cohort.Split;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a pretraining run is set up with. Read with {@link ConfigLoader} (YAML/JSON file
 * over the defaults in {@code defaults.yaml}, then {@code --set} overrides); the effective
 * configuration is saved with every checkpoint and as {@code config.yaml} in the run folder.
 * Field names are the file's keys (snake_case).
 */
public record PretrainConfig(
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("shards") String shards,
        @JsonProperty("tokenizers") String tokenizers,
        @JsonProperty("devices") List<String> devices,
        @JsonProperty("precision") String precision,
        @JsonProperty("seed") long seed,
        @JsonProperty("model") Model model,
        @JsonProperty("data") Data data,
        @JsonProperty("optim") Optim optim,
        @JsonProperty("loss_scale") LossScale lossScale,
        @JsonProperty("eval") Eval eval,
        @JsonProperty("checkpoint") Checkpoint checkpoint,
        @JsonProperty("log") Log log,
        @JsonProperty("bundle") Bundle bundle) {

    /** The model: a preset plus reference {@code model_kwargs} changed on top of it. */
    public record Model(@JsonProperty("preset") String preset, @JsonProperty("kwargs") ObjectNode kwargs) {
    }

    /** Training windows and batches. */
    public record Data(
            @JsonProperty("context_seconds") int contextSeconds,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("grad_accum_steps") int gradAccumSteps,
            @JsonProperty("random_offset") boolean randomOffset,
            @JsonProperty("train_split") String trainSplit,
            @JsonProperty("val_split") String valSplit) {
    }

    /** AdamW and the learning-rate schedule. */
    public record Optim(
            @JsonProperty("steps") long steps,
            @JsonProperty("lr") double lr,
            @JsonProperty("min_lr_ratio") double minLrRatio,
            @JsonProperty("warmup_steps") long warmupSteps,
            @JsonProperty("beta1") double beta1,
            @JsonProperty("beta2") double beta2,
            @JsonProperty("eps") double eps,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("clip_norm") double clipNorm) {
    }

    /**
     * Dynamic loss scaling of {@code precision: fp16} ({@link LossScaler}); unused otherwise.
     *
     * @param initial        the first scale, a power of two
     * @param growthInterval clean steps after which the scale doubles (it halves on every
     *                       step with non-finite gradients, which is skipped)
     */
    public record LossScale(@JsonProperty("initial") double initial,
            @JsonProperty("growth_interval") long growthInterval) {
    }

    /** Validation passes. */
    public record Eval(@JsonProperty("every") long every, @JsonProperty("windows") int windows,
            @JsonProperty("batch_size") int batchSize) {
    }

    /** Checkpoints. */
    public record Checkpoint(@JsonProperty("every") long every, @JsonProperty("keep_last") int keepLast) {
    }

    /** Metrics rows and the plot. */
    public record Log(@JsonProperty("every") long every, @JsonProperty("plot") boolean plot) {
    }

    /** The final bundle. */
    public record Bundle(@JsonProperty("save") boolean save, @JsonProperty("dtype") String dtype) {
    }

    /**
     * Checks every value a run depends on.
     *
     * @throws IllegalArgumentException naming the key and the value
     */
    public PretrainConfig validate() {
        require(runDir != null && !runDir.isBlank(), "run_dir", runDir, "is required");
        require(shards != null && !shards.isBlank(), "shards", shards, "is required");
        require(devices != null && !devices.isEmpty(), "devices", devices, "needs at least one device");
        for (String d : devices) {
            parseDevice(d);
        }
        require(precision != null, "precision", null, "is required (fp32, tf32 or fp16)");
        try {
            Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config precision = " + precision + ": " + e.getMessage(), e);
        }
        require(lossScale != null, "loss_scale", null, "is required");
        try {
            LossScaler.dynamic(lossScale.initial(), lossScale.growthInterval());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config loss_scale = " + lossScale + ": " + e.getMessage(), e);
        }
        require(model != null && model.preset() != null, "model.preset", null, "is required");
        ai.hypnos.transformer.Preset.parse(model.preset());
        require(data.contextSeconds() >= 1, "data.context_seconds", data.contextSeconds(), "must be >= 1");
        require(data.batchSize() >= 1, "data.batch_size", data.batchSize(), "must be >= 1");
        require(data.gradAccumSteps() >= 1 && data.batchSize() % data.gradAccumSteps() == 0, "data.grad_accum_steps",
                data.gradAccumSteps(), "must divide data.batch_size " + data.batchSize());
        require(microBatch() % devices.size() == 0, "devices", devices, "count must divide the micro-batch "
                + microBatch() + " (data.batch_size / data.grad_accum_steps)");
        Split.parse(data.trainSplit());
        Split.parse(data.valSplit());
        require(optim.steps() >= 1, "optim.steps", optim.steps(), "must be >= 1");
        require(optim.lr() > 0, "optim.lr", optim.lr(), "must be > 0");
        require(optim.minLrRatio() >= 0 && optim.minLrRatio() <= 1, "optim.min_lr_ratio", optim.minLrRatio(),
                "must be in [0, 1]");
        require(optim.warmupSteps() >= 0, "optim.warmup_steps", optim.warmupSteps(), "must be >= 0");
        require(optim.beta1() >= 0 && optim.beta1() < 1, "optim.beta1", optim.beta1(), "must be in [0, 1)");
        require(optim.beta2() >= 0 && optim.beta2() < 1, "optim.beta2", optim.beta2(), "must be in [0, 1)");
        require(optim.eps() > 0, "optim.eps", optim.eps(), "must be > 0");
        require(optim.weightDecay() >= 0, "optim.weight_decay", optim.weightDecay(), "must be >= 0");
        require(optim.clipNorm() >= 0, "optim.clip_norm", optim.clipNorm(), "must be >= 0 (0: no clipping)");
        require(eval.every() >= 0, "eval.every", eval.every(), "must be >= 0");
        require(eval.windows() >= 0, "eval.windows", eval.windows(), "must be >= 0 (0: no validation)");
        require(eval.batchSize() >= 1, "eval.batch_size", eval.batchSize(), "must be >= 1");
        require(checkpoint.every() >= 0, "checkpoint.every", checkpoint.every(), "must be >= 0");
        require(checkpoint.keepLast() >= 1, "checkpoint.keep_last", checkpoint.keepLast(), "must be >= 1");
        require(log.every() >= 1, "log.every", log.every(), "must be >= 1");
        String dt = bundle.dtype().toUpperCase(Locale.ROOT);
        require(dt.equals("F32") || dt.equals("F16") || dt.equals("BF16"), "bundle.dtype", bundle.dtype(),
                "must be F32, F16 or BF16");
        return this;
    }

    private static void require(boolean ok, String key, Object value, String what) {
        if (!ok) {
            throw new IllegalArgumentException("config " + key + " = " + value + ": " + what);
        }
    }

    /** The arithmetic of the run ({@code precision}). */
    public Precision precisionMode() {
        return Precision.parse(precision);
    }

    /**
     * A fresh loss scaler for this run: dynamic for fp16, disabled (scale 1) for fp32 and tf32,
     * whose weights are float32 anyway.
     */
    public LossScaler newLossScaler() {
        return precisionMode() == Precision.FP16 ? LossScaler.dynamic(lossScale.initial(), lossScale.growthInterval())
                : LossScaler.disabled();
    }

    /** Windows per micro-batch (all replicas together). */
    public int microBatch() {
        return data.batchSize() / data.gradAccumSteps();
    }

    public Path runPath() {
        return Path.of(runDir);
    }

    public Path shardsPath() {
        return Path.of(shards);
    }

    /** The DJL devices of the replicas. */
    public List<Device> deviceList() {
        List<Device> out = new ArrayList<>();
        for (String d : devices) {
            out.add(parseDevice(d));
        }
        return out;
    }

    /**
     * {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Device parseDevice(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.equals("cuda")) {
            return Device.gpu();
        }
        if (n.startsWith("gpu:") || n.startsWith("cuda:")) {
            try {
                return Device.gpu(Integer.parseInt(n.substring(n.indexOf(':') + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + name + "': expected cpu, gpu or gpu:N", e);
            }
        }
        throw new IllegalArgumentException("device '" + name + "': expected cpu, gpu or gpu:N");
    }
}

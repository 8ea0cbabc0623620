package ai.hypnos.train.pretrain;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.embed.Precision;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.data.DataPosition;
import ai.hypnos.train.data.ShardSet;
import ai.hypnos.train.data.WindowDataset;
import ai.hypnos.train.metrics.LossCurves;
import ai.hypnos.train.metrics.MetricsLog;
import ai.hypnos.train.metrics.ProcessMemory;
import ai.hypnos.train.metrics.Progress;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TrainingOutput;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.masking.ModalityMasks;
import ai.hypnos.transformer.nn.DepthTransformer;
import ai.hypnos.transformer.weights.ModelParameters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains an RQ-Transformer on token shards by next-token prediction (DESIGN §6, §10).
 *
 * <p>One optimiser step: take the next {@code batch_size} windows of the shuffled stream
 * ({@link WindowDataset}), draw the CRP modality masks for the whole batch, then for each of
 * {@code grad_accum_steps} micro-batches and each device replica run forward + backward on its
 * share, its loss normalised by the whole batch's per-modality present counts and modality weight
 * sum ({@link DepthTransformer.LossNormalizer}) so that the shares' losses and gradients sum to
 * the one-pass loss and gradients of the batch (gradients accumulating), sum the replicas' gradients into
 * replica 0 ({@link ReplicaGroup}), clip to the global norm and take an AdamW step at the
 * warm-up/cosine learning rate ({@link TransformerOptimizer}, {@link LearningRateSchedule}),
 * and copy the weights back to the other replicas. Each forward runs in its own NDManager scope
 * (blocks in sub-scopes inside the model), so memory is flat across steps.
 *
 * <p>Determinism: initialisation, data order, masks and dropout all derive from the seed; a
 * checkpoint stores weights, AdamW moments, step, data position and the mask generator's state,
 * so {@link #open(PretrainConfig, boolean) resuming} gives the same losses and weights as a run
 * that was never interrupted (same devices and thread counts).
 *
 * <p>Precision ({@code precision}): fp32 and tf32 train float32 weights (tf32 lets CUDA matmuls
 * use TF32 tensor cores when {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} is set). fp16 trains a
 * float16 copy of the model — forward and backward in float16, the loss promoted to float32 and
 * multiplied by the {@link LossScaler}'s scale before {@code backward} — while the
 * {@link TransformerOptimizer} keeps float32 master weights, unscales the gradients, skips steps
 * whose gradients are not finite and copies its result back. Checkpoints and the final bundle
 * hold the float32 masters; the scaler's state is checkpointed, so resume stays exact. In every
 * precision a step whose gradients are not finite is skipped and counted ({@code skipped_steps}).
 */
public final class Pretrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);
    /** The trained model with its tokenizers, in the run folder. */
    public static final String BUNDLE_FILE = "model.safetensors";
    /** {@code summary.json}'s record of the data the run read ({@link #shardIdentity(ShardSet, ShardSet)}). */
    private static final String SHARD_SET_KEY = "shard_set_sha256";

    /** Called after every step (after logging, validation and checkpointing of that step). */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(long step) throws IOException;
    }

    /**
     * The outcome of a run.
     *
     * @param steps           optimiser steps done
     * @param validation      final validation loss (null without validation data)
     * @param unigram         unigram entropy of the validation tokens (null without validation data)
     * @param tokensPerSecond training throughput of this process (modality-seconds per second)
     * @param peakRssMiB      peak resident memory of the process
     * @param bundle          the saved bundle, or null
     * @param lossCurve       the loss-curve PNG, or null
     */
    public record Result(long steps, Validation.Result validation, Validation.Result unigram, double tokensPerSecond,
            double peakRssMiB, Path runDir, Path bundle, Path lossCurve) {
    }

    private final PretrainConfig config;
    private final ShardSet trainShards;
    /** {@link #shardIdentity(ShardSet, ShardSet)} of the shards this run opened, for its summary. */
    private final String shardIdentity;
    private final ShardLayout layout;
    private final TransformerConfig modelConfig;
    private final RqTransformer model;
    private final RqTransformer master;
    private final ReplicaGroup replicas;
    private final TransformerOptimizer optimizer;
    private final ModalityMasker masker;
    private final Rng rng;
    private final WindowDataset data;
    private final Validation validation;
    private final LearningRateSchedule schedule;
    private final Checkpoints checkpoints;
    private long step;
    private DataPosition position;
    private double bestValLoss;
    private long bestStep;
    private double elapsedBefore;
    private long runStart = System.nanoTime();

    /**
     * @param master the float32 model (initialised or loaded); trained directly in fp32/tf32, the
     *               optimiser's master weights in fp16 (closed with this pretrainer either way)
     */
    private Pretrainer(PretrainConfig config, ShardSet trainShards, ShardSet valShards, String shardIdentity,
            RqTransformer master, Checkpoints checkpoints, Path resumeFrom) throws IOException {
        this.config = config;
        this.trainShards = trainShards;
        this.shardIdentity = shardIdentity;
        this.layout = trainShards.layout();
        this.modelConfig = master.config();
        // The optimiser works on packed weights (a few flat tensors): repack the given model once.
        try (master) {
            this.master = TransformerOptimizer.pack(master, DataType.FLOAT32);
        }
        this.model = config.precisionMode() == Precision.FP16 ? TransformerOptimizer.pack(this.master, DataType.FLOAT16)
                : this.master;
        this.checkpoints = checkpoints;
        model.parameters().requireGradients(true);
        this.replicas = new ReplicaGroup(model, config.deviceList());
        this.optimizer = model == this.master ? new TransformerOptimizer(model.parameters(), config.optim())
                : new TransformerOptimizer(this.master.parameters(), model.parameters(), config.optim(),
                        config.newLossScaler());
        this.masker = ModalityMasker.fromConfig(modelConfig);
        this.rng = new Rng(config.seed() ^ 0x3A5C0FFEEL);
        this.data = new WindowDataset(trainShards, config.data().contextSeconds(), config.seed(),
                config.data().randomOffset());
        this.validation = valShards == null || valShards.isEmpty() || config.eval().windows() == 0
                ? new Validation(List.of(), layout)
                : new Validation(new WindowDataset(valShards, config.data().contextSeconds(), config.seed(), false)
                        .fixedBatches(config.eval().windows(), config.eval().batchSize()), layout);
        PretrainConfig.Optim o = config.optim();
        this.schedule = new LearningRateSchedule(o.lr(), o.minLrRatio(), o.warmupSteps(), o.steps());
        this.position = DataPosition.start();
        this.bestValLoss = Double.NaN;
        this.bestStep = -1;
        if (resumeFrom != null) {
            try (SafetensorsFile f = SafetensorsFile.open(resumeFrom);
                    NDManager tmp = model.parameters().manager().newSubManager()) {
                Checkpoints.Header h = Checkpoints.header(f);
                Checkpoints.restoreOptimizer(f, optimizer, h, tmp);
                TrainingState s = h.state();
                this.step = s.step();
                this.position = s.position();
                this.rng.restore(s.rngState());
                this.bestValLoss = s.bestValLoss();
                this.bestStep = s.bestStep();
                this.elapsedBefore = s.elapsedSeconds();
            }
        }
        LOG.info("model {} ({} parameters, {} decayed tensors) on {}, precision {}; {} train windows of {} s per "
                + "epoch; {} validation windows; masking {}", config.model().preset(), model.parameters().count(),
                optimizer.decayedTensors(), config.devices(), config.precisionMode(), data.epoch(position.epoch()).size(),
                config.data().contextSeconds(), validation.windows(), masker.mode());
        if (config.precisionMode() == Precision.TF32 && !Precision.tf32OverrideSet()
                && config.deviceList().stream().anyMatch(Device::isGpu)) {
            LOG.warn("precision tf32 but {}=1 is not in the environment: libtorch multiplies in full float32 "
                    + "(the hypnos launcher sets it for --precision tf32; library users export it before start)",
                    Precision.TF32_ENV);
        }
    }

    /**
     * Opens a run: a new one in an empty run folder, or — with {@code resume} — the continuation
     * of the newest readable checkpoint there (a new run when there is none). A resumed run
     * must keep the model, data, optimiser and seed settings of the checkpoint (anything else,
     * e.g. logging, evaluation, devices, may change).
     */
    public static Pretrainer open(PretrainConfig config, boolean resume) throws IOException {
        Path runDir = config.runPath();
        Checkpoints checkpoints = new Checkpoints(runDir);
        Path latest = resume ? checkpoints.latestReadable() : null;
        if (!resume && !checkpoints.stepFiles().isEmpty()) {
            throw new IllegalArgumentException("run folder " + runDir + " already holds checkpoints: continue it with "
                    + "--resume, or choose another run_dir");
        }
        if (resume && latest == null) {
            LOG.info("no checkpoint in {}: starting a new run", runDir);
        }
        if (latest != null) {
            try (SafetensorsFile f = SafetensorsFile.open(latest)) {
                requireSameRun(Checkpoints.header(f).config(), config, latest);
            }
        }
        Files.createDirectories(runDir);
        writeText(runDir.resolve("config.yaml"), ConfigLoader.toYaml(config));
        ShardSet train = ShardSet.open(config.shardsPath(), List.of(Split.parse(config.data().trainSplit())));
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no finished shards of split '" + config.data().trainSplit() + "' in "
                    + config.shards());
        }
        // The validation split is opened even when this run does not validate: the data's identity
        // covers both splits `data` names, so eval settings (free to change) never change it.
        ShardSet valSplit = ShardSet.open(config.shardsPath(), List.of(Split.parse(config.data().valSplit())));
        String identity = shardIdentity(train, valSplit);
        ShardSet val = config.eval().windows() > 0 ? valSplit : null;
        if (val != null && val.isEmpty()) {
            LOG.warn("no shards of split '{}' in {}: no validation loss will be computed", config.data().valSplit(),
                    config.shards());
        }
        TransformerConfig mc = ModelSpec.of(config, train.layout());
        Device device = config.deviceList().get(0);
        RqTransformer model = latest != null ? Checkpoints.loadModel(latest, device)
                : RqTransformer.initialize(mc, device, config.seed());
        try {
            if (!model.config().equals(mc)) {
                throw new IllegalArgumentException("the checkpoint's model " + model.config() + " is not the one the "
                        + "config and shards describe: " + mc);
            }
            if (latest != null) {
                LOG.info("resuming from {}", latest);
            }
            return new Pretrainer(config, train, val, identity, model, checkpoints, latest);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The result of the run in {@code config}'s run folder when that run already finished with
     * the same settings: its {@code config.yaml} agrees on every section that decides the numbers,
     * it read the same shard data ({@link ShardSet#identity(java.util.Collection)} of its training
     * and validation splits: the same tokenizers, recordings, splits and shard metadata, notch and
     * channel resolution included, wherever the shard folder now lies), its {@code summary.json} reports
     * {@code optim.steps} steps, and its bundle is there. Empty otherwise. A pipeline uses this to
     * reuse a finished run without its checkpoints, for instance one trained on a GPU server and
     * copied back without them, next to a copy of its shards at another path.
     */
    public static Optional<Result> finishedRun(PretrainConfig config) throws IOException {
        Path dir = config.runPath();
        Path summary = dir.resolve("summary.json");
        Path saved = dir.resolve("config.yaml");
        Path bundle = dir.resolve(BUNDLE_FILE);
        if (!Files.isRegularFile(summary) || !Files.isRegularFile(saved) || !Files.isRegularFile(bundle)) {
            return Optional.empty();
        }
        PretrainConfig savedConfig = ConfigLoader.load(saved, List.of());
        List<String> differ = differences(savedConfig, config, false);
        if (!differ.isEmpty()) {
            LOG.info("{} holds a run with other settings ({}): not reused", dir, String.join("; ", differ));
            return Optional.empty();
        }
        JsonNode s = ConfigLoader.JSON.readTree(summary.toFile());
        if (s.path("steps").asLong(-1) != config.optim().steps()) {
            return Optional.empty();
        }
        String trainedOn = s.path(SHARD_SET_KEY).isTextual() ? s.get(SHARD_SET_KEY).asText() : null;
        String now = null;
        try {
            now = shardIdentity(config);
        } catch (IOException | RuntimeException e) {
            LOG.info("{}: shards {} not readable ({}): the run is reused only where it was trained", dir,
                    config.shards(), e.getMessage());
        }
        // A summary from before shard identities, or shards that cannot be read now: the path is all there is.
        boolean sameData = trainedOn != null && now != null ? trainedOn.equals(now)
                : savedConfig.shardsPath().toAbsolutePath().normalize()
                        .equals(config.shardsPath().toAbsolutePath().normalize());
        if (!sameData) {
            LOG.info("{} was trained on other shards than those in {} (shard set {} vs {}): not reused", dir,
                    config.shards(), trainedOn, now);
            return Optional.empty();
        }
        Path curve = dir.resolve("loss.png");
        return Optional.of(new Result(s.get("steps").asLong(), validationResult(s, "val_loss"),
                validationResult(s, "unigram_entropy"), s.path("tokens_per_second").asDouble(Double.NaN),
                s.path("peak_rss_mib").asDouble(Double.NaN), dir, bundle, Files.isRegularFile(curve) ? curve : null));
    }

    /** {@code summary.json}'s {@code key} and {@code key_per_modality} (a null loss: not finite). */
    private static Validation.Result validationResult(JsonNode summary, String key) {
        JsonNode total = summary.get(key);
        if (total == null) {
            return null;
        }
        Map<String, Double> perModality = new LinkedHashMap<>();
        summary.path(key + "_per_modality").fields().forEachRemaining(e -> perModality.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
        return new Validation.Result(total.isNumber() ? total.asDouble() : Double.NaN, perModality);
    }

    /**
     * Identity of the shard data a run with {@code config} reads, as {@link #open} computes it
     * from the shards it opens: {@link #shardIdentity(ShardSet, ShardSet)}.
     */
    static String shardIdentity(PretrainConfig config) throws IOException {
        return shardIdentity(ShardSet.open(config.shardsPath(), List.of(Split.parse(config.data().trainSplit()))),
                ShardSet.open(config.shardsPath(), List.of(Split.parse(config.data().valSplit()))));
    }

    /**
     * {@link ShardSet#identity(java.util.Collection)} of the training and the validation split.
     * The validation split counts whether or not the run validates: both splits are named by
     * {@code data}, which a reused run must share, while {@code eval} is not compared, so
     * turning validation on or off must not read as other shards.
     */
    private static String shardIdentity(ShardSet train, ShardSet val) {
        return ShardSet.identity(List.of(train, val));
    }

    /** Sections that decide the numbers and differ between two configurations. */
    private static List<String> differences(PretrainConfig saved, PretrainConfig now) {
        return differences(saved, now, true);
    }

    /**
     * As above; {@code withShardsPath} false leaves the shard folder's path out (the caller
     * compares the data itself).
     */
    private static List<String> differences(PretrainConfig saved, PretrainConfig now, boolean withShardsPath) {
        ObjectNode a = ConfigLoader.toTree(saved);
        ObjectNode b = ConfigLoader.toTree(now);
        List<String> differ = new ArrayList<>();
        for (String key : List.of("shards", "seed", "precision", "model", "data", "optim", "loss_scale")) {
            if (key.equals("shards") && !withShardsPath) {
                continue;
            }
            if (!a.path(key).equals(b.path(key))) {
                differ.add(key + " (before " + a.path(key) + ", now " + b.path(key) + ")");
            }
        }
        return differ;
    }

    /** Sections that decide the numbers: a resumed run must keep them. */
    private static void requireSameRun(PretrainConfig saved, PretrainConfig now, Path checkpoint) {
        List<String> differ = differences(saved, now);
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("cannot resume " + checkpoint + " exactly: " + String.join("; ", differ)
                    + " changed; undo the change or start a new run_dir");
        }
    }

    /** Runs to {@code optim.steps}. */
    public Result run() throws IOException {
        return run(s -> { });
    }

    /** Runs to {@code optim.steps}, calling {@code listener} after every step. */
    public Result run(StepListener listener) throws IOException {
        long total = config.optim().steps();
        Path runDir = config.runPath();
        List<String> names = layout.modalities().stream().map(m -> m.name()).toList();
        List<String> trainColumns = new ArrayList<>(List.of("epoch", "lr", "loss", "grad_norm", "tokens_per_s",
                "elapsed_s", "rss_mib"));
        if (optimizer.mixedPrecision()) {
            trainColumns.add("loss_scale");
        }
        trainColumns.add("skipped_steps"); // non-finite gradients skip a step in every precision
        names.forEach(n -> trainColumns.add("loss/" + n));
        List<String> valColumns = new ArrayList<>(List.of("val_loss"));
        names.forEach(n -> valColumns.add("val_loss/" + n));
        Validation.Result unigram = validation.isEmpty() ? null : validation.unigramEntropy();
        if (unigram != null) {
            LOG.info("unigram entropy of the validation tokens (nats): {}", format(unigram));
        }
        Validation.Result lastVal = null;
        long tokensPerStep = (long) config.data().batchSize() * config.data().contextSeconds() * layout.size();
        long t0 = System.nanoTime();
        runStart = t0;
        long stepsAtStart = step;
        try (MetricsLog log = MetricsLog.open(runDir, step, trainColumns, valColumns);
                Progress progress = Progress.start("pretrain", step, total, "steps", LOG)) {
            if (step == 0 && !validation.isEmpty()) {
                lastVal = validate(log);
            }
            long intervalStart = System.nanoTime();
            long intervalSteps = 0;
            while (step < total) {
                boolean logNow = (step + 1) % config.log().every() == 0 || step + 1 == total;
                StepStats s = trainStep(logNow);
                step++;
                intervalSteps++;
                if (logNow) {
                    double seconds = (System.nanoTime() - intervalStart) / 1e9;
                    double tps = intervalSteps * tokensPerStep / seconds;
                    Map<String, Double> row = new LinkedHashMap<>();
                    row.put("epoch", (double) position.epoch());
                    row.put("lr", s.lr());
                    row.put("loss", s.loss());
                    row.put("grad_norm", s.gradNorm());
                    row.put("tokens_per_s", tps);
                    row.put("elapsed_s", elapsed(t0));
                    row.put("rss_mib", ProcessMemory.rssMiB());
                    if (optimizer.mixedPrecision()) {
                        row.put("loss_scale", optimizer.lossScaler().scale());
                    }
                    row.put("skipped_steps", (double) optimizer.lossScaler().skippedSteps());
                    for (int i = 0; i < names.size(); i++) {
                        row.put("loss/" + names.get(i), s.perModality()[i]);
                    }
                    log.train(step, row);
                    progress.update(step, String.format(Locale.ROOT, "loss %.4f, %.0f tok/s", s.loss(), tps));
                    intervalStart = System.nanoTime();
                    intervalSteps = 0;
                }
                long every = config.eval().every();
                if (!validation.isEmpty() && ((every > 0 && step % every == 0) || step == total)) {
                    lastVal = validate(log);
                }
                long ck = config.checkpoint().every();
                if ((ck > 0 && step % ck == 0) || step == total) {
                    Path file = checkpoints.stepFile(step);
                    long c0 = System.nanoTime();
                    checkpoints.save(file, master, optimizer, state(t0), config);
                    LOG.info("checkpoint {} written in {} s", file.getFileName(),
                            String.format(Locale.ROOT, "%.2f", (System.nanoTime() - c0) / 1e9));
                    checkpoints.prune(config.checkpoint().keepLast());
                }
                listener.afterStep(step);
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double tokensPerSecond = (step - stepsAtStart) * tokensPerStep / Math.max(trainSeconds, 1e-9);
            Path png = null;
            if (config.log().plot()) {
                png = runDir.resolve("loss.png");
                LossCurves.write(png, log.rows(), names, unigram == null ? Map.of() : unigram.perModality());
            }
            Path bundle = config.bundle().save() ? saveBundle() : null;
            if (lastVal == null && !validation.isEmpty()) {
                lastVal = validation.evaluate(model);
            }
            Result result = new Result(step, lastVal, unigram, tokensPerSecond, ProcessMemory.peakRssMiB(), runDir,
                    bundle, png);
            writeSummary(result);
            return result;
        }
    }

    private double elapsed(long t0) {
        return elapsedBefore + (System.nanoTime() - t0) / 1e9;
    }

    private TrainingState state(long t0) {
        return new TrainingState(step, position, rng.state(), bestValLoss, bestStep, elapsed(t0));
    }

    /** What one step reports (host values; NaN when the step was not logged). */
    private record StepStats(double lr, double loss, double gradNorm, double[] perModality) {
    }

    /** One optimiser step (see the class comment). */
    private StepStats trainStep(boolean fetch) {
        double lr = schedule.at(step);
        if (modelConfig.dropout() > 0) {
            // Dropout draws from libtorch's generator: seed it per step so a resumed run draws the same masks.
            Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
        }
        int batch = config.data().batchSize();
        WindowDataset.Batch next = data.next(position, batch);
        int m = layout.size();
        ModalityMasks masks = masker.sample(batch, m, next.batch().presence(), (RandomGenerator) rng::nextLong);
        int accum = config.data().gradAccumSteps();
        int shares = accum * replicas.size();
        int share = batch / shares;
        int seconds = next.batch().seconds();
        // The loss's denominators over the whole batch, once: each share's loss is then its part
        // of the batch loss, and the shares' losses and gradients sum to those of one pass.
        DepthTransformer.LossNormalizer normalizer = model.depth().normalizer(masks.presence(), batch, seconds);
        long[] batchPositions = normalizer.positions();
        double lossSum = 0;
        double[] modalitySum = new double[m];
        for (int a = 0; a < accum; a++) {
            for (int r = 0; r < replicas.size(); r++) {
                int from = (a * replicas.size() + r) * share;
                RqTransformer replica = replicas.replica(r);
                ModalityMasks shareMasks = masks(masks, m, from, from + share);
                try (NDManager scope = replica.parameters().manager().newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    TrainingOutput out = replica.trainingForward(next.batch().samples(from, from + share), shareMasks,
                            normalizer, scope);
                    NDArray loss = out.loss();
                    if (optimizer.mixedPrecision()) {
                        // A float32 factor of shape [1] promotes the loss to float32 inside the graph
                        // (DJL's casts are not differentiable) and carries the loss scale.
                        loss = loss.mul(HostData.floats(scope, new float[] {(float) optimizer.lossScaler().scale()},
                                new Shape(1)));
                    }
                    gc.backward(loss);
                    if (fetch) {
                        lossSum += out.lossValue();
                        // Per-level losses are the share's own means: weigh each by the share's part of
                        // the modality's present positions, which sums to the batch's mean.
                        float[] pm = out.perModalityLoss();
                        boolean[] p = shareMasks.presence();
                        for (int i = 0; i < m; i++) {
                            long own = 0;
                            for (int bi = 0; bi < share; bi++) {
                                own += p[bi * m + i] ? seconds : 0;
                            }
                            if (own > 0) {
                                modalitySum[i] += pm[i] * (double) own / batchPositions[i];
                            }
                        }
                    }
                }
            }
        }
        double gradNorm = Double.NaN;
        try (NDManager scope = model.parameters().manager().newSubManager()) {
            replicas.sumGradientsIntoMaster(scope);
            float norm = optimizer.step(lr, scope);
            replicas.copyWeightsFromMaster(scope);
            if (fetch) {
                gradNorm = norm;
            }
        }
        position = next.next();
        double[] perModality = new double[m];
        for (int i = 0; i < m; i++) {
            perModality[i] = fetch && batchPositions[i] > 0 ? modalitySum[i] : Double.NaN;
        }
        return new StepStats(lr, fetch ? lossSum : Double.NaN, gradNorm, perModality);
    }

    private static ModalityMasks masks(ModalityMasks all, int m, int from, int to) {
        if (from == 0 && to * m == all.presence().length) {
            return all;
        }
        return new ModalityMasks(Arrays.copyOfRange(all.presence(), from * m, to * m),
                all.groupIds() == null ? null : Arrays.copyOfRange(all.groupIds(), from * m, to * m));
    }

    private Validation.Result validate(MetricsLog log) throws IOException {
        Validation.Result r = validation.evaluate(model);
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("val_loss", r.loss());
        r.perModality().forEach((k, v) -> row.put("val_loss/" + k, v));
        log.validation(step, row);
        LOG.info("step {}: validation loss {} ({})", step, String.format(Locale.ROOT, "%.4f", r.loss()), format(r));
        if (Double.isFinite(r.loss()) && (Double.isNaN(bestValLoss) || r.loss() < bestValLoss)) {
            bestValLoss = r.loss();
            bestStep = step;
            if (step > 0) {
                checkpoints.save(checkpoints.dir().resolve(Checkpoints.BEST), master, optimizer,
                        state(runStart), config);
            }
        }
        return r;
    }

    private static String format(Validation.Result r) {
        StringBuilder b = new StringBuilder();
        r.perModality().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.3f", v)));
        return b.toString();
    }

    private Path saveBundle() throws IOException {
        Path target = config.runPath().resolve(BUNDLE_FILE);
        Path source = Path.of(config.tokenizers() != null ? config.tokenizers() : trainShards.info().tokenizerSource());
        if (!Files.exists(source)) {
            LOG.warn("tokenizers {} not found: writing the model alone to {} (bundle it with its tokenizers to embed)",
                    source, target);
            master.save(target);
            return target;
        }
        TrainedBundle.write(target, master, source, trainShards.info(), config.bundle().dtype());
        LOG.info("saved the trained model with its tokenizers: {}", target);
        return target;
    }

    private void writeSummary(Result r) throws IOException {
        ObjectNode s = ConfigLoader.JSON.createObjectNode();
        s.put("steps", r.steps());
        s.put("parameters", model.parameters().count());
        s.put("tokens_per_second", r.tokensPerSecond());
        s.put("peak_rss_mib", r.peakRssMiB());
        s.put("precision", config.precisionMode().name().toLowerCase(Locale.ROOT));
        s.put("skipped_steps", optimizer.lossScaler().skippedSteps());
        s.put("best_val_loss", Double.isFinite(bestValLoss) ? bestValLoss : null);
        s.put("best_step", bestStep);
        if (r.validation() != null) {
            s.put("val_loss", r.validation().loss());
            s.set("val_loss_per_modality", ConfigLoader.JSON.valueToTree(r.validation().perModality()));
        }
        if (r.unigram() != null) {
            s.put("unigram_entropy", r.unigram().loss());
            s.set("unigram_entropy_per_modality", ConfigLoader.JSON.valueToTree(r.unigram().perModality()));
        }
        s.put("bundle", r.bundle() == null ? null : r.bundle().toString());
        s.put(SHARD_SET_KEY, shardIdentity);
        writeText(config.runPath().resolve("summary.json"), s.toPrettyString() + "\n");
    }

    private static void writeText(Path file, String text) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write(text.getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
    }

    /** Steps done so far. */
    public long step() {
        return step;
    }

    /** The model being trained (replica 0; float16 in fp16 training). */
    public RqTransformer model() {
        return model;
    }

    /** The float32 weights the optimiser updates: {@link #model()} itself, or its masters in fp16 training. */
    public RqTransformer masterModel() {
        return master;
    }

    /** The loss scaler (disabled unless fp16). */
    public LossScaler lossScaler() {
        return optimizer.lossScaler();
    }

    public PretrainConfig config() {
        return config;
    }

    /** The validation set (empty when there is none). */
    public Validation validation() {
        return validation;
    }

    @Override
    public void close() {
        replicas.close();
        optimizer.close();
        if (model != master) {
            model.close();
        }
        master.close();
    }
}

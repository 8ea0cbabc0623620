package ai.hypnos.tokenizer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.nn.HostData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one {@link SignalTokenizer} on windows of one signal type (DESIGN §5).
 *
 * <p>A step: draw a batch of windows ({@link WindowSampler}), run the tokenizer's training
 * forward pass (encoder, residual VQ with EMA codebook updates, k-means on the first batches and
 * dead-code replacement, decoder), loss = L1 + spectral ({@link ReconstructionLoss}) +
 * commitment, backward, global-norm clipping, AdamW at the warm-up/cosine learning rate
 * ({@link TrainingConfig#learningRate}). Every step runs in its own NDManager scope and each
 * block of the model in a sub-scope, so memory is flat across steps; the batch goes to the device
 * once and metrics come back only when {@link #evaluate()} is called.
 *
 * <p>Everything random comes from one seeded generator whose state, with the model, codebooks,
 * optimiser moments and step, goes into {@link TrainingCheckpoint}s: {@link #resume} continues a
 * run bit for bit as if it had not stopped (same device, same thread count).
 */
public final class TokenizerTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenizerTrainer.class);

    private final SignalTokenizer tokenizer;
    private final SignalType signal;
    private final TrainingConfig config;
    private final long totalSteps;
    private final WindowSampler sampler;
    private final Rng rng;
    private final AdamW optimizer;
    private final ReconstructionLoss loss;
    private final CodebookMonitor monitor;
    private final NDManager manager;
    private final float[] evalBatch;
    private long step;
    private StepResult last;
    private boolean ownsTokenizer;

    /** Loss terms and learning rate of one step (host values). */
    public record StepResult(long step, double lr, double loss, double l1, double spectral, double commitment, double gradNorm) {}

    /** Metrics of the current model: see {@code docs/tokenizer.md}. */
    public record Metrics(long step, double[] codebookUse, double[] perplexity, double[] snrDb, double deadCodesReplaced) {}

    /**
     * A new run.
     *
     * @param tokenizer the model to train (its parameters become trainable)
     * @param totalSteps length of the run (for the cosine schedule)
     */
    public TokenizerTrainer(SignalTokenizer tokenizer, SignalType signal, SignalSet data, TrainingConfig config, long totalSteps) {
        this.tokenizer = tokenizer;
        this.signal = signal;
        this.config = config;
        this.totalSteps = totalSteps;
        int window = config.windowSeconds() * tokenizer.hopLength();
        // Checked here, not at the first step: a conv that reflects p frames at the start of a
        // window needs more than p of them (the decoder's first conv: 7 tokens for kernel 7).
        int minSeconds = tokenizer.minimumTrainingTokens();
        if (config.windowSeconds() < minSeconds) {
            throw new IllegalArgumentException("training window_seconds " + config.windowSeconds()
                    + " is too short for this tokenizer: at least " + minSeconds + " are needed (windows of "
                    + minSeconds + " tokens; its reflect-padded convs need more inputs than they pad)");
        }
        this.sampler = new WindowSampler(data, window);
        this.rng = new Rng(config.seed());
        // The evaluation windows come from their own generator so they never shift the data order.
        this.evalBatch = sampler.sample(Math.min(8, Math.max(2, config.batchSize())), new Rng(config.seed() ^ 0xE7A1L));
        this.manager = tokenizer.manager().newSubManager();
        Map<String, Parameter> params = new LinkedHashMap<>(tokenizer.namedParameters());
        for (Parameter p : params.values()) {
            p.freeze(false);
        }
        this.optimizer = new AdamW(params, tokenizer.noDecayParameters(), config.beta1(), config.beta2(), config.eps(),
                config.weightDecay(), config.clipNorm(), manager);
        this.loss = new ReconstructionLoss(ReconstructionLoss.defaultFftSizes(tokenizer.config().sampleRate),
                config.spectralWeight(), manager);
        this.monitor = new CodebookMonitor(tokenizer.numQuantizers(), tokenizer.config().codebookSize, config.usageWindow(), manager);
    }

    /**
     * Continues the run saved in {@code checkpoint}: rebuilds the tokenizer on {@code device},
     * restores weights, codebooks, optimiser, generator and step.
     */
    public static TokenizerTrainer resume(Path checkpoint, SignalSet data, Device device) throws IOException {
        return resume(checkpoint, data, device, -1);
    }

    /**
     * As {@link #resume(Path, SignalSet, Device)} with a new run length (≤ 0: the checkpoint's).
     * The same length continues exactly; another one re-stretches the cosine from here on.
     */
    public static TokenizerTrainer resume(Path checkpoint, SignalSet data, Device device, long totalSteps) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint)) {
            TrainingCheckpoint.Header h = TrainingCheckpoint.header(f);
            SignalTokenizer tok = SignalTokenizer.create(h.tokenizer(), device, h.run().training().seed());
            long total = totalSteps > 0 ? totalSteps : h.run().totalSteps();
            TokenizerTrainer t = new TokenizerTrainer(tok, h.run().signal(), data, h.run().training(), total);
            t.ownsTokenizer = true;
            TrainingCheckpoint.restore(f, h, tok, t.optimizer, t.monitor);
            t.step = h.run().step();
            t.rng.restore(h.run().rngState());
            LOG.info("resumed {} tokenizer at step {} of {} from {}", h.run().signal().key(), t.step, t.totalSteps, checkpoint);
            return t;
        }
    }

    /** A new run with a fresh tokenizer of {@code tokenizerConfig} initialised from the config's seed. */
    public static TokenizerTrainer create(TokenizerConfig tokenizerConfig, SignalType signal, SignalSet data,
            TrainingConfig config, long totalSteps, Device device) {
        TokenizerTrainer t = new TokenizerTrainer(SignalTokenizer.create(tokenizerConfig, device, config.seed()), signal, data, config, totalSteps);
        t.ownsTokenizer = true;
        return t;
    }

    public SignalTokenizer tokenizer() {
        return tokenizer;
    }

    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public TrainingConfig config() {
        return config;
    }

    public SignalType signal() {
        return signal;
    }

    /** The last step's losses (null before the first step). */
    public StepResult lastStep() {
        return last;
    }

    /** Runs one training step. Returns its losses (this is the one device-to-host copy of a step). */
    public StepResult trainStep() {
        double lr = config.learningRate(step, totalSteps);
        float[] windows = sampler.sample(config.batchSize(), rng);
        StepResult result;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = HostData.floats(scope, windows, new Shape(config.batchSize(), 1, sampler.windowSamples()));
            NDArray total;
            ReconstructionLoss.Terms terms;
            NDArray commitment;
            try (GradientCollector gc = tokenizer.manager().getEngine().newGradientCollector()) {
                SignalTokenizer.TrainOutput out = tokenizer.trainForward(x, rng);
                terms = loss.terms(out.reconstruction(), x);
                commitment = out.commitment();
                total = terms.total(config.spectralWeight()).add(commitment);
                monitor.record(out.indices());
                gc.backward(total);
            }
            NDArray gradNorm = optimizer.step(lr, scope);
            float[] values = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(
                    total, terms.l1(), terms.spectral(), commitment, gradNorm)).toFloatArray();
            result = new StepResult(step, lr, values[0], values[1], values[2], values[3], values[4]);
        }
        step++;
        last = result;
        return result;
    }

    /**
     * Per-level metrics: codebook use and perplexity over the last {@code usageWindow} batches,
     * and the reconstruction SNR of a fixed set of windows decoded from the first k levels.
     */
    public Metrics evaluate() {
        CodebookMonitor.Stats stats = monitor.stats();
        int k = tokenizer.numQuantizers();
        double[] snr = new double[k];
        double replaced = 0;
        try (NDManager scope = manager.newSubManager()) {
            int b = evalBatch.length / sampler.windowSamples();
            NDArray x = HostData.floats(scope, evalBatch, new Shape(b, 1, sampler.windowSamples()));
            NDArray[] recon = tokenizer.reconstructByLevels(x);
            NDArray signalPower = x.square().sum();
            ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
            for (NDArray r : recon) {
                parts.add(signalPower.div(r.sub(x).square().sum()).log10().mul(10));
            }
            float[] values = ai.djl.ndarray.NDArrays.stack(parts).toFloatArray();
            for (int i = 0; i < k; i++) {
                snr[i] = values[i];
            }
            for (var q : tokenizer.quantizer().levels()) {
                replaced += q.replacedCount().toFloatArray()[0];
            }
        }
        return new Metrics(step, stats.use(), stats.perplexity(), snr, replaced);
    }

    /** Saves a checkpoint from which {@link #resume} continues exactly. */
    public void saveCheckpoint(Path file) throws IOException {
        TrainingCheckpoint.save(file, tokenizer, optimizer,
                new TrainingCheckpoint.RunState(step, totalSteps, rng.state(), signal, config), monitor.snapshot());
    }

    /**
     * Ends the run: frees the optimiser and metrics; the tokenizer's parameters stop requiring
     * gradients. A tokenizer made by {@link #create} or {@link #resume} is closed too; one passed
     * to the constructor stays open for the caller.
     */
    @Override
    public void close() {
        monitor.close();
        loss.close();
        optimizer.close();
        manager.close();
        for (Parameter p : tokenizer.namedParameters().values()) {
            p.freeze(true);
        }
        if (ownsTokenizer) {
            tokenizer.close();
        }
    }
}

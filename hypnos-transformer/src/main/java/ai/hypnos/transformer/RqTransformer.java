package ai.hypnos.transformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.embed.EmbedOptions;
import ai.hypnos.transformer.embed.Embedder;
import ai.hypnos.transformer.embed.Embeddings;
import ai.hypnos.transformer.generate.TokenGenerator;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.masking.ModalityMasks;
import ai.hypnos.transformer.nn.DepthTransformer;
import ai.hypnos.transformer.nn.ForwardContext;
import ai.hypnos.transformer.nn.Rope;
import ai.hypnos.transformer.nn.TemporalTransformer;
import ai.hypnos.transformer.nn.TokenInput;
import ai.hypnos.transformer.stream.StreamOptions;
import ai.hypnos.transformer.stream.StreamingSession;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterLayout;
import ai.hypnos.transformer.weights.TransformerBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The multi-modal RQ-Transformer (DESIGN §6): token aggregation, a temporal transformer with
 * modality layers, and a depth transformer with the next-token loss. This object holds the
 * weights on one device; inference methods are safe to call from many threads at once (weights
 * are only read), training is single-threaded.
 *
 * <pre>{@code
 * try (RqTransformer model = RqTransformer.load(Path.of("hypnos.safetensors"), Device.cpu())) {
 *     Embeddings e = model.embed(TokenBatch.single(tokens, presence, channels), EmbedOptions.defaults());
 * }
 * }</pre>
 */
public final class RqTransformer implements AutoCloseable {
    private final TransformerConfig config;
    private final ModalityLayout layout;
    private final ModelParameters parameters;
    private final Rope rope;
    private final TokenInput tokenInput;
    private final TemporalTransformer temporal;
    private final DepthTransformer depth;

    private RqTransformer(TransformerConfig config, ModelParameters parameters, float[] cosCached,
            float[] sinCached) {
        this.config = config;
        this.layout = new ModalityLayout(config.modalities());
        this.parameters = parameters;
        this.rope = new Rope(config.headDim(), config.maxSeqLen(), cosCached, sinCached, parameters.manager());
        this.tokenInput = new TokenInput(parameters, config, layout);
        this.temporal = new TemporalTransformer(parameters, config, rope);
        this.depth = new DepthTransformer(parameters, config, layout);
    }

    /**
     * A model around existing parameters (e.g. from a bundle).
     *
     * @param cosCached optional RoPE cosine table {@code [L, hd/2]} to use instead of computing it
     * @param sinCached optional RoPE sine table, with {@code cosCached}
     */
    public static RqTransformer of(TransformerConfig config, ModelParameters parameters, float[] cosCached,
            float[] sinCached) {
        ParameterLayout expected = ParameterLayout.of(config);
        if (!expected.all().equals(parameters.layout().all())) {
            throw new IllegalArgumentException("parameters were made for another configuration");
        }
        return new RqTransformer(config, parameters, cosCached, sinCached);
    }

    /**
     * This model around other parameters of its layout (a {@linkplain ModelParameters#packed
     * packed} or float16 copy), with the same RoPE tables (a bundle may carry its own).
     */
    public RqTransformer withParameters(ModelParameters other) {
        return of(config, other, rope.cosTable(config.maxSeqLen()), rope.sinTable(config.maxSeqLen()));
    }

    /** A freshly initialised float32 model (reproducible for a seed, whatever the device). */
    public static RqTransformer initialize(TransformerConfig config, Device device, long seed) {
        return initialize(config, device, DataType.FLOAT32, seed);
    }

    /** A freshly initialised model with float32 or float16 weights. */
    public static RqTransformer initialize(TransformerConfig config, Device device, DataType dataType, long seed) {
        ModelParameters p = ModelParameters.initialize(ParameterLayout.of(config), device, dataType, seed,
                config.layerScaleInit());
        return new RqTransformer(config, p, null, null);
    }

    /** Loads the {@code model/…} part of a bundle in the published layout onto a device (float32). */
    public static RqTransformer load(Path bundle, Device device) throws IOException {
        return TransformerBundle.load(bundle, device, DataType.FLOAT32);
    }

    /** Writes this model as a bundle in the published layout (float32, no tokenizers). */
    public void save(Path bundle) throws IOException {
        TransformerBundle.save(this, bundle);
    }

    // ------------------------------------------------------------------ inference

    /**
     * The temporal transformer's output z {@code [B, M, S, D]} for whole chunks (RoPE and BOS
     * restart at position 0; no context before it), in inference mode.
     *
     * @param manager owner of the result
     */
    public NDArray temporalForward(TokenBatch batch, NDManager manager) {
        batch.validate(layout);
        ModalityMasks masks = ModalityMasker.inference(config, batch.batch(), batch.presence());
        try (NDManager pass = manager.newSubManager()) {
            ForwardContext ctx = new ForwardContext(pass, false, parameters.dataType());
            NDArray tokens = batch.tokensArray(pass);
            int s = batch.seconds();
            NDArray sums = s > 1 ? tokenInput.modalitySums(tokens.get(new NDIndex(":, 0:{}", s - 1)), ctx, pass) : null;
            NDArray x = tokenInput.temporalInputFromSums(sums, true, presenceArray(masks.presence(), batch.batch(), pass),
                    batch.channelIdsArray(pass), batch.batch(), ctx, pass);
            NDArray z = temporal.forward(x, ModalityAttentionMask.of(batch.batch(), layout.numModalities(),
                    masks.presence(), masks.groupIds()), ctx);
            z.attach(manager);
            return z;
        }
    }

    /** Per-modality embeddings of one recording, computed in chunks (see {@link EmbedOptions}). */
    public Embeddings embed(TokenBatch recording, EmbedOptions options) {
        return new Embedder(this).embed(recording, options);
    }

    /** A KV-cached streaming session: push one second of tokens, get that second's embeddings. */
    public StreamingSession stream(StreamOptions options) {
        return new StreamingSession(this, options);
    }

    /** Generation (continue a prompt, impute absent modalities). */
    public TokenGenerator generator() {
        return new TokenGenerator(this);
    }

    // ------------------------------------------------------------------ training

    /**
     * Teacher-forced forward with the next-token loss, recording gradients when called inside a
     * {@code GradientCollector} (turn them on once with {@code parameters().requireGradients(true)}).
     * Dropout is active; modality masks come from a {@link ModalityMasker} (CRP groups and so on).
     *
     * <pre>{@code
     * model.parameters().requireGradients(true);
     * try (NDManager step = model.parameters().manager().newSubManager();
     *      GradientCollector gc = Engine.getInstance().newGradientCollector()) {
     *     TrainingOutput out = model.trainingForward(batch, masker.sample(B, M, batch.presence(), rng), step);
     *     gc.backward(out.loss());
     * }   // then read model.parameters().gradient(name, scope) and step the optimiser
     * }</pre>
     *
     * @param manager owner of everything the step creates (close it after the optimiser step)
     */
    public TrainingOutput trainingForward(TokenBatch batch, ModalityMasks masks, NDManager manager) {
        return lossForward(batch, masks, null, manager, true);
    }

    /**
     * {@link #trainingForward(TokenBatch, ModalityMasks, NDManager)} of one share of a larger
     * batch (a device's part, a gradient-accumulation step): the loss is normalised by the whole
     * batch's denominators ({@code depth().normalizer(...)} of its presence), so it is this
     * share's part of the batch loss, and the shares' losses and gradients sum to those of one
     * pass over the batch. The per-level losses stay this share's own means.
     */
    public TrainingOutput trainingForward(TokenBatch batch, ModalityMasks masks, DepthTransformer.LossNormalizer wholeBatch,
            NDManager manager) {
        return lossForward(batch, masks, java.util.Objects.requireNonNull(wholeBatch), manager, true);
    }

    /** The loss without dropout and without sampled masking (validation), no gradients needed. */
    public TrainingOutput evaluate(TokenBatch batch, NDManager manager) {
        return lossForward(batch, ModalityMasker.inference(config, batch.batch(), batch.presence()), null, manager, false);
    }

    private TrainingOutput lossForward(TokenBatch batch, ModalityMasks masks, DepthTransformer.LossNormalizer normalizer,
            NDManager manager, boolean training) {
        batch.validate(layout);
        if (masks.presence().length != batch.batch() * layout.numModalities()) {
            throw new IllegalArgumentException("masks hold " + masks.presence().length + " presence flags, expected "
                    + batch.batch() * layout.numModalities());
        }
        ForwardContext ctx = new ForwardContext(manager, training, parameters.dataType());
        NDArray tokens = batch.tokensArray(manager);
        int s = batch.seconds();
        NDArray codes = tokenInput.codeEmbeddings(tokens, false, ctx); // [B, S, ΣK, D], every position
        NDArray shifted = s > 1 ? codes.get(new NDIndex(":, 0:{}", s - 1)) : null;
        NDArray x = tokenInput.temporalInput(shifted, true, presenceArray(masks.presence(), batch.batch(), manager),
                batch.channelIdsArray(manager), batch.batch(), ctx, manager);
        NDArray z = temporal.forward(x, ModalityAttentionMask.of(batch.batch(), layout.numModalities(),
                masks.presence(), masks.groupIds()), ctx);
        NDArray depthCodes = config.depthTablesTied() ? codes : tokenInput.codeEmbeddings(tokens, true, ctx);
        DepthTransformer.LossParts loss = normalizer == null
                ? depth.loss(z, depthCodes, tokens, masks.presence(), ctx)
                : depth.loss(z, depthCodes, tokens, masks.presence(), normalizer, ctx);
        return new TrainingOutput(loss.loss(), loss.levelLosses(), z, layout);
    }

    /** Presence flags as a {@code [B, M]} 0/1 array of the weights' type. */
    public NDArray presenceArray(boolean[] presence, int batch, NDManager manager) {
        float[] f = new float[presence.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = presence[i] ? 1f : 0f;
        }
        NDArray a = HostData.floats(manager, f, new Shape(batch, presence.length / batch));
        if (parameters.dataType() != DataType.FLOAT32) {
            NDArray c = a.toType(parameters.dataType(), false);
            a.close();
            return c;
        }
        return a;
    }

    // ------------------------------------------------------------------ accessors

    public TransformerConfig config() {
        return config;
    }

    public ModalityLayout layout() {
        return layout;
    }

    /** The weights by reference name (for optimisers, checkpoints and bundles). */
    public ModelParameters parameters() {
        return parameters;
    }

    /** Trainable parameters by name, in state-dict order (each tied tensor once). */
    public Map<String, NDArray> namedParameters() {
        return parameters.asMap();
    }

    public Device device() {
        return parameters.device();
    }

    public Rope rope() {
        return rope;
    }

    /** The building blocks, for the embedding, streaming and generation code of this library. */
    public TokenInput tokenInput() {
        return tokenInput;
    }

    public TemporalTransformer temporal() {
        return temporal;
    }

    public DepthTransformer depth() {
        return depth;
    }

    @Override
    public void close() {
        parameters.close();
    }
}

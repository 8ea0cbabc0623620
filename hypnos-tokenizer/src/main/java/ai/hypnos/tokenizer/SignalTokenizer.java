package ai.hypnos.tokenizer;

import ai.hypnos.nn.HostData;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.hypnos.tokenizer.nn.Dense;
import ai.hypnos.tokenizer.nn.NamedBlock;
import ai.hypnos.tokenizer.nn.RopeTransformer;
import ai.hypnos.tokenizer.nn.Scope;
import ai.hypnos.tokenizer.nn.SeanetDecoder;
import ai.hypnos.tokenizer.nn.SeanetEncoder;
import ai.hypnos.tokenizer.nn.StreamState;
import ai.hypnos.tokenizer.rvq.ResidualVectorQuantizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A causal RVQ tokenizer for one signal type (DESIGN §5): SEANet encoder → [causal windowed
 * transformer] → project_in → residual VQ → project_out → [transformer] → SEANet decoder. One
 * token per {@code hop} samples (one second), K codes per token.
 *
 * <p><b>Encoding</b> ({@link #encode(float[])}, {@link #encodeBatch}, {@link #streamingEncoder()})
 * always runs in chunks of {@link #chunkTokens()} frames with the causal state of every layer
 * carried between chunks, so a whole night needs the memory of one chunk — unless the
 * transformers' attention window is unlimited ({@code window_size} None): then every past token
 * stays attendable, their keys and values stay cached, and memory grows with the signal (2·D
 * floats per token per attention layer). The streaming encoder, which computes the same chunks,
 * gives exactly the same tokens as the batch encoder (see {@link StreamingEncoder}). Token t depends on samples up to (t+1)·hop: the reference
 * pads one token of zeros at the end and drops the first frame; a signal of T samples gives
 * ⌈T/hop⌉ tokens, the last one partly zero-padded when T is not a multiple of hop.
 *
 * <p><b>Training</b> goes through {@link #trainForward}; the trainer
 * ({@code ai.hypnos.tokenizer.train.TokenizerTrainer}) owns losses and optimiser.
 *
 * <p><b>Weights</b>: {@link #namedParameters()} and {@link #quantizer()} hold the reference's
 * state-dict names ({@code encoder.stages.0.0.block.1.conv.bias}, {@code quantizer.quantizers.0.embedding.weight}…);
 * {@code ai.hypnos.tokenizer.io.TokenizerWeights} reads and writes them.
 *
 * <p>Everything lives on the tokenizer's {@link Device}; inputs are moved there once per call.
 * Thread safety: encoding and decoding only read the model and may run from several threads at
 * once; training mutates it and must not overlap with anything else.
 */
public final class SignalTokenizer implements AutoCloseable {
    /** Default frames per encoding chunk (64 s of signal at one token per second). */
    public static final int DEFAULT_CHUNK_TOKENS = 64;

    private final TokenizerConfig config;
    private final Device device;
    private final NDManager manager;
    private final SeanetEncoder encoder;
    private final RopeTransformer encoderTransformer;
    private final Dense projectIn;
    private final ResidualVectorQuantizer quantizer;
    private final Dense projectOut;
    private final RopeTransformer decoderTransformer;
    private final SeanetDecoder decoder;
    private final Map<String, NamedBlock> blocks = new LinkedHashMap<>();
    private final int chunkTokens;
    private final int[] tokenDeps;

    private SignalTokenizer(TokenizerConfig config, Device device, long seed, int chunkTokens) {
        if (chunkTokens < 8) {
            throw new IllegalArgumentException("chunkTokens must be at least 8 (the final conv reflects 6 frames), got " + chunkTokens);
        }
        this.config = config;
        this.device = device;
        this.chunkTokens = chunkTokens;
        this.manager = NDManager.newBaseManager(device);
        Rng rng = new Rng(seed);
        this.encoder = register("encoder", new SeanetEncoder(config, rng));
        this.encoderTransformer = config.attentionDepth > 0 ? register("encoder_transformer", transformer(config, rng)) : null;
        this.projectIn = register("project_in", new Dense(config.embedDim, config.codebookDim, true, rng));
        this.projectOut = register("project_out", new Dense(config.codebookDim, config.embedDim, true, rng));
        this.decoderTransformer = config.attentionDepth > 0 ? register("decoder_transformer", transformer(config, rng)) : null;
        this.decoder = register("decoder", new SeanetDecoder(config, rng));
        for (NamedBlock b : blocks.values()) {
            b.initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels, config.hopLength()));
        }
        this.quantizer = new ResidualVectorQuantizer(manager, config.codebookDim, config.codebookSize,
                config.numQuantizers, config.commitmentCost, config.emaDecay, config.quantizerDropout, rng);
        this.tokenDeps = tokenDependencies();
    }

    private static RopeTransformer transformer(TokenizerConfig c, Rng rng) {
        return new RopeTransformer(c.embedDim, c.attentionDepth, c.attentionHeads, c.transformerDimFeedforward,
                c.windowSize, c.layerScaleInit, rng);
    }

    private <B extends NamedBlock> B register(String name, B block) {
        blocks.put(name, block);
        return block;
    }

    /** A freshly initialised tokenizer (PyTorch's default initialisation, drawn from {@code seed}). */
    public static SignalTokenizer create(TokenizerConfig config, Device device, long seed) {
        return new SignalTokenizer(config, device, seed, DEFAULT_CHUNK_TOKENS);
    }

    /** As {@link #create(TokenizerConfig, Device, long)} with a chosen encoding chunk (frames). */
    public static SignalTokenizer create(TokenizerConfig config, Device device, long seed, int chunkTokens) {
        return new SignalTokenizer(config, device, seed, chunkTokens);
    }

    public TokenizerConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    /** The manager that owns the weights (on {@link #device()}). */
    public NDManager manager() {
        return manager;
    }

    /** Frames per encoding chunk: batch and streaming encoders share it, which makes them agree exactly. */
    public int chunkTokens() {
        return chunkTokens;
    }

    public int hopLength() {
        return config.hopLength();
    }

    public int numQuantizers() {
        return config.numQuantizers;
    }

    public SeanetEncoder encoder() {
        return encoder;
    }

    public SeanetDecoder decoder() {
        return decoder;
    }

    public ResidualVectorQuantizer quantizer() {
        return quantizer;
    }

    /** Every trainable parameter by its reference state-dict name, in the reference's order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, NamedBlock> b : blocks.entrySet()) {
            for (Map.Entry<String, Parameter> p : b.getValue().namedParameters().entrySet()) {
                out.put(b.getKey() + "." + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /** Parameters exempt from weight decay (biases, weight-norm gains, norms, layer scales). */
    public Set<Parameter> noDecayParameters() {
        Set<Parameter> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NamedBlock b : blocks.values()) {
            out.addAll(b.noDecayParameters());
        }
        return out;
    }

    /** The transformers' rotary buffers by state-dict name (written to bundles, never read). */
    public Map<String, float[][]> rotaryBuffers() {
        Map<String, float[][]> out = new LinkedHashMap<>();
        if (encoderTransformer != null) {
            encoderTransformer.rotaryBuffers().forEach((k, v) -> out.put("encoder_transformer." + k, v));
        }
        if (decoderTransformer != null) {
            decoderTransformer.rotaryBuffers().forEach((k, v) -> out.put("decoder_transformer." + k, v));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding

    /**
     * Tokens of a single-channel signal (preprocessed, at the tokenizer's sample rate):
     * [⌈T/hop⌉][K]. Runs in bounded memory however long the signal (with a finite attention
     * window; see the class comment).
     */
    public int[][] encode(float[] signal) {
        requireSingleChannel();
        try (StreamingEncoder s = streamingEncoder()) {
            List<int[]> out = new ArrayList<>(signal.length / hopLength() + 1);
            out.addAll(s.push(signal));
            out.addAll(s.finish());
            return out.toArray(new int[0][]);
        }
    }

    /**
     * Tokens of a batch of signals {@code signals} [B, T] or [B, C, T] (any device; moved to the
     * tokenizer's) → [B, ⌈T/hop⌉, K] int64 in the signals' manager. Chunked like {@link #encode}.
     */
    public NDArray encodeBatch(NDArray signals) {
        NDArray x = signals.getShape().dimension() == 2 ? signals.expandDims(1) : signals;
        if (x.getShape().dimension() != 3 || x.getShape().get(1) != config.inChannels) {
            throw new IllegalArgumentException("signals must be [B, T] or [B, " + config.inChannels + ", T], got " + signals.getShape());
        }
        NDManager caller = signals.getManager();
        long batch = x.getShape().get(0);
        long length = x.getShape().get(2);
        long tokens = Math.floorDiv(length + hopLength() - 1, hopLength());
        NDList parts = new NDList();
        try (NDManager work = NDManager.newBaseManager(device);
                ChunkEngine engine = new ChunkEngine(work, batch)) {
            NDArray onDevice = x.toDevice(device, false);
            long produced = 0;
            for (long c = 0; produced < tokens; c++) {
                long start = engine.chunkStart(c);
                long len = engine.chunkLength(c);
                try (NDManager chunkScope = work.newSubManager()) {
                    NDArray input = slice(onDevice, start, len, length, chunkScope);
                    NDArray codes = engine.run(input, true);
                    long take = Math.min(codes.getShape().get(1), tokens - produced);
                    NDArray kept = codes.get(new NDIndex(":, :{}", take));
                    kept.attach(work);
                    parts.add(kept);
                    produced += take;
                }
            }
            NDArray all = NDArrays.concat(parts, 1).toDevice(caller.getDevice(), true);
            all.attach(caller);
            return all;
        }
    }

    /** samples [start, start+len) of x [B, C, L] with zeros past the end, in {@code scope}. */
    private static NDArray slice(NDArray x, long start, long len, long length, NDManager scope) {
        long end = Math.min(length, start + len);
        NDArray part = null;
        if (start < end) {
            part = x.get(new NDIndex(":, :, {}:{}", start, end));
            part.attach(scope);
        }
        long missing = len - Math.max(0, end - start);
        NDArray out;
        if (missing > 0) {
            NDArray zeros = scope.zeros(new Shape(x.getShape().get(0), x.getShape().get(1), missing), x.getDataType());
            out = part == null ? zeros : NDArrays.concat(new NDList(part, zeros), 2);
        } else {
            out = part;
        }
        out.attach(scope);
        return out;
    }

    /** A streaming encoder for one single-channel signal (push samples, get final tokens). */
    public StreamingEncoder streamingEncoder() {
        requireSingleChannel();
        return new StreamingEncoder(this);
    }

    private void requireSingleChannel() {
        if (config.inChannels != 1) {
            throw new IllegalStateException("this tokenizer takes " + config.inChannels
                    + " channels; use encodeBatch/decodeBatch with [B, C, T] arrays");
        }
    }

    /**
     * The last sample (index into the signal, counting the reference's trailing token of zeros)
     * that token t depends on: (t+1)·hop, except for the first tokens, which look further ahead
     * through the reflection padding ({@link #startupLookahead()}). Token t is final once this
     * sample has arrived.
     */
    public int lastSampleNeeded(long token) {
        if (token + 1 < tokenDeps.length) {
            return tokenDeps[(int) token];
        }
        return Math.toIntExact((token + 1) * hopLength());
    }

    /**
     * Token dependencies over the first chunks: frame j of a whole sequence needs samples up to
     * j·hop, except that reflection at the start lets early frames look further; attention mixes
     * earlier frames in, so a token's need is the running maximum over frames up to its own.
     */
    private int[] tokenDependencies() {
        int frames = 3 * chunkTokens;
        int[] frameDeps = encoder.lastSampleNeeded(frames * hopLength());
        int[] tokenNeeds = new int[frames - 1];
        int running = -1;
        for (int t = 0; t < tokenNeeds.length; t++) {
            running = Math.max(running, frameDeps[t + 1]);
            tokenNeeds[t] = running;
        }
        return tokenNeeds;
    }

    /**
     * How far the first tokens look ahead because of the reflection padding: the largest
     * (last sample needed − (t+1)·hop) over all tokens, in samples (0 without reflection).
     */
    public int startupLookahead() {
        int worst = 0;
        for (int t = 0; t < tokenDeps.length; t++) {
            worst = Math.max(worst, tokenDeps[t] - (t + 1) * hopLength());
        }
        return worst;
    }

    /**
     * Runs the encoder chunk by chunk with carried state. Chunk c covers encoder frames
     * [c·C, (c+1)·C); because frame j needs samples up to j·hop, chunk 0 takes samples
     * [0, (C−1)·hop] and chunk c ≥ 1 the C·hop samples after those of chunk c−1. Every chunk of
     * a given index has the same shapes whoever runs it, which is what makes the streaming and
     * batch encoders agree bit for bit.
     */
    final class ChunkEngine implements AutoCloseable {
        private final StreamState state;
        private final long batch;
        private long chunk;

        ChunkEngine(NDManager parent, long batch) {
            this.state = new StreamState(parent);
            this.batch = batch;
        }

        /** First sample of chunk c. */
        long chunkStart(long c) {
            return c == 0 ? 0 : (c * chunkTokens - 1L) * hopLength() + 1;
        }

        /** Samples in chunk c. */
        long chunkLength(long c) {
            return c == 0 ? (chunkTokens - 1L) * hopLength() + 1 : (long) chunkTokens * hopLength();
        }

        /** First token of the next chunk to run. */
        long firstToken() {
            return chunk == 0 ? 0 : chunk * chunkTokens - 1;
        }

        long chunkIndex() {
            return chunk;
        }

        /**
         * Tokens [B, n, K] int64 of the next chunk from its full input [B, C, chunkLength]
         * (in the input's manager). With {@code commit} false the state is left as it was, so
         * the same chunk can be run again when more of it has arrived.
         */
        NDArray run(NDArray input, boolean commit) {
            if (input.getShape().get(0) != batch || input.getShape().get(2) != chunkLength(chunk)) {
                throw new IllegalStateException("chunk " + chunk + " needs [" + batch + ", C, " + chunkLength(chunk)
                        + "], got " + input.getShape());
            }
            state.begin();
            NDArray codes;
            try {
                codes = tokensOf(input);
            } catch (RuntimeException e) {
                state.rollback();
                throw e;
            }
            if (commit) {
                state.commit();
                chunk++;
            } else {
                state.rollback();
            }
            return codes;
        }

        private NDArray tokensOf(NDArray input) {
            NDArray frames = encoder.frames(input, state).transpose(0, 2, 1); // [B, n, D]
            long pos0 = firstToken();
            if (chunk == 0) {
                frames = frames.get(new NDIndex(":, 1:, :"));
            }
            NDArray z = frames;
            if (encoderTransformer != null) {
                z = encoderTransformer.forward(z, pos0, state);
            }
            long n = z.getShape().get(1);
            NDArray zc = Scope.run(z, projectIn::forward).reshape(batch * n, config.codebookDim);
            return quantizer.encode(zc, config.numQuantizers).reshape(batch, n, config.numQuantizers);
        }

        @Override
        public void close() {
            state.close();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Decoding

    /** The signal [S·hop] a single-channel tokenizer reconstructs from tokens [S][K'] (K' ≤ K levels). */
    public float[] decode(int[][] tokens) {
        requireSingleChannel();
        if (tokens.length == 0) {
            return new float[0];
        }
        int k = tokens[0].length;
        long[] flat = new long[tokens.length * k];
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t].length != k) {
                throw new IllegalArgumentException("token row " + t + " has " + tokens[t].length + " levels, row 0 has " + k);
            }
            for (int i = 0; i < k; i++) {
                int code = tokens[t][i];
                if (code < 0 || code >= config.codebookSize) {
                    throw new IllegalArgumentException("token [" + t + "][" + i + "] = " + code + " outside the codebook of " + config.codebookSize);
                }
                flat[t * k + i] = code;
            }
        }
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray idx = ai.hypnos.nn.HostData.longs(m, flat, new Shape(1, tokens.length, k));
            return decodeBatch(idx).toFloatArray();
        }
    }

    /**
     * Signals [B, C, S·hop] from tokens [B, S, K'] int64 (K' ≤ K: a coarser reconstruction from
     * the first K' levels), decoded in chunks with carried state (bounded memory with a finite
     * attention window; see the class comment).
     */
    public NDArray decodeBatch(NDArray tokens) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(2) < 1 || s.get(2) > config.numQuantizers) {
            throw new IllegalArgumentException("tokens must be [B, S, K'] with 1 ≤ K' ≤ " + config.numQuantizers + ", got " + s);
        }
        NDManager caller = tokens.getManager();
        long total = s.get(1);
        NDList parts = new NDList();
        try (NDManager work = NDManager.newBaseManager(device); StreamState state = new StreamState(work)) {
            NDArray idx = tokens.toDevice(device, false).toType(DataType.INT64, false);
            for (long start = 0; start < total; start += chunkTokens) {
                long end = Math.min(total, start + chunkTokens);
                try (NDManager chunkScope = work.newSubManager()) {
                    NDArray part = idx.get(new NDIndex(":, {}:{}, :", start, end));
                    part.attach(chunkScope);
                    NDArray y = decodeChunk(part, start, state);
                    y.attach(work);
                    parts.add(y);
                }
            }
            NDArray out = NDArrays.concat(parts, 2).toDevice(caller.getDevice(), true);
            out.attach(caller);
            return out;
        }
    }

    private NDArray decodeChunk(NDArray indices, long pos0, StreamState state) {
        NDArray q = quantizer.decode(indices);
        NDArray z = Scope.run(q, projectOut::forward);
        if (decoderTransformer != null) {
            z = decoderTransformer.forward(z, pos0, state);
        }
        return decoder.forward(z, state);
    }

    // ------------------------------------------------------------------------------------------
    // Training

    /** What one training forward pass produces (all in the input's manager). */
    public record TrainOutput(NDArray reconstruction, NDArray commitment, NDArray indices, NDArray latents) {}

    /**
     * Training forward pass on {@code x} [B, C, T] (T a multiple of hop): encodes, quantizes with
     * EMA codebook updates (k-means on the first batches, dead-code replacement), decodes.
     *
     * @return reconstruction [B, C, T]; mean commitment loss; indices [B, S, K]; the projected
     *     latents [B, S, codebook_dim] before quantization (detached, for metrics)
     */
    public TrainOutput trainForward(NDArray x, Rng rng) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(2);
        if (length % hopLength() != 0) {
            throw new IllegalArgumentException("training windows must be a whole number of tokens (" + hopLength()
                    + " samples), got " + length);
        }
        NDArray z = encoder.forward(x);
        if (encoderTransformer != null) {
            z = encoderTransformer.forward(z, 0, null);
        }
        long s = z.getShape().get(1);
        NDArray zp = Scope.run(z, projectIn::forward);
        NDArray flat = zp.reshape(batch * s, config.codebookDim);
        ResidualVectorQuantizer.Output q = quantizer.trainStep(flat, (int) s, rng);
        NDArray zq = q.quantized().reshape(batch, s, config.codebookDim);
        if (config.quantizationDropout > 0) {
            float[] skip = new float[(int) batch];
            for (int b = 0; b < batch; b++) {
                skip[b] = rng.nextDouble() < config.quantizationDropout ? 1f : 0f;
            }
            NDArray skipMask = ai.hypnos.nn.HostData.floats(x.getManager(), skip, new Shape(batch, 1, 1));
            zq = zq.add(zp.sub(zq).mul(skipMask));
        }
        NDArray out = Scope.run(zq, projectOut::forward);
        if (decoderTransformer != null) {
            out = decoderTransformer.forward(out, 0, null);
        }
        NDArray recon = decoder.forward(out);
        return new TrainOutput(recon, q.commitment(), q.indices().reshape(batch, s, config.numQuantizers), zp.stopGradient());
    }

    /**
     * The fewest tokens a training window ({@link #trainForward}) may hold: every conv that pads
     * by reflection needs more inputs than it reflects at the start of a window. The encoder sees
     * the window plus one appended token, the decoder one frame per token; for the reference's
     * layout the decoder's first conv (kernel 7) is the limit, 7 tokens.
     */
    public int minimumTrainingTokens() {
        // Every conv's input length grows with the window, so the first length that fits is the minimum.
        int tokens = 1;
        while (!encoder.acceptsSequence((long) (tokens + 1) * hopLength()) || !decoder.acceptsSequence(tokens)) {
            tokens++;
        }
        return tokens;
    }

    /**
     * Tokens [B, ⌈T/hop⌉, K] int64 of whole signals {@code x} [B, C, T] in one pass, without
     * chunks or carried state — the reference's encoder, and the memory of the whole signal. The
     * chunked encoders compute the same function; libtorch rounds the two shapes' sums differently,
     * so a near-tie between two codes may go either way (see {@code StreamingEncoderTest}).
     */
    NDArray encodeWhole(NDArray x) {
        long batch = x.getShape().get(0);
        NDArray z = encoder.forward(x);
        if (encoderTransformer != null) {
            z = encoderTransformer.forward(z, 0, null);
        }
        long s = z.getShape().get(1);
        NDArray flat = Scope.run(z, projectIn::forward).reshape(batch * s, config.codebookDim);
        return quantizer.encode(flat, config.numQuantizers).reshape(batch, s, config.numQuantizers);
    }

    /**
     * Reconstructions of {@code x} [B, C, T] from the first 1, 2, …, K levels (element k−1 uses k
     * levels), on whole windows, without touching the codebooks. For metrics and inspection.
     */
    public NDArray[] reconstructByLevels(NDArray x) {
        NDArray idx = encodeWhole(x);
        NDArray[] out = new NDArray[config.numQuantizers];
        for (int k = 1; k <= config.numQuantizers; k++) {
            NDArray q = quantizer.decode(idx.get(new NDIndex(":, :, :{}", k)));
            NDArray h = Scope.run(q, projectOut::forward);
            if (decoderTransformer != null) {
                h = decoderTransformer.forward(h, 0, null);
            }
            out[k - 1] = decoder.forward(h);
        }
        return out;
    }

    @Override
    public void close() {
        quantizer.close();
        manager.close();
    }
}

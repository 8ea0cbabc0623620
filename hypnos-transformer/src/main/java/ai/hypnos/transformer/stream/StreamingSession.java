package ai.hypnos.transformer.stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.masking.ModalityMasks;
import ai.hypnos.transformer.nn.ForwardContext;
import ai.hypnos.transformer.nn.KvCache;
import ai.hypnos.transformer.nn.TemporalBlock;

/**
 * KV-cached streaming inference: push one second of tokens for the present modalities, get that
 * second's per-modality embeddings. Every temporal block keeps a ring buffer of its window's
 * keys and values, so the session's memory is fixed however long the stream runs. With
 * {@code chunkTokens = 0} positions grow without end; the model's shared RoPE tables still stop at
 * {@code max_seq_len} rows, and a position past them gets its rotation computed for that step
 * only ({@link ai.hypnos.transformer.nn.Rope}), so the model's memory is bounded too.
 *
 * <p>Alignment with batch inference: {@code push(tokens of second t)} returns z_t, row t of
 * {@link RqTransformer#embed}. Because of the reference's one-second shift, z_t summarises the
 * seconds before t; the tokens of second t enter at t+1. Positions count from the session's start
 * (or last restart, see {@link StreamOptions#chunkTokens()}), so a stream with the same chunk size
 * as {@code embed} reproduces it second for second (within float rounding).
 *
 * <p>Low-level use (generation): {@link #nextContext} computes z for the current second from what
 * was pushed before, {@link #commit} then supplies that second's tokens. Not thread-safe; one
 * session per stream. Weights are fused once at creation: do not train the model meanwhile.
 */
public final class StreamingSession implements AutoCloseable {
    private final RqTransformer model;
    private final ModalityLayout layout;
    private final NDManager manager;
    private final ForwardContext ctx;
    private final KvCache[] caches;
    private final int chunkTokens;
    private final boolean[] presence;
    private final NDArray presenceArray;
    private final NDArray channelArray;
    private final ModalityAttentionMask mask;
    private int[] previous;
    private int position;
    private long steps;
    private boolean awaitingCommit;

    public StreamingSession(RqTransformer model, StreamOptions options) {
        this.model = model;
        this.layout = model.layout();
        TransformerConfig c = model.config();
        int m = layout.numModalities();
        if (options.presence().length != m) {
            throw new IllegalArgumentException("stream options cover " + options.presence().length
                    + " modalities, the model has " + m);
        }
        this.chunkTokens = options.chunkTokens();
        this.presence = options.presence();
        // Validate channel ids with a one-second dummy batch.
        TokenBatch.of(1, 1, layout.totalK(), new int[layout.totalK()], presence, options.channelIds()).validate(layout);
        this.manager = model.parameters().manager().newSubManager();
        try {
            this.ctx = new ForwardContext(manager, false, model.parameters().dataType());
            this.caches = new KvCache[c.temporalDepth()];
            for (TemporalBlock block : model.temporal().blocks()) {
                int window = block.window();
                int capacity;
                if (window > 0) {
                    capacity = chunkTokens > 0 ? Math.min(window, chunkTokens) : window;
                } else if (chunkTokens > 0) {
                    capacity = chunkTokens;
                } else {
                    throw new IllegalArgumentException("temporal block " + block.index() + " attends to the whole "
                            + "past (no window): a stream needs chunkTokens > 0 to bound its cache");
                }
                caches[block.index()] = new KvCache(manager, m, c.temporalHeads(), capacity, c.headDim(),
                        model.parameters().dataType());
            }
            this.presenceArray = model.presenceArray(presence, 1, manager);
            this.channelArray = TokenBatch.of(1, 1, layout.totalK(), new int[layout.totalK()], presence,
                    options.channelIds()).channelIdsArray(manager);
            ModalityMasks masks = ModalityMasker.inference(c, 1, presence);
            this.mask = ModalityAttentionMask.of(1, m, masks.presence(), masks.groupIds());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Pushes the tokens of the next second (ΣK values in model column order; absent modalities'
     * columns are ignored) and returns that second's embeddings per modality ({@code D} floats,
     * {@code null} for absent modalities).
     */
    public float[][] push(int[] tokens) {
        float[] z;
        try (NDManager step = manager.newSubManager()) {
            NDArray ctxArray = nextContext(step);
            if (ctxArray.getDataType() != DataType.FLOAT32) {
                ctxArray = ctxArray.toType(DataType.FLOAT32, false);
            }
            z = ctxArray.toFloatArray();
        }
        commit(tokens);
        int m = layout.numModalities();
        int d = model.config().embedDim();
        float[][] out = new float[m][];
        for (int i = 0; i < m; i++) {
            if (presence[i]) {
                out[i] = java.util.Arrays.copyOfRange(z, i * d, (i + 1) * d);
            }
        }
        return out;
    }

    /**
     * z for the current second {@code [M, D]} (attached to {@code out}), from the tokens committed
     * so far; must be followed by {@link #commit} before the next call.
     */
    public NDArray nextContext(NDManager out) {
        if (awaitingCommit) {
            throw new IllegalStateException("nextContext called twice without commit");
        }
        int m = layout.numModalities();
        long d = model.config().embedDim();
        try (NDManager step = manager.newSubManager()) {
            ForwardContext stepCtx = ctx;
            NDArray codes = null;
            if (previous != null) {
                long[] l = new long[previous.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = previous[i];
                }
                NDArray tokens = HostData.longs(step, l, new Shape(1, 1, layout.totalK()));
                codes = model.tokenInput().codeEmbeddings(tokens, false, stepCtx);
            }
            NDArray x = model.tokenInput().temporalInput(codes, previous == null, presenceArray, channelArray, 1,
                    stepCtx, step);
            NDArray z = model.temporal().step(x, position, caches, mask, stepCtx).reshape(new Shape(m, d));
            z.attach(out);
            awaitingCommit = true;
            return z;
        }
    }

    /** Supplies the tokens of the current second and moves to the next one. */
    public void commit(int[] tokens) {
        if (!awaitingCommit) {
            throw new IllegalStateException("commit without nextContext");
        }
        if (tokens.length != layout.totalK()) {
            throw new IllegalArgumentException("a second has ΣK = " + layout.totalK() + " tokens, got "
                    + tokens.length);
        }
        int[] clean = tokens.clone();
        for (int i = 0; i < layout.numModalities(); i++) {
            int off = layout.columnOffset(i);
            for (int k = 0; k < layout.modality(i).numQuantizers(); k++) {
                if (!presence[i]) {
                    clean[off + k] = 0;
                } else if (clean[off + k] < 0 || clean[off + k] >= layout.modality(i).codebookSize()) {
                    throw new IllegalArgumentException("token of " + layout.modality(i).name() + " level " + k
                            + " at second " + steps + " is " + clean[off + k] + ", not in [0, "
                            + layout.modality(i).codebookSize() + ")");
                }
            }
        }
        awaitingCommit = false;
        steps++;
        position++;
        previous = clean;
        if (chunkTokens > 0 && position == chunkTokens) {
            restart();
        }
    }

    /** Starts a new context (BOS, position 0, empty caches), as at a chunk boundary. */
    public void restart() {
        position = 0;
        previous = null;
        awaitingCommit = false;
        for (KvCache c : caches) {
            c.reset();
        }
    }

    /** Seconds pushed so far. */
    public long steps() {
        return steps;
    }

    /** Position of the next second within the current context. */
    public int position() {
        return position;
    }

    /** The arrays the session holds (caches and constants): constant over a stream. */
    public int heldArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}

package ai.hypnos.tokenizer;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes one signal as it arrives: {@link #push} samples in blocks of any size and get back
 * every token that has become final; {@link #finish()} at the end of the recording returns the
 * rest. The concatenated tokens equal {@link SignalTokenizer#encode(float[])} on the whole
 * signal exactly (bit for bit on the same device), whatever the block sizes.
 *
 * <p>How: the tokenizer always encodes in chunks of C frames with each layer's causal state
 * carried from chunk to chunk, and every chunk has fixed shapes. When a chunk's input is
 * complete it is run once and its state kept. Before that, each push that completes a token runs
 * the chunk tentatively on what has arrived, zero-filled to the chunk's length, with the state
 * rolled back afterwards; tokens whose inputs are all real come out identical to the final run
 * (the zeros are in their future, which a causal layer never reads). Identical shapes matter:
 * libtorch's CPU kernels round differently for different lengths, and a single ulp can flip a
 * nearest-code decision.
 *
 * <p>When: token t depends on samples up to (t+1)·hop, so it is emitted once sample (t+1)·hop
 * has arrived — one sample after its second ends. The reflection padding at the start of every
 * conv lets the first few tokens look further ahead ({@link SignalTokenizer#startupLookahead()}
 * samples at most); they come out as soon as those samples are in. {@link #finish()} appends
 * the reference's one token of zeros, so the last (possibly partial) second is tokenized too.
 *
 * <p>Memory stays flat: one chunk of samples on the host, the layers' left contexts on the
 * device — with a finite attention window or none. With an unlimited window
 * ({@code window_size} None) the attention layers keep the keys and values of every past token,
 * so memory grows with the stream (2·D floats per token per layer; a warning is logged).
 *
 * <p>Cost: a tentative run costs a whole chunk, so pushing one second at a time costs about C
 * seconds of encoding per second of signal (still thousands of times real time on a CPU).
 */
public final class StreamingEncoder implements AutoCloseable {
    private final SignalTokenizer tokenizer;
    private final NDManager manager;
    private final SignalTokenizer.ChunkEngine engine;
    private final int hop;
    private final int k;
    private float[] pending;
    private int pendingCount;
    private long received;
    private long emitted;
    private boolean finished;

    StreamingEncoder(SignalTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.manager = NDManager.newBaseManager(tokenizer.device());
        this.engine = tokenizer.new ChunkEngine(manager, 1);
        this.hop = tokenizer.hopLength();
        this.k = tokenizer.numQuantizers();
        this.pending = new float[(int) engine.chunkLength(0)];
    }

    /** Samples received so far. */
    public long samplesReceived() {
        return received;
    }

    /** Tokens returned so far. */
    public long tokensEmitted() {
        return emitted;
    }

    /**
     * Adds samples and returns the tokens that became final, each int[K], in order.
     */
    public List<int[]> push(float[] samples) {
        return push(samples, 0, samples.length);
    }

    /** As {@link #push(float[])} for {@code samples[offset, offset+length)}. */
    public List<int[]> push(float[] samples, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("finish() was called; start a new streaming encoder");
        }
        List<int[]> out = new ArrayList<>();
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int need = (int) engine.chunkLength(engine.chunkIndex()) - pendingCount;
            int take = Math.min(need, end - pos);
            System.arraycopy(samples, pos, pending, pendingCount, take);
            pendingCount += take;
            pos += take;
            received += take;
            if (pendingCount == engine.chunkLength(engine.chunkIndex())) {
                runChunk(true, Long.MAX_VALUE, out);
            }
        }
        emitFinalTokens(out);
        return out;
    }

    /** Ends the signal: pads one token of zeros (as the reference) and returns the remaining tokens. */
    public List<int[]> finish() {
        if (finished) {
            return List.of();
        }
        long total = Math.floorDiv(received + hop - 1, hop);
        List<int[]> out = new ArrayList<>();
        while (emitted < total) {
            // Zero-fill the current chunk (the reference's right padding and beyond) and run it for good.
            java.util.Arrays.fill(pending, pendingCount, (int) engine.chunkLength(engine.chunkIndex()), 0f);
            pendingCount = (int) engine.chunkLength(engine.chunkIndex());
            runChunk(true, total, out);
        }
        finished = true;
        return out;
    }

    /** Runs the current chunk tentatively if a token not yet emitted has all its samples. */
    private void emitFinalTokens(List<int[]> out) {
        long finalTokens = 0;
        long chunkEnd = engine.firstToken() + (engine.chunkIndex() == 0 ? tokenizer.chunkTokens() - 1 : tokenizer.chunkTokens());
        for (long t = emitted; t < chunkEnd; t++) {
            if (tokenizer.lastSampleNeeded(t) < received) {
                finalTokens = t + 1;
            } else {
                break;
            }
        }
        if (finalTokens > emitted) {
            int len = (int) engine.chunkLength(engine.chunkIndex());
            java.util.Arrays.fill(pending, pendingCount, len, 0f);
            runChunk(false, finalTokens, out);
        }
    }

    /** Runs the current chunk from {@code pending}; appends its tokens in [emitted, limit). */
    private void runChunk(boolean commit, long limit, List<int[]> out) {
        long first = engine.firstToken();
        int len = (int) engine.chunkLength(engine.chunkIndex());
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = ai.hypnos.nn.HostData.floats(scope, pending, new Shape(1, 1, len));
            NDArray codes = engine.run(input, commit);
            long n = codes.getShape().get(1);
            long from = Math.max(emitted, first);
            long to = Math.min(first + n, limit);
            if (to > from) {
                long[] flat = codes.get(new NDIndex("0, {}:{}, :", from - first, to - first)).toLongArray();
                for (long t = from; t < to; t++) {
                    int[] row = new int[k];
                    for (int i = 0; i < k; i++) {
                        row[i] = (int) flat[(int) ((t - from) * k + i)];
                    }
                    out.add(row);
                }
                emitted = to;
            }
        }
        if (commit) {
            pendingCount = 0;
            int next = (int) engine.chunkLength(engine.chunkIndex());
            if (pending.length != next) {
                pending = new float[next];
            }
        }
    }

    @Override
    public void close() {
        engine.close();
        manager.close();
    }
}

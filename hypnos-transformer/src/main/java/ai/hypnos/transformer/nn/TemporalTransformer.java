package ai.hypnos.transformer.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.masking.ModalityAttentionMask;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The temporal stack: temporal blocks (each modality's sequence on its own), each optionally
 * followed by a modality layer (across modalities at each second), then a final LayerNorm.
 * Input and output {@code [B, M, S, D]}; the output is the per-modality embedding z.
 *
 * <p>On the CPU, inference over a long chunk runs in segments, each segment through every
 * block, carrying each block's last W keys and values to the next segment. The result is the
 * whole chunk's (the windowed attention sees exactly the same keys), but every intermediate is a
 * fraction of the size: arrays of tens of MB are mapped fresh from the OS by the allocator and
 * page-faulted in on every op, which made a {@code small} night 2.7× slower (measured,
 * docs/benchmarks.md). A segment holds about {@value #SEGMENT_VALUES} values per modality and
 * feature (512 positions at D 256, 256 at D 768), rounded up to a multiple of every window.
 * Training and GPUs run whole chunks: a GPU wants fewer, larger kernels.
 */
public final class TemporalTransformer {
    /** Positions × model width per CPU segment (before rounding to the windows). */
    public static final int SEGMENT_VALUES = 131_072;

    private final List<TemporalBlock> blocks = new ArrayList<>();
    private final List<ModalityBlock> modalityAfter = new ArrayList<>();
    private final LayerNormWeights norm;
    private final Rope rope;

    public TemporalTransformer(ModelParameters p, TransformerConfig c, Rope rope) {
        this.rope = rope;
        int j = 0;
        for (int i = 0; i < c.temporalDepth(); i++) {
            blocks.add(new TemporalBlock(p, c, i));
            modalityAfter.add(c.hasModalityLayerAfter(i) ? new ModalityBlock(p, c, j++) : null);
        }
        norm = new LayerNormWeights(p, ParameterNames.temporalNormPrefix());
    }

    /** Temporal blocks, in order. */
    public List<TemporalBlock> blocks() {
        return blocks;
    }

    public Rope rope() {
        return rope;
    }

    /**
     * Whole chunks: positions 0..S−1 (RoPE restarts at every chunk, as the reference).
     *
     * @param x    {@code [B, M, S, D]}
     * @param mask modality-pair mask or {@code null}
     */
    public NDArray forward(NDArray input, ModalityAttentionMask mask, ForwardContext ctx) {
        int s = Math.toIntExact(input.getShape().get(2));
        boolean cpu = input.getDevice().getDeviceType().equals(Device.Type.CPU);
        int width = Math.toIntExact(input.getShape().get(3));
        int segment = !ctx.training() && cpu ? segmentLength(Math.max(1, SEGMENT_VALUES / width)) : 0;
        return segment > 0 && segment < s ? forwardInSegments(input, mask, segment, ctx) : forwardWhole(input, mask, ctx);
    }

    /**
     * The segment length to use for a requested one: {@code target} rounded up to a multiple of
     * every block's window, or 0 when some block has no window (it sees the whole chunk).
     */
    public int segmentLength(int target) {
        int lcm = 1;
        for (TemporalBlock b : blocks) {
            int w = b.window();
            if (w <= 0) {
                return 0;
            }
            lcm = Math.toIntExact((long) lcm / gcd(lcm, w) * w);
        }
        return (target + lcm - 1) / lcm * lcm;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Inference over a chunk in segments of {@code segment} positions (a multiple of every
     * block's window; see the class comment). Same result as {@link #forwardWhole}.
     */
    public NDArray forwardInSegments(NDArray input, ModalityAttentionMask mask, int segment, ForwardContext ctx) {
        Shape shape = input.getShape();
        long b = shape.get(0);
        long m = shape.get(1);
        int s = Math.toIntExact(shape.get(2));
        long d = shape.get(3);
        NDManager pass = ctx.manager();
        NDArray[][] carried = new NDArray[blocks.size()][];
        NDList parts = new NDList();
        for (int start = 0; start < s; start += segment) {
            int length = Math.min(segment, s - start);
            NDArray x = input.get(new NDIndex(":, :, {}:{}", start, start + length));
            x.attach(pass);
            NDArray[] tables = rope.slice(start, length, ctx.dataType(), pass);
            for (int i = 0; i < blocks.size(); i++) {
                NDArray flat = x.reshape(new Shape(b * m, length, d));
                NDArray[] r = blocks.get(i).forwardSegment(flat, tables, carried[i], ctx);
                flat.close();
                x.close();
                close(carried[i]);
                carried[i] = r[1] == null ? null : new NDArray[] {r[1], r[2]};
                x = r[0].reshape(new Shape(b, m, length, d));
                r[0].close();
                ModalityBlock mod = modalityAfter.get(i);
                if (mod != null) {
                    NDArray z = mod.forward(x, mask, ctx);
                    x.close();
                    x = z;
                }
            }
            try (BlockScope scope = BlockScope.open(x)) {
                parts.add(scope.keep(norm.apply(x)));
            }
            x.close();
            tables[0].close();
            tables[1].close();
        }
        for (NDArray[] c : carried) {
            close(c);
        }
        NDArray out = NDArrays.concat(parts, 2);
        parts.close();
        return out;
    }

    private static void close(NDArray[] arrays) {
        if (arrays != null) {
            for (NDArray a : arrays) {
                a.close();
            }
        }
    }

    /** Whole chunks in one pass through each block (training, GPUs, short chunks). */
    private NDArray forwardWhole(NDArray input, ModalityAttentionMask mask, ForwardContext ctx) {
        NDArray x = input;
        Shape shape = x.getShape();
        long b = shape.get(0);
        long m = shape.get(1);
        int s = Math.toIntExact(shape.get(2));
        long d = shape.get(3);
        NDArray[] tables = rope.slice(0, s, ctx.dataType(), ctx.manager());
        for (int i = 0; i < blocks.size(); i++) {
            // Each block's output replaces its input; intermediates are closed as soon as they are
            // consumed, so inference holds one activation per block (autograd keeps what it needs).
            NDArray flat = x.reshape(new Shape(b * m, s, d));
            NDArray y = blocks.get(i).forward(flat, tables, ctx);
            flat.close();
            release(x, input);
            x = y.reshape(new Shape(b, m, s, d));
            y.close();
            ModalityBlock mod = modalityAfter.get(i);
            if (mod != null) {
                NDArray z = mod.forward(x, mask, ctx);
                release(x, input);
                x = z;
            }
        }
        NDArray out;
        try (BlockScope scope = BlockScope.open(x)) {
            out = scope.keep(norm.apply(x));
        }
        release(x, input);
        return out;
    }

    /**
     * One new position per modality against the blocks' caches (streaming).
     *
     * @param x        {@code [1, M, 1, D]}
     * @param position RoPE position of the new token within its chunk
     * @param caches   one cache per temporal block
     */
    public NDArray step(NDArray x, int position, KvCache[] caches, ModalityAttentionMask mask, ForwardContext ctx) {
        Shape shape = x.getShape();
        long m = shape.get(1);
        long d = shape.get(3);
        NDArray[] tables = rope.slice(position, 1, ctx.dataType(), x.getManager());
        for (int i = 0; i < blocks.size(); i++) {
            NDArray flat = x.reshape(new Shape(m, 1, d));
            NDArray y = blocks.get(i).step(flat, tables, caches[i], ctx);
            x = y.reshape(new Shape(1, m, 1, d));
            ModalityBlock mod = modalityAfter.get(i);
            if (mod != null) {
                x = mod.forward(x, mask, ctx);
            }
        }
        try (BlockScope scope = BlockScope.open(x)) {
            return scope.keep(norm.apply(x));
        }
    }

    /** Closes an intermediate, never the caller's input. */
    private static void release(NDArray x, NDArray input) {
        if (x != input) {
            x.close();
        }
    }
}

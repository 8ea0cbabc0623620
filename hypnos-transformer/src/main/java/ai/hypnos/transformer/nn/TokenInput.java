package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Token aggregation (DESIGN §6): per modality, the sum over its K levels of the level's code
 * embedding (tables shared by the weight group), shifted right by one with the group's learned
 * BOS vector at position 0, multiplied by presence, plus the channel embedding times presence.
 *
 * <p>All code tables are gathered in one lookup from a fused table (rows of every group and
 * level stacked, see {@link ModalityLayout#tableRowOffset}), and the per-modality sums are one
 * matmul with a 0/1 column-to-modality selector, whatever the K of each modality. For long
 * inputs without gradients ({@link #modalitySums}) both run a piece of positions at a time.
 */
public final class TokenInput {
    private final ModalityLayout layout;
    private final List<NDArray> tables = new ArrayList<>();
    private final List<NDArray> depthTables = new ArrayList<>();
    private final List<NDArray> bosPerModality = new ArrayList<>();
    private final NDArray channelTable;
    private final NDArray sharedTable;
    private final NDArray sharedDepthTable;
    private final boolean tied;

    public TokenInput(ModelParameters p, TransformerConfig c, ModalityLayout layout) {
        this.layout = layout;
        List<String> tableNames = new ArrayList<>();
        List<String> depthNames = new ArrayList<>();
        for (int g = 0; g < layout.numGroups(); g++) {
            for (int k = 0; k < layout.groupSpec(g).numQuantizers(); k++) {
                tableNames.add(ParameterNames.tokenEmbedding(layout.leader(g), k));
                depthNames.add(ParameterNames.depthEmbedding(layout.leader(g), k));
            }
        }
        tied = c.depthTablesTied();
        // Before the getters: sharing replaces the named tensors by views of the fused table.
        sharedTable = p.sharedRows(tableNames);
        sharedDepthTable = tied ? sharedTable : p.sharedRows(depthNames);
        tableNames.forEach(n -> tables.add(p.get(n)));
        depthNames.forEach(n -> depthTables.add(p.get(n)));
        for (int i = 0; i < layout.numModalities(); i++) {
            bosPerModality.add(p.get(ParameterNames.bos(layout.leader(layout.groupOf(i)))));
        }
        channelTable = c.channelEmbeddings() ? p.get(ParameterNames.channelEmbedding()) : null;
    }

    /**
     * Code embeddings of every token column: {@code [B, S, ΣK] → [B, S, ΣK, D]} from the temporal
     * tables ({@code depth = false}) or the depth transformer's ({@code depth = true}; the same
     * tables when tied).
     */
    public NDArray codeEmbeddings(NDArray tokens, boolean depth, ForwardContext ctx) {
        NDArray table = codeTable(depth, ctx);
        NDArray offsets = ctx.memo(List.of(this, "offsets"), () -> {
            NDArray o = HostData.longs(ctx.manager(), layout.columnTableOffsets());
            return o;
        });
        NDArray rows = tokens.add(offsets);
        return Embedding.embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * Every code table stacked into one {@code [rows, width]} table (stored so for inference-only
     * weights, else once per pass), the temporal
     * tables or the depth transformer's; row {@link ModalityLayout#tableRowOffset} + code.
     */
    public NDArray codeTable(boolean depth, ForwardContext ctx) {
        NDArray stored = depth ? sharedDepthTable : sharedTable;
        if (stored != null) {
            return stored;
        }
        return depth && !tied
                ? ctx.fused(List.of(this, "depth-table"), 0, depthTables)
                : ctx.fused(List.of(this, "table"), 0, tables);
    }

    /**
     * Positions per piece of {@link #modalitySums}: the gathered code embeddings of a piece stay
     * under about 8 MB, so they come from reused allocator memory and stay in cache. Gathering a
     * 2,048-s chunk in one go made a [S, ΣK, D] array of ~100 MB (D 256) whose fresh pages cost
     * more than the gather itself.
     */
    private long piecePositions(long batch, long width) {
        long bytesPerPosition = batch * layout.totalK() * width * Float.BYTES;
        return Math.max(1, (8L << 20) / bytesPerPosition);
    }

    /**
     * Each modality's sum of its code embeddings, {@code [B, S, ΣK]} token ids → {@code [B, S, M, D]}
     * (temporal tables), attached to {@code target}; the same values as the selector product of
     * {@link #codeEmbeddings}, computed a piece of positions at a time.
     */
    public NDArray modalitySums(NDArray tokens, ForwardContext ctx, NDManager target) {
        long width = codeTable(false, ctx).getShape().get(1);
        return modalitySums(tokens, ctx, target, piecePositions(tokens.getShape().get(0), width));
    }

    /** {@link #modalitySums(NDArray, ForwardContext, NDManager)} with pieces of {@code piece} positions. */
    NDArray modalitySums(NDArray tokens, ForwardContext ctx, NDManager target, long piece) {
        long s = tokens.getShape().get(1);
        try (BlockScope scope = BlockScope.under(target)) {
            NDList parts = new NDList();
            for (long a = 0; a < s; a += piece) {
                long b = Math.min(s, a + piece);
                try (BlockScope part = BlockScope.under(scope.manager())) {
                    NDArray ids = part.own(tokens.get(new NDIndex(":, {}:{}", a, b)));
                    NDArray codes = part.own(codeEmbeddings(ids, false, ctx));
                    parts.add(part.keep(selector(ctx).matMul(codes)));
                }
            }
            NDArray sums = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
            return scope.keep(sums);
        }
    }

    /** The 0/1 {@code [M, ΣK]} matrix that sums each modality's columns (once per pass). */
    private NDArray selector(ForwardContext ctx) {
        int m = layout.numModalities();
        return ctx.memo(List.of(this, "selector"), () -> {
            float[] sel = new float[m * layout.totalK()];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < layout.modality(i).numQuantizers(); k++) {
                    sel[i * layout.totalK() + layout.columnOffset(i) + k] = 1f;
                }
            }
            return ctx.create(sel, new Shape(m, layout.totalK()));
        });
    }

    /**
     * The temporal transformer's input {@code [B, M, T, D]}, attached to {@code target}.
     *
     * @param codes      code embeddings {@code [B, S', ΣK, D]} of the tokens before each position
     *                   (the shift), or {@code null} when there are none ({@code S' = 0})
     * @param prependBos whether position 0 is a chunk start (gets the BOS vector)
     * @param presence   {@code [B, M]} 0/1 in the model's float type
     * @param channelIds {@code [B, M]} int64
     */
    public NDArray temporalInput(NDArray codes, boolean prependBos, NDArray presence, NDArray channelIds,
            long batch, ForwardContext ctx, NDManager target) {
        try (BlockScope scope = BlockScope.under(target)) {
            if (codes != null) {
                codes.tempAttach(scope.manager());
            }
            // [M, ΣK] @ [B, S', ΣK, D] -> [B, S', M, D]
            NDArray sums = codes == null ? null : scope.own(selector(ctx).matMul(codes));
            return scope.keep(temporalInputFromSums(sums, prependBos, presence, channelIds, batch, ctx, scope.manager()));
        }
    }

    /**
     * As {@link #temporalInput} from the per-modality sums {@code [B, S', M, D]} of
     * {@link #modalitySums} (or {@code null} when {@code S' = 0}).
     */
    public NDArray temporalInputFromSums(NDArray sums, boolean prependBos, NDArray presence, NDArray channelIds,
            long batch, ForwardContext ctx, NDManager target) {
        int m = layout.numModalities();
        try (BlockScope scope = BlockScope.under(target)) {
            for (NDArray a : new NDArray[] {sums, presence, channelIds}) {
                if (a != null) {
                    a.tempAttach(scope.manager());
                }
            }
            NDArray x = null;
            if (sums != null) {
                x = sums.transpose(0, 2, 1, 3); // [B, M, S', D]
            }
            if (prependBos) {
                long d = bosPerModality.get(0).getShape().get(0);
                NDArray bos = scope.own(ctx.stacked(List.of(this, "bos"), 0, bosPerModality).reshape(
                        new Shape(1, m, 1, d))).broadcast(new Shape(batch, m, 1, d));
                x = x == null ? bos : bos.concat(x, 2);
            }
            x = x.mul(presence.reshape(new Shape(batch, m, 1, 1)));
            if (channelTable != null) {
                NDArray ch = Embedding.embedding(channelIds, channelTable, SparseFormat.DENSE).singletonOrThrow();
                x = x.add(ch.mul(presence.reshape(new Shape(batch, m, 1))).expandDims(2));
            }
            return scope.keep(x);
        }
    }
}

package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The depth transformer (DESIGN §6; the reference's {@code SharedDepthTransformer}): for
 * modality i at second t the condition is {@code proj(z^i_t) + modality_embedding[i]}; the input
 * at level k is the condition plus the sum of the code embeddings of levels {@code < k} plus a
 * level position vector; causal attention over levels; per-group, per-level output heads.
 *
 * <p>Training runs every (modality, second) of the batch as one batch of K-long sequences and
 * one cross-entropy per weight group over all levels (logits {@code [K, N, V]} from one batched
 * matmul), so the op count does not grow with M or K.
 */
public final class DepthTransformer {
    private final TransformerConfig config;
    private final ModalityLayout layout;
    private final List<DepthBlock> blocks = new ArrayList<>();
    private final LayerNormWeights norm;
    private final NDArray contextWeight;
    private final NDArray contextBias;
    private final NDArray modalityEmbeddings;
    private final NDArray positions;
    private final List<List<NDArray>> headWeights = new ArrayList<>();
    private final List<List<NDArray>> headBiases = new ArrayList<>();

    public DepthTransformer(ModelParameters p, TransformerConfig c, ModalityLayout layout) {
        this.config = c;
        this.layout = layout;
        for (int l = 0; l < c.depthDepth(); l++) {
            blocks.add(new DepthBlock(p, c, l));
        }
        norm = new LayerNormWeights(p, ParameterNames.depthNormPrefix());
        if (c.depthTablesTied()) {
            contextWeight = null;
            contextBias = null;
        } else {
            contextWeight = p.get(ParameterNames.depthContextProjection("weight"));
            contextBias = p.get(ParameterNames.depthContextProjection("bias"));
        }
        modalityEmbeddings = p.get(ParameterNames.depthModalityEmbeddings());
        positions = p.get(ParameterNames.depthPositions());
        for (int g = 0; g < layout.numGroups(); g++) {
            List<NDArray> w = new ArrayList<>();
            List<NDArray> b = new ArrayList<>();
            for (int k = 0; k < layout.groupSpec(g).numQuantizers(); k++) {
                w.add(p.get(ParameterNames.depthHead(layout.leader(g), k, "weight")));
                b.add(p.get(ParameterNames.depthHead(layout.leader(g), k, "bias")));
            }
            headWeights.add(w);
            headBiases.add(b);
        }
    }

    /** Loss of one batch: the total to back-propagate and the mean CE per modality and level. */
    public record LossParts(NDArray loss, NDArray levelLosses) {
    }

    /**
     * The denominators of the loss (DESIGN §6) over a whole optimiser batch: per modality, the
     * number of its present (sample, second) positions, and the sum of the loss weights of the
     * modalities present at all.
     *
     * <p>Why this exists: when a batch is split into shares (devices, gradient-accumulation
     * steps), a share normalised by its own counts weighs each sample by 1/(its share's count),
     * which differs between shares as soon as presence does (one device with
     * {@code [no-resp, resp, resp, resp]} weighs each respiration sample 1/3; two devices 1/2,
     * 1/4, 1/4). A share normalised by the batch's denominators is exactly its part of the batch
     * loss, so the shares' losses and gradients sum to those of one pass over the whole batch.
     *
     * @param positions per modality, present (sample, second) positions in the whole batch
     * @param weightSum sum of the loss weights of the modalities with any present position
     */
    public record LossNormalizer(long[] positions, double weightSum) {
        public LossNormalizer {
            positions = positions.clone();
            for (int i = 0; i < positions.length; i++) {
                if (positions[i] < 0) {
                    throw new IllegalArgumentException("loss normaliser: modality " + i + " has " + positions[i]
                            + " present positions");
                }
            }
            if (!(weightSum >= 0) || Double.isInfinite(weightSum)) {
                throw new IllegalArgumentException("loss normaliser: modality weight sum " + weightSum
                        + " is not a finite number >= 0");
            }
        }

        @Override
        public long[] positions() {
            return positions.clone();
        }
    }

    /**
     * The denominators of the loss for {@code presence} ({@code [B·M]}, B samples of
     * {@code seconds} seconds each): compute them once over a whole optimiser batch.
     */
    public LossNormalizer normalizer(boolean[] presence, int batch, int seconds) {
        int m = layout.numModalities();
        if (presence.length != (long) batch * m) {
            throw new IllegalArgumentException("presence holds " + presence.length + " flags, expected " + batch
                    + " samples × " + m + " modalities");
        }
        long[] count = new long[m];
        double weightSum = 0;
        for (int i = 0; i < m; i++) {
            for (int bi = 0; bi < batch; bi++) {
                count[i] += presence[bi * m + i] ? seconds : 0;
            }
            if (count[i] > 0) {
                weightSum += weight(i);
            }
        }
        return new LossNormalizer(count, weightSum);
    }

    private double weight(int i) {
        Map<String, Double> w = config.modalityLossWeights();
        return w == null ? 1.0 : w.get(layout.modality(i).name());
    }

    /**
     * Next-token loss (DESIGN §6): cross-entropy per modality and level over present samples,
     * mean over levels, then the (optionally weighted) mean over modalities present in the batch.
     *
     * @param z          temporal output {@code [B, M, S, D]}
     * @param codes      depth-width code embeddings of every token {@code [B, S, ΣK, Dd]}
     * @param tokens     targets {@code [B, S, ΣK]} int64
     * @param presence   {@code [B·M]} which modalities take part
     * @return the loss (scalar) and {@code [M, maxK]} per-level losses (NaN for a modality absent
     *         from the whole batch, and past a modality's own K)
     */
    public LossParts loss(NDArray z, NDArray codes, NDArray tokens, boolean[] presence, ForwardContext ctx) {
        Shape zs = z.getShape();
        return loss(z, codes, tokens, presence, normalizer(presence, Math.toIntExact(zs.get(0)),
                Math.toIntExact(zs.get(2))), ctx);
    }

    /**
     * The loss of a share of a batch, normalised by the whole batch's denominators {@code n}: the
     * total is this share's part of the batch loss (the shares' totals sum to it); the per-level
     * losses stay this share's own means over its present samples (NaN for a modality absent
     * from the share), as {@code TrainingOutput} documents them.
     *
     * @throws IllegalArgumentException if {@code n} counts fewer present positions of a modality
     *                                  than this share holds (it was made for another batch)
     */
    public LossParts loss(NDArray z, NDArray codes, NDArray tokens, boolean[] presence, LossNormalizer n,
            ForwardContext ctx) {
        Shape zs = z.getShape();
        int b = Math.toIntExact(zs.get(0));
        int m = Math.toIntExact(zs.get(1));
        int s = Math.toIntExact(zs.get(2));
        if (n.positions.length != m) {
            throw new IllegalArgumentException("loss normaliser for " + n.positions.length
                    + " modalities, the batch has " + m);
        }
        double[] weight = new double[m];
        long[] own = new long[m]; // this share's present positions: its per-level means
        long[] count = n.positions; // the batch's: the loss's denominators
        double weightSum = n.weightSum();
        for (int i = 0; i < m; i++) {
            for (int bi = 0; bi < b; bi++) {
                own[i] += presence[bi * m + i] ? s : 0;
            }
            weight[i] = weight(i);
            if (own[i] > count[i]) {
                throw new IllegalArgumentException("loss normaliser counts " + count[i] + " present positions of "
                        + layout.modality(i).name() + " but this share alone holds " + own[i]
                        + ": it was not computed over the batch this share belongs to");
            }
        }
        int maxK = layout.maxK();
        NDArray[] levelRows = new NDArray[m];
        NDArray total = null;
        try (BlockScope scope = BlockScope.open(z, codes, tokens)) {
            NDArray zt = z.transpose(1, 0, 2, 3); // [M, B, S, D]
            NDArray codesT = codes.transpose(2, 0, 1, 3); // [ΣK, B, S, Dd]
            NDArray tokensT = tokens.transpose(2, 0, 1); // [ΣK, B, S]
            for (Map.Entry<Integer, int[]> cls : classesByK().entrySet()) {
                int k = cls.getKey();
                int[] mods = cls.getValue();
                NDArray h = hidden(zt, codesT, mods, k, b, s, scope, ctx); // [Mc, B·S, K, Dd]
                for (int g = 0; g < layout.numGroups(); g++) {
                    int[] pos = positionsOfGroup(mods, g);
                    if (pos.length == 0) {
                        continue;
                    }
                    int[] members = new int[pos.length];
                    for (int j = 0; j < pos.length; j++) {
                        members[j] = mods[pos[j]];
                    }
                    try (BlockScope gs = BlockScope.under(scope.manager())) {
                        int mg = members.length;
                        NDArray hg = select(h, pos, gs).transpose(2, 0, 1, 3).reshape(new Shape(k, (long) mg * b * s, -1));
                        NDArray logp = hg.matMul(headMatrix(g, ctx)).add(headBias(g, ctx)).logSoftmax(-1);
                        int[] cols = new int[mg * k];
                        for (int j = 0; j < mg; j++) {
                            for (int level = 0; level < k; level++) {
                                cols[j * k + level] = layout.columnOffset(members[j]) + level;
                            }
                        }
                        NDArray target = select(tokensT, cols, gs).reshape(new Shape(mg, k, b, s))
                                .transpose(1, 0, 2, 3).reshape(new Shape(k, (long) mg * b * s, 1));
                        NDArray nll = logp.gather(target, 2).neg().reshape(new Shape(k, mg, b, s));
                        float[] pres = new float[mg * b];
                        float[] coef = new float[k * mg];
                        float[] inv = new float[mg];
                        for (int j = 0; j < mg; j++) {
                            int i = members[j];
                            for (int bi = 0; bi < b; bi++) {
                                pres[j * b + bi] = presence[bi * m + i] ? 1f : 0f;
                            }
                            inv[j] = own[i] > 0 ? 1f / own[i] : Float.NaN;
                            float c = count[i] > 0 && weightSum > 0 ? (float) (weight[i] / (k * count[i] * weightSum)) : 0f;
                            for (int level = 0; level < k; level++) {
                                coef[level * mg + j] = c;
                            }
                        }
                        // The float32 presence promotes the product to float32 inside the graph (DJL's
                        // casts are not differentiable): with float16 heads a sum over B·S positions
                        // at a loss of ~7 passes float16's 65504 from ~9,000 positions on.
                        NDArray sums = nll.mul(HostData.floats(gs.manager(), pres, new Shape(1, mg, b, 1)))
                                .sum(new int[] {2, 3}); // [K, Mg], float32
                        NDArray part = sums.mul(HostData.floats(gs.manager(), coef, new Shape(k, mg))).sum();
                        total = total == null ? gs.keep(part) : keepSum(total, part, gs);
                        NDArray levels = sums.mul(HostData.floats(gs.manager(), inv, new Shape(1, mg))).transpose(1, 0); // [Mg, K]
                        if (k < maxK) {
                            NDArray nan = gs.manager().full(new Shape(mg, maxK - k), Float.NaN, levels.getDataType());
                            levels = levels.concat(nan, 1);
                        }
                        for (int j = 0; j < mg; j++) {
                            levelRows[members[j]] = gs.keep(levels.get(j));
                        }
                    }
                }
            }
            NDArray levelLosses = NDArrays.stack(new NDList(levelRows), 0);
            return new LossParts(scope.keep(total), scope.keep(levelLosses));
        }
    }

    private static NDArray keepSum(NDArray total, NDArray part, BlockScope gs) {
        NDArray sum = total.add(part);
        total.close();
        return gs.keep(sum);
    }

    /**
     * Final hidden states of the depth stack for the modalities {@code mods} of one K-class:
     * {@code [Mc, B·S, K, Dd]}.
     */
    private NDArray hidden(NDArray zt, NDArray codesT, int[] mods, int k, int b, int s, BlockScope scope,
            ForwardContext ctx) {
        int mc = mods.length;
        NDArray cond = condition(select(zt, mods, scope), mods, scope); // [Mc, B, S, Dd]
        long dd = config.depthDim();
        NDArray input;
        if (k > 1) {
            int[] cols = new int[mc * (k - 1)];
            for (int j = 0; j < mc; j++) {
                for (int level = 0; level < k - 1; level++) {
                    cols[j * (k - 1) + level] = layout.columnOffset(mods[j]) + level;
                }
            }
            NDArray previous = select(codesT, cols, scope).reshape(new Shape(mc, k - 1, b, s, dd))
                    .transpose(0, 2, 3, 1, 4).cumSum(3); // Σ of code embeddings of levels < k
            NDArray zeros = scope.manager().zeros(new Shape(mc, b, s, 1, dd), previous.getDataType());
            input = zeros.concat(previous, 3).add(cond.expandDims(3));
        } else {
            input = cond.expandDims(3);
        }
        input = input.add(scope.own(positions.get(new NDIndex("0:{}", k))));
        NDArray x = input.reshape(new Shape((long) mc * b * s, k, dd));
        for (DepthBlock block : blocks) {
            x = block.forward(x, ctx);
        }
        return norm.apply(x).reshape(new Shape(mc, (long) b * s, k, dd));
    }

    /** {@code proj(z) + modality_embedding} for {@code z [P, ..., D]} of modalities {@code mods}. */
    private NDArray condition(NDArray z, int[] mods, BlockScope scope) {
        NDArray c = contextWeight == null ? z : Linear.linear(z, contextWeight, contextBias).singletonOrThrow();
        NDArray e = select(scope.own(modalityEmbeddings.get(new NDIndex())), mods, scope);
        long[] shape = new long[z.getShape().dimension()];
        Arrays.fill(shape, 1);
        shape[0] = mods.length;
        shape[shape.length - 1] = config.depthDim();
        return c.add(e.reshape(new Shape(shape)));
    }

    /** Group g's heads as one {@code [K, Dd, V]} matrix (once per pass). */
    private NDArray headMatrix(int g, ForwardContext ctx) {
        return ctx.memo(List.of(this, "headsT", g), () -> {
            NDArray w = ctx.stacked(List.of(this, "heads", g), 0, headWeights.get(g));
            NDArray t = w.transpose(0, 2, 1);
            t.attach(ctx.manager());
            return t;
        });
    }

    /** Group g's biases as {@code [K, 1, V]} (once per pass). */
    private NDArray headBias(int g, ForwardContext ctx) {
        return ctx.memo(List.of(this, "biases", g), () -> {
            NDArray b = ctx.stacked(List.of(this, "bias", g), 0, headBiases.get(g));
            NDArray r = b.expandDims(1);
            r.attach(ctx.manager());
            return r;
        });
    }

    /** Modalities grouped by their K (usually one class), in modality order. */
    private Map<Integer, int[]> classesByK() {
        Map<Integer, List<Integer>> byK = new LinkedHashMap<>();
        for (int i = 0; i < layout.numModalities(); i++) {
            byK.computeIfAbsent(layout.modality(i).numQuantizers(), x -> new ArrayList<>()).add(i);
        }
        Map<Integer, int[]> out = new LinkedHashMap<>();
        byK.forEach((k, list) -> out.put(k, list.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** Positions within {@code mods} of the modalities of group g. */
    private int[] positionsOfGroup(int[] mods, int g) {
        List<Integer> pos = new ArrayList<>();
        for (int j = 0; j < mods.length; j++) {
            if (layout.groupOf(mods[j]) == g) {
                pos.add(j);
            }
        }
        return pos.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Rows {@code idx} of {@code x} along axis 0: a slice when they are consecutive, an index
     * gather otherwise. The result belongs to {@code scope}.
     */
    static NDArray select(NDArray x, int[] idx, BlockScope scope) {
        long rows = x.getShape().get(0);
        boolean consecutive = true;
        for (int j = 1; j < idx.length; j++) {
            consecutive &= idx[j] == idx[j - 1] + 1;
        }
        NDArray out;
        if (consecutive && idx.length == rows && idx[0] == 0) {
            return x;
        } else if (consecutive) {
            out = x.get(new NDIndex("{}:{}", idx[0], idx[0] + idx.length));
        } else {
            long[] l = new long[idx.length];
            for (int j = 0; j < idx.length; j++) {
                l[j] = idx[j];
            }
            out = x.get(HostData.longs(scope.manager(), l));
        }
        return scope.own(out);
    }

    // ------------------------------------------------------------------ sampling

    /** Chooses a code from a row of logits (temperature, top-k, top-p live in the implementation). */
    @FunctionalInterface
    public interface CodeChooser {
        /**
         * @param modality the modality the code is for
         * @param level    its level
         * @param logits   {@code V} logits
         */
        int choose(int modality, int level, float[] logits);
    }

    /**
     * Samples the K codes of each listed modality for one second, level by level: the depth stack
     * re-runs on the growing prefix of levels (K is small), the group's level-k head gives logits,
     * {@code chooser} picks a code, its embedding joins the running sum.
     *
     * @param z       {@code [P, D]} temporal output of the listed modalities at this second
     * @param mods    the modalities, {@code P} of them
     * @param table   the fused depth code table ({@link TokenInput#codeTable})
     * @return {@code codes[p][level]}
     */
    public int[][] sample(NDArray z, int[] mods, CodeChooser chooser, ForwardContext ctx, NDArray table) {
        int[][] out = new int[mods.length][];
        for (int j = 0; j < mods.length; j++) {
            out[j] = new int[layout.modality(mods[j]).numQuantizers()];
        }
        try (BlockScope scope = BlockScope.open(z)) {
            for (Map.Entry<Integer, int[]> cls : classesByK().entrySet()) {
                int k = cls.getKey();
                List<Integer> pick = new ArrayList<>();
                for (int j = 0; j < mods.length; j++) {
                    if (layout.modality(mods[j]).numQuantizers() == k) {
                        pick.add(j);
                    }
                }
                if (pick.isEmpty()) {
                    continue;
                }
                int[] local = pick.stream().mapToInt(Integer::intValue).toArray();
                int[] classMods = pick.stream().mapToInt(j -> mods[j]).toArray();
                int pc = local.length;
                NDArray cond = condition(select(z, local, scope), classMods, scope); // [Pc, Dd]
                NDArray running = cond; // condition + Σ of the sampled levels' embeddings
                List<NDArray> steps = new ArrayList<>();
                for (int level = 0; level < k; level++) {
                    NDArray posRow = scope.own(positions.get(level));
                    steps.add(running.add(posRow).expandDims(1));
                    NDArray x = NDArrays.concat(new NDList(steps), 1); // [Pc, L, Dd]
                    for (DepthBlock block : blocks) {
                        x = block.forward(x, ctx);
                    }
                    NDArray last = norm.apply(x).get(new NDIndex(":, -1")); // [Pc, Dd]
                    long[] rows = new long[pc];
                    for (int g = 0; g < layout.numGroups(); g++) {
                        int[] inGroup = positionsOfGroup(classMods, g);
                        if (inGroup.length == 0) {
                            continue;
                        }
                        NDArray logits = Linear.linear(select(last, inGroup, scope), headWeights.get(g).get(level),
                                headBiases.get(g).get(level)).singletonOrThrow();
                        if (logits.getDataType() != DataType.FLOAT32) {
                            logits = logits.toType(DataType.FLOAT32, false);
                        }
                        float[] flat = logits.toFloatArray();
                        int v = flat.length / inGroup.length;
                        for (int r = 0; r < inGroup.length; r++) {
                            int q = inGroup[r];
                            int code = chooser.choose(classMods[q], level,
                                    Arrays.copyOfRange(flat, r * v, (r + 1) * v));
                            out[local[q]][level] = code;
                            rows[q] = layout.tableRowOffset(g, level) + code;
                        }
                    }
                    if (level + 1 < k) {
                        NDArray emb = scope.own(table.get(HostData.longs(scope.manager(), rows))); // [Pc, Dd]
                        running = running.add(emb);
                    }
                }
            }
        }
        return out;
    }
}

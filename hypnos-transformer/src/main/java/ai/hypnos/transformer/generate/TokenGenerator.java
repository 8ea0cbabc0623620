package ai.hypnos.transformer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.hypnos.nn.HostData;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.nn.ForwardContext;
import ai.hypnos.transformer.stream.StreamOptions;
import ai.hypnos.transformer.stream.StreamingSession;
import java.util.stream.IntStream;

/**
 * Autoregressive generation of tokens (DESIGN §6): at each second the temporal transformer (a
 * KV-cached {@link StreamingSession}, so a step costs one position, not the whole prefix) gives z
 * from everything before, and the depth transformer samples the K codes of each generated
 * modality level by level. Returns tokens; turning them into waveforms is the tokenizers' job.
 */
public final class TokenGenerator {
    private final RqTransformer model;
    private final ModalityLayout layout;

    public TokenGenerator(RqTransformer model) {
        this.model = model;
        this.layout = model.layout();
    }

    /**
     * Continues a prompt: the present modalities' tokens for {@code steps} more seconds.
     *
     * @param prompt     {@code [S0][ΣK]} seconds to condition on (may be empty: a cold start from BOS)
     * @param presence   modalities to generate (and that the prompt carries)
     * @param channelIds channel id per modality
     * @return {@code [S0 + steps][ΣK]}: the prompt, then the generated seconds (absent columns 0)
     */
    public int[][] continuePrompt(int[][] prompt, boolean[] presence, int[] channelIds, int steps,
            SamplingOptions options) {
        int total = prompt.length + steps;
        int[][] out = new int[total][];
        for (int t = 0; t < total; t++) {
            out[t] = t < prompt.length ? prompt[t].clone() : new int[layout.totalK()];
        }
        run(out, presence, presence, channelIds, prompt.length, options);
        return out;
    }

    /**
     * Imputes modalities the recording lacks, conditioned on those it has: at every second the
     * known modalities' tokens are taken from {@code tokens}, the {@code generate} ones are sampled.
     *
     * @param tokens   {@code [S][ΣK]} the recording's tokens (columns of generated modalities ignored)
     * @param known    modalities whose tokens are given
     * @param generate modalities to generate (disjoint from {@code known})
     * @return {@code [S][ΣK]} with the generated modalities' columns filled
     */
    public int[][] impute(int[][] tokens, boolean[] known, boolean[] generate, int[] channelIds,
            SamplingOptions options) {
        int m = layout.numModalities();
        boolean[] both = new boolean[m];
        for (int i = 0; i < m; i++) {
            if (known[i] && generate[i]) {
                throw new IllegalArgumentException("modality " + layout.modality(i).name() + " is both known and "
                        + "to be generated");
            }
            both[i] = known[i] || generate[i];
        }
        int[][] out = new int[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            out[t] = tokens[t].clone();
            for (int i = 0; i < m; i++) {
                if (!known[i]) {
                    java.util.Arrays.fill(out[t], layout.columnOffset(i),
                            layout.columnOffset(i) + layout.modality(i).numQuantizers(), 0);
                }
            }
        }
        run(out, both, generate, channelIds, 0, options);
        return out;
    }

    /**
     * Walks {@code rows} second by second; rows before {@code firstSampled} are given, from there on
     * the {@code sampled} modalities' columns are drawn (others stay as given).
     */
    private void run(int[][] rows, boolean[] presence, boolean[] sampled, int[] channelIds, int firstSampled,
            SamplingOptions options) {
        int m = layout.numModalities();
        int[] mods = IntStream.range(0, m).filter(i -> sampled[i]).toArray();
        boolean windowed = model.temporal().blocks().stream().allMatch(b -> b.window() > 0);
        // No restart during generation: like the reference's generate, one context from the start.
        int chunk = windowed ? 0 : rows.length + 1;
        LogitSampler sampler = new LogitSampler(options);
        try (StreamingSession session = model.stream(new StreamOptions(presence, channelIds, chunk));
                NDManager gen = model.parameters().manager().newSubManager()) {
            ForwardContext ctx = new ForwardContext(gen, false, model.parameters().dataType());
            NDArray table = model.tokenInput().codeTable(true, ctx);
            for (int t = 0; t < rows.length; t++) {
                try (NDManager step = gen.newSubManager()) {
                    NDArray z = session.nextContext(step); // [M, D]
                    if (t >= firstSampled && mods.length > 0) {
                        NDArray zs = z.get(HostData.longs(step, toLong(mods)));
                        int[][] codes = model.depth().sample(zs, mods,
                                (modality, level, logits) -> sampler.sample(logits), ctx, table);
                        for (int j = 0; j < mods.length; j++) {
                            System.arraycopy(codes[j], 0, rows[t], layout.columnOffset(mods[j]), codes[j].length);
                        }
                    }
                }
                session.commit(rows[t]);
            }
        }
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}

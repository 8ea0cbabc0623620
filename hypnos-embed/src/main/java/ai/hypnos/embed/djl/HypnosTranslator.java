package ai.hypnos.embed.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.embed.pipeline.ChunkedEmbedder;

/**
 * DJL's {@code Translator<Recording, Embeddings>} for Hypnos models: {@code processInput}
 * resolves, preprocesses and tokenizes the recording (CPU work, as any DJL pre-processing) and
 * hands the tokens to the {@link HypnosBlock}; {@code processOutput} assembles its
 * {@code [M, S, D]} output into {@link Embeddings} (mean, epochs, output type). The numbers are
 * those of {@code HypnosModel.embed} with the same options. Stateless: one translator serves
 * many predictors.
 */
public final class HypnosTranslator implements NoBatchifyTranslator<Recording, Embeddings> {
    private static final String TOKENS = "hypnos.tokens";
    private static final String OPTIONS = "hypnos.options";

    private final EmbedOptions options;

    /** A translator that uses the loaded model's default embed options. */
    public HypnosTranslator() {
        this(null);
    }

    /** A translator with explicit embed options ({@code null}: the model's defaults). */
    public HypnosTranslator(EmbedOptions options) {
        this.options = options;
    }

    static HypnosModel hypnosModel(Model model) {
        Model m = model;
        while (m instanceof ZooModel<?, ?> z) {
            m = z.getWrappedModel();
        }
        if (!(m instanceof HypnosDjlModel h)) {
            throw new IllegalArgumentException("the Hypnos translator needs a model loaded by the Hypnos engine, got "
                    + model.getClass().getName() + " (add optEngine(\"Hypnos\") to the Criteria)");
        }
        return h.hypnosModel();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Recording input) throws Exception {
        HypnosModel model = hypnosModel(ctx.getModel());
        EmbedOptions eo = options == null ? model.options().embedDefaults() : options;
        TokenizedRecording tokens = model.tokenize(input, eo);
        ctx.setAttachment(TOKENS, tokens);
        ctx.setAttachment(OPTIONS, eo);
        NDManager manager = ctx.getNDManager();
        long[] t = new long[tokens.tokens().length];
        int[] src = tokens.tokens();
        for (int i = 0; i < t.length; i++) {
            t[i] = src[i];
        }
        long[] ids = new long[tokens.channelIds().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.channelIds()[i];
        }
        NDArray tok = manager.create(t, new Shape(1, tokens.seconds(), tokens.totalK()));
        NDArray presence = manager.create(tokens.presence(), new Shape(1, tokens.presence().length));
        NDArray channels = manager.create(ids, new Shape(1, ids.length));
        NDArray chunk = manager.create(new long[] {eo.chunkTokens()});
        return new NDList(tok, presence, channels, chunk);
    }

    @Override
    public Embeddings processOutput(TranslatorContext ctx, NDList list) {
        TokenizedRecording tokens = (TokenizedRecording) ctx.getAttachment(TOKENS);
        EmbedOptions eo = (EmbedOptions) ctx.getAttachment(OPTIONS);
        NDArray z = list.singletonOrThrow();
        int d = (int) z.getShape().get(2);
        ChunkedEmbedder.Assembler a = new ChunkedEmbedder.Assembler(tokens.presence(), tokens.seconds(), d,
                eo.outputType());
        a.accept(0, tokens.seconds(), z.toFloatArray());
        return a.finish(tokens.modalities(), tokens.numQuantizers(), tokens.channelIds(), tokens.tokens(),
                tokens.report(), tokens.notes());
    }
}

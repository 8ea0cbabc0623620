package ai.hypnos.train.pretrain;

import ai.hypnos.transformer.weights.ParameterSpec;
import java.util.regex.Pattern;

/**
 * Which parameters get weight decay: the matrices of linear layers (attention projections, FFN
 * weights, the depth transformer's context projection and output heads). Not: biases, LayerNorm
 * and RMSNorm gains, LayerScale vectors (all 1-D), and embedding tables (token, BOS, channel,
 * modality-position, depth-position and depth-modality embeddings), whose rows are looked up,
 * not multiplied — decaying them pulls rare codes' vectors to zero, the GPT-2/nanoGPT convention.
 */
public final class WeightDecayPolicy {
    private static final Pattern EMBEDDING = Pattern.compile(
            "(^|\\.)(token_embeddings|per_group_embeddings|channel_embed|pos_embed|bos_embeds|modality_embeddings)(\\.|$)");

    private WeightDecayPolicy() {
    }

    /** Whether a parameter is decayed. */
    public static boolean decays(ParameterSpec spec) {
        return spec.shape().length >= 2 && !EMBEDDING.matcher(spec.name()).find();
    }
}

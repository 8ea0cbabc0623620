package ai.hypnos.train.pretrain;

import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.TransformerConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The RQ-Transformer configuration of a run: the preset's values over the shards' modalities,
 * with the config's {@code model.kwargs} (reference {@code model_kwargs} names) on top.
 */
public final class ModelSpec {
    private ModelSpec() {
    }

    /**
     * @throws IllegalArgumentException for an unknown preset or kwarg, or a context longer than
     *                                  the model's rotary table
     */
    public static TransformerConfig of(PretrainConfig config, ShardLayout layout) {
        Preset preset = Preset.parse(config.model().preset());
        ObjectNode kwargs = preset.config(layout.modalitySpecs()).toModelKwargs();
        ObjectNode overrides = config.model().kwargs() == null ? ConfigLoader.JSON.createObjectNode() : config.model().kwargs();
        if (overrides.has("embed_dim") && !overrides.has("depth_dim")) {
            // The presets' depth width follows the temporal width (tied code tables); keep it so.
            kwargs.remove("depth_dim");
        }
        kwargs.setAll(overrides);
        TransformerConfig c;
        try {
            c = TransformerConfig.fromModelKwargs(kwargs, layout.modalitySpecs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config model.kwargs: " + e.getMessage(), e);
        }
        if (config.data().contextSeconds() > c.maxSeqLen()) {
            throw new IllegalArgumentException("config data.context_seconds = " + config.data().contextSeconds()
                    + " exceeds the model's max_seq_len " + c.maxSeqLen() + " (set model.kwargs.max_seq_len)");
        }
        return c;
    }
}

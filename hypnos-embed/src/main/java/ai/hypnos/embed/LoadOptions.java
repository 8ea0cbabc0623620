package ai.hypnos.embed;

import ai.djl.Device;
import ai.hypnos.embed.hub.HubOptions;
import ai.hypnos.tokenizer.SignalTokenizer;
import java.util.Map;
import java.util.Objects;

/**
 * How a bundle is loaded, and the embedding defaults of the loaded model. Immutable; {@code with…}
 * methods return a changed copy.
 *
 * <pre>{@code
 * LoadOptions o = LoadOptions.defaults()
 *         .withDevice(Devices.parse("gpu:0"))
 *         .withPrecision(Precision.FP16)
 *         .withNotchHz(60)                       // a US cohort
 *         .withOutputType(OutputType.FLOAT32);
 * }</pre>
 *
 * @see EmbedOptions the per-call options (the model's defaults come from {@link #embedDefaults()})
 * @see HubOptions where hub repositories are fetched from and cached
 */
public final class LoadOptions {
    private final Device device;
    private final Precision precision;
    private final EmbedOptions embedDefaults;
    private final int tokenizerChunkTokens;
    private final HubOptions hub;

    private LoadOptions(Device device, Precision precision, EmbedOptions embedDefaults, int tokenizerChunkTokens,
            HubOptions hub) {
        this.device = Objects.requireNonNull(device, "device");
        this.precision = Objects.requireNonNull(precision, "precision");
        this.embedDefaults = Objects.requireNonNull(embedDefaults, "embedDefaults");
        this.tokenizerChunkTokens = tokenizerChunkTokens;
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** CPU, fp32, {@link EmbedOptions#defaults()}, tokenizer chunks of 64 frames, {@link HubOptions#defaults()}. */
    public static LoadOptions defaults() {
        return new LoadOptions(Device.cpu(), Precision.FP32, EmbedOptions.defaults(),
                SignalTokenizer.DEFAULT_CHUNK_TOKENS, HubOptions.defaults());
    }

    public LoadOptions withDevice(Device d) {
        return new LoadOptions(d, precision, embedDefaults, tokenizerChunkTokens, hub);
    }

    public LoadOptions withPrecision(Precision p) {
        return new LoadOptions(device, p, embedDefaults, tokenizerChunkTokens, hub);
    }

    /** The options {@code embed} uses when the call gives none. */
    public LoadOptions withEmbedDefaults(EmbedOptions e) {
        return new LoadOptions(device, precision, e, tokenizerChunkTokens, hub);
    }

    /** Shorthand for {@code withEmbedDefaults(embedDefaults().withNotchHz(hz))}. */
    public LoadOptions withNotchHz(double hz) {
        return withEmbedDefaults(embedDefaults.withNotchHz(hz));
    }

    /** Shorthand for {@code withEmbedDefaults(embedDefaults().withChunkTokens(n))}. */
    public LoadOptions withChunkTokens(int n) {
        return withEmbedDefaults(embedDefaults.withChunkTokens(n));
    }

    /** Shorthand for {@code withEmbedDefaults(embedDefaults().withOutputType(t))}. */
    public LoadOptions withOutputType(OutputType t) {
        return withEmbedDefaults(embedDefaults.withOutputType(t));
    }

    /** Shorthand for {@code withEmbedDefaults(embedDefaults().withChannelAliases(aliases))}. */
    public LoadOptions withChannelAliases(Map<String, String> aliases) {
        return withEmbedDefaults(embedDefaults.withChannelAliases(aliases));
    }

    /**
     * Encoding chunk of the tokenizers in frames (default 64). Batch and streaming encoders use
     * the same value and so give identical tokens; another value may flip codes whose decision
     * margin is at float32 rounding level. At least 8.
     */
    public LoadOptions withTokenizerChunkTokens(int frames) {
        if (frames < 8) {
            throw new IllegalArgumentException("tokenizer chunk must be at least 8 frames, got " + frames);
        }
        return new LoadOptions(device, precision, embedDefaults, frames, hub);
    }

    public LoadOptions withHub(HubOptions h) {
        return new LoadOptions(device, precision, embedDefaults, tokenizerChunkTokens, h);
    }

    public Device device() {
        return device;
    }

    public Precision precision() {
        return precision;
    }

    public EmbedOptions embedDefaults() {
        return embedDefaults;
    }

    public int tokenizerChunkTokens() {
        return tokenizerChunkTokens;
    }

    public HubOptions hub() {
        return hub;
    }

    @Override
    public String toString() {
        return "LoadOptions[device=" + device + ", precision=" + precision + ", " + embedDefaults
                + ", tokenizerChunk=" + tokenizerChunkTokens + ", " + hub + "]";
    }
}

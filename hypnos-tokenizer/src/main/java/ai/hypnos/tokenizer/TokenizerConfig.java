package ai.hypnos.tokenizer;

import ai.hypnos.tokenizer.nn.Activation;
import ai.hypnos.tokenizer.nn.ConvNorm;
import ai.hypnos.tokenizer.nn.PadMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Construction parameters of one {@link SignalTokenizer}, named and defaulted exactly like the
 * reference's {@code SignalTokenizer(**tokenizer_kwargs)} (DESIGN §5, §7), so that the
 * {@code tokenizers.<stem>.tokenizer_kwargs} object of a bundle's config JSON maps onto it
 * one to one: a key missing from the JSON takes the reference's default.
 *
 * <p>Supported: discrete (RVQ) mode, causal convolutions. The reference's VAE mode and its
 * non-causal variant are rejected with a clear message. {@code rotation_trick} and
 * {@code use_activation_checkpointing} change only how the reference trains, not what it
 * computes at inference; they are kept (so configs round-trip) but our trainer always uses the
 * straight-through estimator.
 */
public final class TokenizerConfig {
    public final int inChannels;
    public final int sampleRate;
    public final double tokenDurationSec;
    public final int embedDim;
    public final int nFilters;
    public final int[] ratios;
    public final int nResidualLayers;
    public final int dilationBase;
    public final int codebookSize;
    public final int codebookDim;
    public final int numQuantizers;
    public final double commitmentCost;
    public final double quantizationDropout;
    public final double quantizerDropout;
    public final double emaDecay;
    public final int attentionDepth;
    public final int attentionHeads;
    /** Causal attention window in tokens; 0 means unlimited (the reference's {@code None}). */
    public final int windowSize;
    public final int transformerDimFeedforward;
    public final double layerScaleInit;
    public final Activation activation;
    public final ConvNorm norm;
    /** Kernel of the first encoder conv and of the decoder's first and last convs (fixed at 7 by the reference's tokenizer). */
    public final int kernelSize = 7;
    public final int lastKernelSize;
    public final int strideKernelMultiplier;
    public final PadMode padMode;
    public final boolean rotationTrick;
    public final boolean useActivationCheckpointing;

    private TokenizerConfig(Builder b) {
        this.inChannels = b.inChannels;
        this.sampleRate = b.sampleRate;
        this.tokenDurationSec = b.tokenDurationSec;
        this.embedDim = b.embedDim;
        this.nFilters = b.nFilters;
        this.ratios = b.ratios.clone();
        this.nResidualLayers = b.nResidualLayers;
        this.dilationBase = b.dilationBase;
        this.codebookSize = b.codebookSize;
        this.codebookDim = b.codebookDim > 0 ? b.codebookDim : b.embedDim;
        this.numQuantizers = b.numQuantizers;
        this.commitmentCost = b.commitmentCost;
        this.quantizationDropout = b.quantizationDropout;
        this.quantizerDropout = b.quantizerDropout;
        this.emaDecay = b.emaDecay;
        this.attentionDepth = b.attentionDepth;
        this.attentionHeads = b.attentionHeads;
        this.windowSize = b.windowSize;
        this.transformerDimFeedforward = b.transformerDimFeedforward;
        this.layerScaleInit = b.layerScaleInit;
        this.activation = b.activation;
        this.norm = b.norm;
        this.lastKernelSize = b.lastKernelSize;
        this.strideKernelMultiplier = b.strideKernelMultiplier;
        this.padMode = b.padMode;
        this.rotationTrick = b.rotationTrick;
        this.useActivationCheckpointing = b.useActivationCheckpointing;
        validate();
    }

    private void validate() {
        positive("in_channels", inChannels);
        positive("sample_rate", sampleRate);
        positive("embed_dim", embedDim);
        positive("n_filters", nFilters);
        positive("codebook_size", codebookSize);
        positive("codebook_dim", codebookDim);
        positive("num_quantizers", numQuantizers);
        positive("stride_kernel_multiplier", strideKernelMultiplier);
        positive("last_kernel_size", lastKernelSize);
        if (nResidualLayers < 0) {
            throw new IllegalArgumentException("n_residual_layers must be >= 0, got " + nResidualLayers);
        }
        if (dilationBase < 1) {
            throw new IllegalArgumentException("dilation_base must be >= 1, got " + dilationBase);
        }
        if (ratios.length == 0) {
            throw new IllegalArgumentException("ratios must not be empty");
        }
        for (int r : ratios) {
            positive("ratios[]", r);
        }
        if (!(tokenDurationSec > 0)) {
            throw new IllegalArgumentException("token_duration_sec must be > 0, got " + tokenDurationSec);
        }
        double spt = sampleRate * tokenDurationSec;
        if (Math.abs(spt - Math.rint(spt)) > 1e-9) {
            throw new IllegalArgumentException("sample_rate * token_duration_sec must be a whole number of samples, got " + spt);
        }
        if (hopLength() != samplesPerToken()) {
            throw new IllegalArgumentException("product of ratios " + Arrays.toString(ratios) + " = " + hopLength()
                    + " must equal sample_rate * token_duration_sec = " + samplesPerToken());
        }
        if (!(emaDecay > 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("ema_decay must be in (0, 1), got " + emaDecay);
        }
        if (quantizerDropout < 0 || quantizerDropout > 1 || quantizationDropout < 0 || quantizationDropout > 1) {
            throw new IllegalArgumentException("dropout probabilities must be in [0, 1]");
        }
        if (attentionDepth < 0) {
            throw new IllegalArgumentException("attention_depth must be >= 0, got " + attentionDepth);
        }
        if (attentionDepth > 0) {
            positive("attention_heads", attentionHeads);
            if (embedDim % attentionHeads != 0 || (embedDim / attentionHeads) % 2 != 0) {
                throw new IllegalArgumentException("embed_dim " + embedDim + " must split into attention_heads "
                        + attentionHeads + " heads of even size (RoPE rotates pairs)");
            }
            positive("transformer_dim_feedforward", transformerDimFeedforward);
            if (windowSize < 0) {
                throw new IllegalArgumentException("window_size must be >= 1 or None, got " + windowSize);
            }
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }

    /** Samples per token (= product of the ratios). */
    public int hopLength() {
        int p = 1;
        for (int r : ratios) {
            p *= r;
        }
        return p;
    }

    /** {@code sample_rate · token_duration_sec}. */
    public int samplesPerToken() {
        return (int) Math.rint(sampleRate * tokenDurationSec);
    }

    /**
     * Reads a reference {@code tokenizer_kwargs} object (a JSON object already parsed to a map of
     * numbers, strings, booleans, lists and nulls). Unknown keys are rejected so that a typo or a
     * feature we do not implement never silently changes the model.
     */
    public static TokenizerConfig fromKwargs(Map<String, ?> kw) {
        Builder b = builder();
        for (Map.Entry<String, ?> e : kw.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (k) {
                case "in_channels" -> b.inChannels(asInt(k, v));
                case "sample_rate" -> b.sampleRate(asInt(k, v));
                case "token_duration_sec" -> b.tokenDurationSec(asDouble(k, v));
                case "embed_dim" -> b.embedDim(asInt(k, v));
                case "n_filters" -> b.nFilters(asInt(k, v));
                case "ratios" -> b.ratios(asIntArray(k, v));
                case "n_residual_layers" -> b.nResidualLayers(asInt(k, v));
                case "dilation_base" -> b.dilationBase(asInt(k, v));
                case "mode" -> {
                    if (!"discrete".equals(v)) {
                        throw new IllegalArgumentException("tokenizer mode '" + v + "' is not supported (only 'discrete', the RVQ tokenizer)");
                    }
                }
                case "codebook_size" -> b.codebookSize(asInt(k, v));
                case "codebook_dim" -> b.codebookDim(v == null ? 0 : asInt(k, v));
                case "num_quantizers" -> b.numQuantizers(asInt(k, v));
                case "commitment_cost" -> b.commitmentCost(asDouble(k, v));
                case "quantization_dropout" -> b.quantizationDropout(asDouble(k, v));
                case "quantizer_dropout" -> b.quantizerDropout(asDouble(k, v));
                case "ema_decay" -> b.emaDecay(asDouble(k, v));
                case "latent_dim" -> {
                    // VAE-only parameter; irrelevant in discrete mode.
                }
                case "attention_depth" -> b.attentionDepth(asInt(k, v));
                case "attention_heads" -> b.attentionHeads(asInt(k, v));
                case "window_size" -> b.windowSize(v == null ? 0 : asInt(k, v));
                case "transformer_dim_feedforward" -> b.transformerDimFeedforward(asInt(k, v));
                case "layer_scale_init" -> b.layerScaleInit(asDouble(k, v));
                case "causal" -> {
                    if (!Boolean.TRUE.equals(v)) {
                        throw new IllegalArgumentException("only causal tokenizers are supported (causal=" + v + ")");
                    }
                }
                case "activation" -> b.activation(Activation.fromKey(String.valueOf(v)));
                case "norm" -> b.norm(ConvNorm.fromKey(v == null ? null : String.valueOf(v)));
                case "last_kernel_size" -> b.lastKernelSize(asInt(k, v));
                case "stride_kernel_multiplier" -> b.strideKernelMultiplier(asInt(k, v));
                case "pad_mode" -> b.padMode(PadMode.fromKey(String.valueOf(v)));
                case "use_activation_checkpointing" -> b.useActivationCheckpointing(asBool(k, v));
                case "rotation_trick" -> b.rotationTrick(asBool(k, v));
                default -> throw new IllegalArgumentException("unknown tokenizer_kwargs key '" + k + "'");
            }
        }
        return b.build();
    }

    /** The reference's {@code tokenizer_kwargs} for this configuration (all keys, explicit values). */
    public Map<String, Object> toKwargs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_channels", inChannels);
        m.put("sample_rate", sampleRate);
        m.put("token_duration_sec", tokenDurationSec);
        m.put("embed_dim", embedDim);
        m.put("n_filters", nFilters);
        List<Integer> r = new ArrayList<>();
        for (int x : ratios) {
            r.add(x);
        }
        m.put("ratios", r);
        m.put("n_residual_layers", nResidualLayers);
        m.put("dilation_base", dilationBase);
        m.put("mode", "discrete");
        m.put("codebook_size", codebookSize);
        m.put("codebook_dim", codebookDim);
        m.put("num_quantizers", numQuantizers);
        m.put("commitment_cost", commitmentCost);
        m.put("quantization_dropout", quantizationDropout);
        m.put("quantizer_dropout", quantizerDropout);
        m.put("ema_decay", emaDecay);
        m.put("attention_depth", attentionDepth);
        m.put("attention_heads", attentionHeads);
        m.put("window_size", windowSize == 0 ? null : windowSize);
        m.put("transformer_dim_feedforward", transformerDimFeedforward);
        m.put("layer_scale_init", layerScaleInit);
        m.put("causal", true);
        m.put("activation", activation.key());
        m.put("norm", norm.key());
        m.put("last_kernel_size", lastKernelSize);
        m.put("stride_kernel_multiplier", strideKernelMultiplier);
        m.put("pad_mode", padMode.key());
        m.put("use_activation_checkpointing", useActivationCheckpointing);
        m.put("rotation_trick", rotationTrick);
        return m;
    }

    private static int asInt(String k, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException("tokenizer_kwargs." + k + " must be an integer, got " + v);
    }

    private static double asDouble(String k, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("tokenizer_kwargs." + k + " must be a number, got " + v);
    }

    private static boolean asBool(String k, Object v) {
        if (v instanceof Boolean bo) {
            return bo;
        }
        throw new IllegalArgumentException("tokenizer_kwargs." + k + " must be true or false, got " + v);
    }

    private static int[] asIntArray(String k, Object v) {
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = asInt(k, l.get(i));
            }
            return out;
        }
        throw new IllegalArgumentException("tokenizer_kwargs." + k + " must be a list of integers, got " + v);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.inChannels = inChannels;
        b.sampleRate = sampleRate;
        b.tokenDurationSec = tokenDurationSec;
        b.embedDim = embedDim;
        b.nFilters = nFilters;
        b.ratios = ratios.clone();
        b.nResidualLayers = nResidualLayers;
        b.dilationBase = dilationBase;
        b.codebookSize = codebookSize;
        b.codebookDim = codebookDim;
        b.numQuantizers = numQuantizers;
        b.commitmentCost = commitmentCost;
        b.quantizationDropout = quantizationDropout;
        b.quantizerDropout = quantizerDropout;
        b.emaDecay = emaDecay;
        b.attentionDepth = attentionDepth;
        b.attentionHeads = attentionHeads;
        b.windowSize = windowSize;
        b.transformerDimFeedforward = transformerDimFeedforward;
        b.layerScaleInit = layerScaleInit;
        b.activation = activation;
        b.norm = norm;
        b.lastKernelSize = lastKernelSize;
        b.strideKernelMultiplier = strideKernelMultiplier;
        b.padMode = padMode;
        b.rotationTrick = rotationTrick;
        b.useActivationCheckpointing = useActivationCheckpointing;
        return b;
    }

    /** A builder holding the reference's defaults, except {@code causal}, which is always true here. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizerConfig c && toKwargs().equals(c.toKwargs());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toKwargs());
    }

    @Override
    public String toString() {
        return "TokenizerConfig" + toKwargs();
    }

    /** Mutable builder; defaults are the reference constructor's. */
    public static final class Builder {
        private int inChannels = 12;
        private int sampleRate = 128;
        private double tokenDurationSec = 1.0;
        private int embedDim = 512;
        private int nFilters = 64;
        private int[] ratios = {4, 4, 4, 4};
        private int nResidualLayers = 1;
        private int dilationBase = 1;
        private int codebookSize = 512;
        private int codebookDim = 0;
        private int numQuantizers = 4;
        private double commitmentCost = 0.25;
        private double quantizationDropout = 0.0;
        private double quantizerDropout = 0.0;
        private double emaDecay = 0.99;
        private int attentionDepth = 0;
        private int attentionHeads = 8;
        private int windowSize = 250;
        private int transformerDimFeedforward = 2048;
        private double layerScaleInit = 0.01;
        private Activation activation = Activation.GELU;
        private ConvNorm norm = ConvNorm.LAYER;
        private int lastKernelSize = 7;
        private int strideKernelMultiplier = 2;
        private PadMode padMode = PadMode.REFLECT;
        private boolean rotationTrick = false;
        private boolean useActivationCheckpointing = false;

        private Builder() {}

        public Builder inChannels(int v) { inChannels = v; return this; }
        public Builder sampleRate(int v) { sampleRate = v; return this; }
        public Builder tokenDurationSec(double v) { tokenDurationSec = v; return this; }
        public Builder embedDim(int v) { embedDim = v; return this; }
        public Builder nFilters(int v) { nFilters = v; return this; }
        public Builder ratios(int... v) { ratios = v.clone(); return this; }
        public Builder nResidualLayers(int v) { nResidualLayers = v; return this; }
        public Builder dilationBase(int v) { dilationBase = v; return this; }
        public Builder codebookSize(int v) { codebookSize = v; return this; }
        /** 0 means "same as embed_dim" (the reference's {@code None}). */
        public Builder codebookDim(int v) { codebookDim = v; return this; }
        public Builder numQuantizers(int v) { numQuantizers = v; return this; }
        public Builder commitmentCost(double v) { commitmentCost = v; return this; }
        public Builder quantizationDropout(double v) { quantizationDropout = v; return this; }
        public Builder quantizerDropout(double v) { quantizerDropout = v; return this; }
        public Builder emaDecay(double v) { emaDecay = v; return this; }
        public Builder attentionDepth(int v) { attentionDepth = v; return this; }
        public Builder attentionHeads(int v) { attentionHeads = v; return this; }
        /** 0 means unlimited causal attention (the reference's {@code None}). */
        public Builder windowSize(int v) { windowSize = v; return this; }
        public Builder transformerDimFeedforward(int v) { transformerDimFeedforward = v; return this; }
        public Builder layerScaleInit(double v) { layerScaleInit = v; return this; }
        public Builder activation(Activation v) { activation = Objects.requireNonNull(v); return this; }
        public Builder norm(ConvNorm v) { norm = Objects.requireNonNull(v); return this; }
        public Builder lastKernelSize(int v) { lastKernelSize = v; return this; }
        public Builder strideKernelMultiplier(int v) { strideKernelMultiplier = v; return this; }
        public Builder padMode(PadMode v) { padMode = Objects.requireNonNull(v); return this; }
        public Builder rotationTrick(boolean v) { rotationTrick = v; return this; }
        public Builder useActivationCheckpointing(boolean v) { useActivationCheckpointing = v; return this; }

        public TokenizerConfig build() {
            return new TokenizerConfig(this);
        }
    }
}

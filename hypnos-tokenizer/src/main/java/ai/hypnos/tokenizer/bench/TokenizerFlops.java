package ai.hypnos.tokenizer.bench;

import ai.hypnos.tokenizer.TokenizerConfig;

/**
 * Useful floating-point operations of a tokenizer, for MFU figures: 2 FLOPs per multiply-add of
 * every convolution, projection, attention product and nearest-code distance, per second of
 * signal (one token). Activations, norms, the EMA codebook updates and the losses are left out,
 * and attention counts a full window of keys for every token (an upper bound at chunk starts).
 */
public final class TokenizerFlops {
    private TokenizerFlops() {
    }

    /** Encoding one second: SEANet encoder, its attention (if any), project_in and the RVQ search. */
    public static double encodePerSecond(TokenizerConfig c) {
        return encoderConvs(c) + attention(c) + 2.0 * c.embedDim * c.codebookDim
                + c.numQuantizers * 2.0 * c.codebookDim * c.codebookSize;
    }

    /** Decoding one second: project_out, the decoder's attention (if any) and the SEANet decoder. */
    public static double decodePerSecond(TokenizerConfig c) {
        return 2.0 * c.codebookDim * c.embedDim + attention(c) + decoderConvs(c);
    }

    /** A training step on {@code batch} windows of {@code seconds}: forward + backward ≈ 3 × (encode + decode). */
    public static double trainingStep(TokenizerConfig c, int batch, int seconds) {
        return 3.0 * batch * seconds * (encodePerSecond(c) + decodePerSecond(c));
    }

    private static double encoderConvs(TokenizerConfig c) {
        double len = c.hopLength(); // samples per token at the current stage
        double ch = c.nFilters;
        double f = conv(c.kernelSize, c.inChannels, ch, len);
        for (int r : c.ratios) {
            f += c.nResidualLayers * residualUnit(ch, len);
            len /= r;
            f += conv(r * c.strideKernelMultiplier, ch, 2 * ch, len); // strided: one output per r inputs
            ch *= 2;
        }
        return f + conv(c.lastKernelSize, ch, c.embedDim, len);
    }

    private static double decoderConvs(TokenizerConfig c) {
        double len = 1;
        double ch = (double) c.nFilters * (1 << c.ratios.length);
        double f = conv(c.kernelSize, c.embedDim, ch, len);
        for (int i = c.ratios.length - 1; i >= 0; i--) {
            int r = c.ratios[i];
            f += conv(r * c.strideKernelMultiplier, ch, ch / 2, len); // transposed: every input meets the kernel
            ch /= 2;
            len *= r;
            f += c.nResidualLayers * residualUnit(ch, len);
        }
        return f + conv(c.kernelSize, ch, c.inChannels, len);
    }

    /** k=3 conv to half the channels, then k=1 back (DESIGN §5). */
    private static double residualUnit(double ch, double len) {
        return conv(3, ch, ch / 2, len) + conv(1, ch / 2, ch, len);
    }

    private static double conv(int kernel, double in, double out, double positions) {
        return 2.0 * kernel * in * out * positions;
    }

    /** The windowed transformer over tokens: projections, feed-forward, scores and values. */
    private static double attention(TokenizerConfig c) {
        double d = c.embedDim;
        double perLayer = 2.0 * 4 * d * d + 2.0 * 2 * d * c.transformerDimFeedforward + 2.0 * 2 * d * c.windowSize;
        return c.attentionDepth * perLayer;
    }
}

package ai.hypnos.embed.generate;

import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.io.TokenizerWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes tokens with a private copy of a tokenizer.
 *
 * <p>Why a copy: in the current {@code hypnos-tokenizer}, {@code SignalTokenizer.decode} caches
 * each conv's effective weight in the call's {@code StreamState} and closes that state at the
 * end; for a conv without weight normalisation (the decoder's final conv) the cached array is
 * the parameter itself, so the first decode releases it and every later decode with the same
 * tokenizer fails ("Native resource has been released already"). Decoding with a fresh copy
 * (weights copied exactly, F32) keeps the bundle's tokenizer intact, so encoding, streaming and
 * later generations are unaffected. Drop this class once the tokenizer no longer adopts
 * parameter arrays into its state.
 */
final class DecoderCopy {
    private DecoderCopy() {
    }

    /** {@code tokenizer.decode(codes)} computed on a copy of the tokenizer. */
    static float[] decode(SignalTokenizer tokenizer, int[][] codes) {
        try {
            Path tmp = Files.createTempFile("hypnos-decoder", ".safetensors");
            try {
                SafetensorsWriter w = new SafetensorsWriter();
                TokenizerWeights.write(tokenizer, w, "", SafetensorsDtype.F32);
                w.write(tmp);
                try (SafetensorsFile f = SafetensorsFile.open(tmp);
                        SignalTokenizer copy = SignalTokenizer.create(tokenizer.config(), tokenizer.device(), 0L,
                                tokenizer.chunkTokens())) {
                    TokenizerWeights.load(copy, f, "");
                    return copy.decode(codes);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the tokenizer for decoding", e);
        }
    }
}

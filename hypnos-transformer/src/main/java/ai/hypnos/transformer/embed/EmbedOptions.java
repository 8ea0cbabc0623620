package ai.hypnos.transformer.embed;

/**
 * Options of chunked embedding inference.
 *
 * @param chunkTokens seconds per chunk (default 2048, the reference's CPU default). Chunks do not
 *                    overlap and share no context: each starts with BOS at RoPE position 0, as
 *                    the reference's {@code temporal_context} does.
 */
public record EmbedOptions(int chunkTokens) {
    /** The reference's default chunk on CPU. */
    public static final int DEFAULT_CHUNK_TOKENS = 2048;

    public EmbedOptions {
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("chunkTokens must be >= 1, got " + chunkTokens);
        }
    }

    public static EmbedOptions defaults() {
        return new EmbedOptions(DEFAULT_CHUNK_TOKENS);
    }

    public EmbedOptions withChunkTokens(int tokens) {
        return new EmbedOptions(tokens);
    }
}

package ai.hypnos.transformer.stream;

/**
 * Options of a streaming session.
 *
 * @param presence    which modalities the stream carries (model order)
 * @param channelIds  channel id per modality (row of the channel-embedding table)
 * @param chunkTokens seconds after which the session restarts its context (BOS, RoPE position 0,
 *                    empty caches), exactly as chunked batch inference does; with the same value
 *                    as {@link ai.hypnos.transformer.embed.EmbedOptions#chunkTokens()} the stream
 *                    reproduces {@code embed} second for second. 0 never restarts: the stream then
 *                    equals one batch pass over the whole recording (possible only when every
 *                    temporal layer has a window, since the caches must stay bounded).
 */
public record StreamOptions(boolean[] presence, int[] channelIds, int chunkTokens) {
    public StreamOptions {
        if (presence.length != channelIds.length) {
            throw new IllegalArgumentException(presence.length + " presence flags but " + channelIds.length
                    + " channel ids");
        }
        if (chunkTokens < 0) {
            throw new IllegalArgumentException("chunkTokens must be >= 0, got " + chunkTokens);
        }
        presence = presence.clone();
        channelIds = channelIds.clone();
    }

    @Override
    public boolean[] presence() {
        return presence.clone();
    }

    @Override
    public int[] channelIds() {
        return channelIds.clone();
    }
}

package ai.hypnos.train.shard;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tokens of one recording, in memory: what {@link ShardBuilder#buildOne} returns and
 * {@link ShardFiles} turns into files.
 *
 * @param id       recording id (names the files)
 * @param layout   column layout
 * @param seconds  S, rows of {@code tokens}
 * @param tokens   {@code [S, ΣK]} row-major; zero in the columns of absent modalities
 * @param presence {@code [M]}: whether each layout modality was recorded
 * @param metadata the shard's JSON metadata ({@link ShardMetadata})
 */
public record TokenShard(String id, ShardLayout layout, int seconds, short[] tokens, boolean[] presence,
        ObjectNode metadata) {

    public TokenShard {
        if (tokens.length != (long) seconds * layout.totalK()) {
            throw new IllegalArgumentException(id + ": " + tokens.length + " tokens for " + seconds + " s × ΣK "
                    + layout.totalK());
        }
        if (presence.length != layout.size()) {
            throw new IllegalArgumentException(id + ": " + presence.length + " presence flags for " + layout.size()
                    + " modalities");
        }
    }

    /** Token of second s, column c. */
    public int token(int s, int c) {
        return tokens[s * layout.totalK() + c];
    }
}

package ai.hypnos.transformer.embed;

import ai.hypnos.transformer.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One forward pass of chunked embedding: {@code count} consecutive chunks of {@code length}
 * seconds from second {@code start}, run as a batch of {@code count} samples.
 */
public record ChunkPass(int start, int length, int count) {

    /**
     * The passes over a recording of {@code seconds}: up to {@code chunksPerPass} full chunks of
     * {@code chunk} seconds per pass, then the last, shorter chunk (if any) on its own.
     */
    public static List<ChunkPass> plan(int seconds, int chunk, int chunksPerPass) {
        if (seconds < 1 || chunk < 1 || chunksPerPass < 1) {
            throw new IllegalArgumentException("passes over " + seconds + " s in chunks of " + chunk + " s, "
                    + chunksPerPass + " per pass");
        }
        List<ChunkPass> passes = new ArrayList<>();
        int full = seconds / chunk;
        for (int c = 0; c < full; c += chunksPerPass) {
            passes.add(new ChunkPass(c * chunk, chunk, Math.min(chunksPerPass, full - c)));
        }
        if (full * chunk < seconds) {
            passes.add(new ChunkPass(full * chunk, seconds - full * chunk, 1));
        }
        return passes;
    }

    /** This pass's tokens from a single recording (the recording itself when the pass is all of it). */
    public TokenBatch tokens(TokenBatch recording) {
        return start == 0 && count == 1 && length == recording.seconds() ? recording
                : recording.chunks(start, length, count);
    }
}

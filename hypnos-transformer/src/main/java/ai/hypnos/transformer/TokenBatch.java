package ai.hypnos.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import ai.hypnos.core.modality.Modality;
import java.util.Arrays;

/**
 * Token input of the RQ-Transformer, on the host: tokens {@code [B, S, ΣK]} (modality blocks
 * concatenated in modality order), presence {@code [B, M]} and channel ids {@code [B, M]}, all
 * row-major. Absent modalities carry zero tokens; their presence is false.
 */
public final class TokenBatch {
    private final int batch;
    private final int seconds;
    private final int totalK;
    private final int[] tokens;
    private final boolean[] presence;
    private final int[] channelIds;

    private TokenBatch(int batch, int seconds, int totalK, int[] tokens, boolean[] presence, int[] channelIds) {
        if (batch < 1 || seconds < 1 || totalK < 1) {
            throw new IllegalArgumentException("batch, seconds and ΣK must be >= 1, got " + batch + ", " + seconds
                    + ", " + totalK);
        }
        if (tokens.length != (long) batch * seconds * totalK) {
            throw new IllegalArgumentException("tokens has " + tokens.length + " values, expected B·S·ΣK = "
                    + (long) batch * seconds * totalK);
        }
        if (presence.length % batch != 0 || channelIds.length != presence.length) {
            throw new IllegalArgumentException("presence (" + presence.length + ") and channel ids ("
                    + channelIds.length + ") must both hold B·M values");
        }
        this.batch = batch;
        this.seconds = seconds;
        this.totalK = totalK;
        this.tokens = tokens;
        this.presence = presence;
        this.channelIds = channelIds;
    }

    /** A batch from row-major arrays (not copied: do not change them while the batch is in use). */
    public static TokenBatch of(int batch, int seconds, int totalK, int[] tokens, boolean[] presence,
            int[] channelIds) {
        return new TokenBatch(batch, seconds, totalK, tokens, presence, channelIds);
    }

    /** One recording: {@code tokens[s][c]}, presence and channel ids per modality. */
    public static TokenBatch single(int[][] tokens, boolean[] presence, int[] channelIds) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens (0 seconds)");
        }
        int k = tokens[0].length;
        int[] flat = new int[tokens.length * k];
        for (int s = 0; s < tokens.length; s++) {
            if (tokens[s].length != k) {
                throw new IllegalArgumentException("second " + s + " has " + tokens[s].length + " token columns, "
                        + "second 0 has " + k);
            }
            System.arraycopy(tokens[s], 0, flat, s * k, k);
        }
        return new TokenBatch(1, tokens.length, k, flat, presence.clone(), channelIds.clone());
    }

    /**
     * The channel id the reference assigns each modality (its row in the 8-row channel table):
     * a standard modality's id ({@code eeg_c3} 0 … {@code resp_thx} 7); other names use their
     * position when it is below 8.
     */
    public static int[] defaultChannelIds(ModalityLayout layout) {
        int[] ids = new int[layout.numModalities()];
        for (int i = 0; i < ids.length; i++) {
            ModalitySpec s = layout.modality(i);
            int id = s.standard().map(Modality::id).orElse(i);
            if (id >= TransformerConfig.NUM_KNOWN_CHANNELS) {
                throw new IllegalArgumentException("modality '" + s.name() + "' is not a standard modality and has no "
                        + "channel id below " + TransformerConfig.NUM_KNOWN_CHANNELS + "; pass channel ids explicitly");
            }
            ids[i] = id;
        }
        return ids;
    }

    /**
     * Checks the batch against a model's layout: column count, modality count, token values in
     * {@code [0, V)} of their column and channel ids in {@code [0, 8)}.
     *
     * @throws IllegalArgumentException naming sample, second, column, modality and value
     */
    public void validate(ModalityLayout layout) {
        if (totalK != layout.totalK()) {
            throw new IllegalArgumentException("tokens have " + totalK + " columns, the model expects ΣK = "
                    + layout.totalK());
        }
        int m = layout.numModalities();
        if (presence.length != batch * m) {
            throw new IllegalArgumentException("presence has " + presence.length / batch + " modalities per sample, "
                    + "the model has " + m);
        }
        int[] vocab = new int[totalK];
        int[] owner = new int[totalK];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < layout.modality(i).numQuantizers(); k++) {
                vocab[layout.columnOffset(i) + k] = layout.modality(i).codebookSize();
                owner[layout.columnOffset(i) + k] = i;
            }
        }
        for (int i = 0; i < tokens.length; i++) {
            int c = i % totalK;
            if (tokens[i] < 0 || tokens[i] >= vocab[c]) {
                int b = i / (seconds * totalK);
                int s = (i / totalK) % seconds;
                throw new IllegalArgumentException("token out of range at sample " + b + ", second " + s + ", column "
                        + c + " (modality " + layout.modality(owner[c]).name() + "): " + tokens[i]
                        + " not in [0, " + vocab[c] + ")");
            }
        }
        for (int i = 0; i < channelIds.length; i++) {
            if (channelIds[i] < 0 || channelIds[i] >= TransformerConfig.NUM_KNOWN_CHANNELS) {
                throw new IllegalArgumentException("channel id of sample " + i / m + ", modality "
                        + layout.modality(i % m).name() + " is " + channelIds[i] + ", not in [0, "
                        + TransformerConfig.NUM_KNOWN_CHANNELS + ")");
            }
        }
    }

    /** Seconds {@code [start, stop)} of every sample. */
    public TokenBatch slice(int start, int stop) {
        if (start < 0 || stop > seconds || start >= stop) {
            throw new IllegalArgumentException("slice [" + start + ", " + stop + ") of " + seconds + " seconds");
        }
        int len = stop - start;
        int[] out = new int[batch * len * totalK];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(tokens, (b * seconds + start) * totalK, out, b * len * totalK, len * totalK);
        }
        return new TokenBatch(batch, len, totalK, out, presence, channelIds);
    }

    /** Samples {@code [from, to)}, with their presence and channel ids (a share of a batch). */
    public TokenBatch samples(int from, int to) {
        if (from < 0 || to > batch || from >= to) {
            throw new IllegalArgumentException("samples [" + from + ", " + to + ") of a batch of " + batch);
        }
        if (from == 0 && to == batch) {
            return this;
        }
        int per = seconds * totalK;
        int m = presence.length / batch;
        return new TokenBatch(to - from, seconds, totalK, java.util.Arrays.copyOfRange(tokens, from * per, to * per),
                java.util.Arrays.copyOfRange(presence, from * m, to * m),
                java.util.Arrays.copyOfRange(channelIds, from * m, to * m));
    }

    /**
     * {@code count} consecutive pieces of {@code length} seconds of a single recording, from
     * second {@code start}, as a batch of {@code count} samples (same presence and channel ids).
     */
    public TokenBatch chunks(int start, int length, int count) {
        if (batch != 1) {
            throw new IllegalArgumentException("chunks of a batch of " + batch + "; expected one recording");
        }
        if (start < 0 || length < 1 || count < 1 || start + (long) length * count > seconds) {
            throw new IllegalArgumentException(count + " chunks of " + length + " s from second " + start + " of "
                    + seconds + " seconds");
        }
        int[] out = new int[count * length * totalK];
        System.arraycopy(tokens, start * totalK, out, 0, out.length);
        boolean[] p = new boolean[count * presence.length];
        int[] ch = new int[count * channelIds.length];
        for (int g = 0; g < count; g++) {
            System.arraycopy(presence, 0, p, g * presence.length, presence.length);
            System.arraycopy(channelIds, 0, ch, g * channelIds.length, channelIds.length);
        }
        return new TokenBatch(count, length, totalK, out, p, ch);
    }

    /** The tokens as an int64 array {@code [B, S, ΣK]}. */
    public NDArray tokensArray(NDManager manager) {
        long[] l = new long[tokens.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = tokens[i];
        }
        return HostData.longs(manager, l, new Shape(batch, seconds, totalK));
    }

    /** The channel ids as an int64 array {@code [B, M]}. */
    public NDArray channelIdsArray(NDManager manager) {
        long[] l = new long[channelIds.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = channelIds[i];
        }
        return HostData.longs(manager, l, new Shape(batch, channelIds.length / batch));
    }

    public int batch() {
        return batch;
    }

    public int seconds() {
        return seconds;
    }

    public int totalK() {
        return totalK;
    }

    /** Modalities per sample. */
    public int modalities() {
        return presence.length / batch;
    }

    /** Token of sample b, second s, column c. */
    public int token(int b, int s, int c) {
        return tokens[(b * seconds + s) * totalK + c];
    }

    /** Presence flags {@code [B·M]} (a copy). */
    public boolean[] presence() {
        return presence.clone();
    }

    /** Channel ids {@code [B·M]} (a copy). */
    public int[] channelIds() {
        return channelIds.clone();
    }

    /** The same tokens with other presence flags (e.g. after modality masking). */
    public TokenBatch withPresence(boolean[] newPresence) {
        if (newPresence.length != presence.length) {
            throw new IllegalArgumentException("presence has " + newPresence.length + " flags, expected "
                    + presence.length);
        }
        return new TokenBatch(batch, seconds, totalK, tokens, newPresence.clone(), channelIds);
    }

    @Override
    public String toString() {
        return "TokenBatch[B=" + batch + ", S=" + seconds + ", ΣK=" + totalK + ", presence="
                + Arrays.toString(presence) + "]";
    }
}

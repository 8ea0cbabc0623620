package ai.hypnos.embed;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.transformer.TokenBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A recording as the transformer sees it: tokens {@code [S, ΣK]} (modality blocks in the
 * bundle's column order, absent blocks zero), presence and channel id per modality, and the
 * channel-resolution report. What {@code HypnosModel.tokenize} returns; token shards for
 * training are made from it.
 *
 * @param modalities    modality names in column order
 * @param numQuantizers K per modality
 * @param tokens        {@code [S·ΣK]} row-major
 * @param seconds       S: the shortest present modality's token count (the reference truncates to it)
 * @param presence      which modalities were present
 * @param channelIds    channel id per modality (0 for absent ones, as the reference)
 * @param report        channel resolution, {@code null} when tokenized from signals
 * @param notes         other decisions (a modality dropped by preprocessing, tokens trimmed)
 */
public record TokenizedRecording(List<String> modalities, int[] numQuantizers, int[] tokens, int seconds,
        boolean[] presence, int[] channelIds, ResolutionReport report, List<String> notes) {

    public TokenizedRecording {
        modalities = List.copyOf(modalities);
        notes = List.copyOf(notes);
        int totalK = Arrays.stream(numQuantizers).sum();
        if (tokens.length != (long) seconds * totalK) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + seconds + " s × ΣK " + totalK);
        }
    }

    /** ΣK. */
    public int totalK() {
        return Arrays.stream(numQuantizers).sum();
    }

    /** Token of second {@code s}, column {@code c}. */
    public int token(int s, int c) {
        return tokens[s * totalK() + c];
    }

    /** The tokens as {@code [S][ΣK]}. */
    public int[][] rows() {
        int k = totalK();
        int[][] out = new int[seconds][];
        for (int s = 0; s < seconds; s++) {
            out[s] = Arrays.copyOfRange(tokens, s * k, (s + 1) * k);
        }
        return out;
    }

    /** The tokens of one modality as {@code [S][K]}. */
    public int[][] modalityTokens(String name) {
        int i = modalities.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no modality '" + name + "' in " + modalities);
        }
        int off = 0;
        for (int j = 0; j < i; j++) {
            off += numQuantizers[j];
        }
        int k = totalK();
        int[][] out = new int[seconds][];
        for (int s = 0; s < seconds; s++) {
            out[s] = Arrays.copyOfRange(tokens, s * k + off, s * k + off + numQuantizers[i]);
        }
        return out;
    }

    /** The channel-resolution report, if tokenized from a recording. */
    public Optional<ResolutionReport> resolution() {
        return Optional.ofNullable(report);
    }

    /** As the transformer's input (one sample). */
    public TokenBatch toBatch() {
        return TokenBatch.of(1, seconds, totalK(), tokens, presence.clone(), channelIds.clone());
    }
}

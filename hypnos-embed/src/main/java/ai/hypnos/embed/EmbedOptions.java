package ai.hypnos.embed;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How one recording is embedded. Immutable; {@code with…} methods return a changed copy.
 *
 * <ul>
 *   <li>{@code notchHz}: power-line frequency removed before tokenizing (50 Hz in most of the
 *       world, 60 Hz in the Americas; the reference's default is 50). Respiration has no notch.</li>
 *   <li>{@code chunkTokens}: seconds per transformer chunk (default 2048, the reference's CPU
 *       default). Chunks do not overlap and share no context (BOS and RoPE position 0 at each
 *       start), so the value changes the numbers after the first chunk boundary; keep it equal
 *       when comparing runs. Memory per chunk grows linearly with it (windowed attention).</li>
 *   <li>{@code outputType}: float16 (the reference's) or float32 embeddings.</li>
 *   <li>{@code channelAliases}: extra file label → modality name ({@code "EEG Left" → "eeg_c3"}),
 *       tried before the built-in alias table.</li>
 *   <li>{@code modalities}: use only these of the bundle's modalities (empty: all present).</li>
 *   <li>{@code threads}: modalities preprocessed and tokenized in parallel per recording.</li>
 * </ul>
 */
public final class EmbedOptions {
    /** The reference's chunk on CPU. */
    public static final int DEFAULT_CHUNK_TOKENS = 2048;
    /** The reference's default power-line frequency. */
    public static final double DEFAULT_NOTCH_HZ = 50.0;

    private final double notchHz;
    private final int chunkTokens;
    private final OutputType outputType;
    private final Map<String, String> channelAliases;
    private final Set<String> modalities;
    private final int threads;

    private EmbedOptions(double notchHz, int chunkTokens, OutputType outputType, Map<String, String> channelAliases,
            Set<String> modalities, int threads) {
        this.notchHz = notchHz;
        this.chunkTokens = chunkTokens;
        this.outputType = outputType;
        this.channelAliases = Collections.unmodifiableMap(new LinkedHashMap<>(channelAliases));
        this.modalities = Collections.unmodifiableSet(new LinkedHashSet<>(modalities));
        this.threads = threads;
    }

    /** Notch 50 Hz, chunks of 2048 s, float16 output, no extra aliases, all modalities, one thread per core (≤ 8). */
    public static EmbedOptions defaults() {
        return new EmbedOptions(DEFAULT_NOTCH_HZ, DEFAULT_CHUNK_TOKENS, OutputType.FLOAT16, Map.of(), Set.of(),
                Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())));
    }

    /** Power-line notch frequency in Hz (50 or 60 for mains; any positive value is accepted). */
    public EmbedOptions withNotchHz(double hz) {
        if (!(hz > 0) || !Double.isFinite(hz)) {
            throw new IllegalArgumentException("notch frequency must be positive, got " + hz);
        }
        return new EmbedOptions(hz, chunkTokens, outputType, channelAliases, modalities, threads);
    }

    /** Seconds per transformer chunk (at least 1). */
    public EmbedOptions withChunkTokens(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("chunk must be at least 1 token, got " + tokens);
        }
        return new EmbedOptions(notchHz, tokens, outputType, channelAliases, modalities, threads);
    }

    public EmbedOptions withOutputType(OutputType type) {
        return new EmbedOptions(notchHz, chunkTokens, java.util.Objects.requireNonNull(type), channelAliases, modalities,
                threads);
    }

    /** Extra channel aliases: file label → modality name ({@code "eeg_c3"}). */
    public EmbedOptions withChannelAliases(Map<String, String> labelToModality) {
        return new EmbedOptions(notchHz, chunkTokens, outputType, labelToModality, modalities, threads);
    }

    /** Only these modalities of the bundle are used (empty: all). Unknown names fail when embedding. */
    public EmbedOptions withModalities(Collection<String> names) {
        return new EmbedOptions(notchHz, chunkTokens, outputType, channelAliases, new LinkedHashSet<>(names),
                threads);
    }

    /** Modalities preprocessed and tokenized in parallel (at least 1). */
    public EmbedOptions withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new EmbedOptions(notchHz, chunkTokens, outputType, channelAliases, modalities, threads);
    }

    public double notchHz() {
        return notchHz;
    }

    public int chunkTokens() {
        return chunkTokens;
    }

    public OutputType outputType() {
        return outputType;
    }

    public Map<String, String> channelAliases() {
        return channelAliases;
    }

    /** Selected modality names; empty means all. */
    public Set<String> modalities() {
        return modalities;
    }

    /** The same as {@link #withThreads} (the name under which the trainer first used it). */
    public EmbedOptions withPreprocessThreads(int threads) {
        return withThreads(threads);
    }

    public int threads() {
        return threads;
    }

    @Override
    public String toString() {
        return "EmbedOptions[notch=" + notchHz + " Hz, chunk=" + chunkTokens + ", output=" + outputType.numpyName()
                + (channelAliases.isEmpty() ? "" : ", aliases=" + channelAliases)
                + (modalities.isEmpty() ? "" : ", modalities=" + modalities) + "]";
    }
}

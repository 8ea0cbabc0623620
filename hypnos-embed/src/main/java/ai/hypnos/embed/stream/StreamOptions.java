package ai.hypnos.embed.stream;

import ai.hypnos.core.preprocess.EmaNormalizer;
import ai.hypnos.embed.EmbedOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a live stream carries and how it is embedded.
 *
 * <pre>{@code
 * StreamOptions o = StreamOptions.builder()
 *         .channel("C3", "uV", 256).channel("A2", "uV", 256)   // raw electrodes: C3 is re-referenced to A2 live
 *         .channel("ECG", "mV", 512)
 *         .modality("resp_abd", 25)                            // or feed a modality's signal directly
 *         .embedOptions(EmbedOptions.defaults().withNotchHz(60))
 *         .build();
 * }</pre>
 *
 * <p>Declared channels are resolved exactly as a file's would be ({@code ChannelResolver}, with
 * the embed options' aliases); a modality fed directly takes precedence over a resolved one.
 * The set of present modalities is fixed when the stream opens: every present modality must
 * keep receiving samples, or no second can be emitted.
 *
 * <p>{@code embedOptions().chunkTokens()} is the transformer's context restart (as in batch
 * embedding: a stream and a batch run with the same value give the same numbers);
 * {@code startup} decides how the rolling normaliser begins (see {@link EmaNormalizer.Startup}).
 */
public final class StreamOptions {
    /** A raw channel of the stream. */
    public record Channel(String label, String unit, double sampleRate) {
        public Channel {
            Objects.requireNonNull(label, "label");
            unit = unit == null ? "" : unit;
            if (!(sampleRate > 0) || !Double.isFinite(sampleRate)) {
                throw new IllegalArgumentException("channel '" + label + "': sample rate must be positive, got " + sampleRate);
            }
        }
    }

    private final List<Channel> channels;
    private final Map<String, Double> modalities;
    private final EmbedOptions embedOptions;
    private final EmaNormalizer.Startup startup;

    private StreamOptions(Builder b) {
        this.channels = List.copyOf(b.channels);
        this.modalities = Collections.unmodifiableMap(new LinkedHashMap<>(b.modalities));
        this.embedOptions = b.embedOptions;
        this.startup = b.startup;
        if (channels.isEmpty() && modalities.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one channel or modality");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Declared raw channels, in order. */
    public List<Channel> channels() {
        return channels;
    }

    /** Modalities fed directly (already referenced), name → sample rate. */
    public Map<String, Double> modalities() {
        return modalities;
    }

    /** Notch, chunk (context restart), output type, aliases, modality subset; {@code null}: the model's defaults. */
    public EmbedOptions embedOptions() {
        return embedOptions;
    }

    public EmaNormalizer.Startup startup() {
        return startup;
    }

    /** Builds {@link StreamOptions}. */
    public static final class Builder {
        private final List<Channel> channels = new ArrayList<>();
        private final Map<String, Double> modalities = new LinkedHashMap<>();
        private EmbedOptions embedOptions;
        private EmaNormalizer.Startup startup = EmaNormalizer.Startup.EXACT;

        private Builder() {
        }

        /** A raw channel (physical units), e.g. {@code channel("C3-M2", "uV", 256)}. */
        public Builder channel(String label, String unit, double sampleRate) {
            for (Channel c : channels) {
                if (c.label().equals(label)) {
                    throw new IllegalArgumentException("channel '" + label + "' declared twice");
                }
            }
            channels.add(new Channel(label, unit, sampleRate));
            return this;
        }

        /** A raw channel without a unit. */
        public Builder channel(String label, double sampleRate) {
            return channel(label, "", sampleRate);
        }

        /** A modality's (already referenced) signal, fed by its name, e.g. {@code modality("ecg", 512)}. */
        public Builder modality(String name, double sampleRate) {
            if (!(sampleRate > 0) || !Double.isFinite(sampleRate)) {
                throw new IllegalArgumentException("modality '" + name + "': sample rate must be positive, got " + sampleRate);
            }
            modalities.put(name, sampleRate);
            return this;
        }

        /** Notch, context restart, output type, aliases and modality subset (default: the model's). */
        public Builder embedOptions(EmbedOptions options) {
            this.embedOptions = options;
            return this;
        }

        /**
         * How the normaliser starts: {@code EXACT} (default) holds the first minute until its
         * statistics are known, then equals batch preprocessing exactly; {@code IMMEDIATE} emits
         * from the first second with running statistics, so the first minute (and what depends on it)
         * differs from batch.
         */
        public Builder startup(EmaNormalizer.Startup s) {
            this.startup = Objects.requireNonNull(s);
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}

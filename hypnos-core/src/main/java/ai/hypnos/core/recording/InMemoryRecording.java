package ai.hypnos.core.recording;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recording held in memory: what the synthetic generator produces and what tests build.
 * Signals are stored in physical units.
 */
public final class InMemoryRecording implements Recording {
    private final LocalDateTime start;
    private final List<SignalInfo> signals;
    private final List<double[]> data;
    private final List<Annotation> annotations;
    private final Path source;

    private InMemoryRecording(Builder b) {
        this.start = b.start;
        this.signals = List.copyOf(b.signals);
        this.data = List.copyOf(b.data);
        this.annotations = List.copyOf(b.annotations);
        this.source = b.source;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String format() {
        return "memory";
    }

    @Override
    public LocalDateTime startTime() {
        return start;
    }

    @Override
    public double durationSeconds() {
        double d = 0;
        for (SignalInfo s : signals) {
            d = Math.max(d, s.durationSeconds());
        }
        return d;
    }

    @Override
    public List<SignalInfo> signals() {
        return signals;
    }

    @Override
    public List<Segment> segments() {
        return List.of(new Segment(0, durationSeconds(), 0, 1));
    }

    @Override
    public List<Annotation> annotations() {
        return annotations;
    }

    @Override
    public double[] read(int signal, long fromSample, int count) {
        double[] all = data.get(signal);
        int from = (int) Math.min(Math.max(0, fromSample), all.length);
        int to = (int) Math.min(all.length, (long) from + Math.max(0, count));
        return Arrays.copyOfRange(all, from, to);
    }

    /** Builds an {@link InMemoryRecording}; signals are copied on {@link #build()}. */
    public static final class Builder {
        private LocalDateTime start = LocalDateTime.of(2000, 1, 1, 22, 0);
        private final List<SignalInfo> signals = new ArrayList<>();
        private final List<double[]> data = new ArrayList<>();
        private final List<Annotation> annotations = new ArrayList<>();
        private Path source;

        public Builder start(LocalDateTime start) {
            this.start = start;
            return this;
        }

        public Builder source(Path source) {
            this.source = source;
            return this;
        }

        /** Adds a signal with the given label, unit and rate (samples in physical units). */
        public Builder signal(String label, String unit, double sampleRate, double[] samples) {
            return signal(SignalInfo.of(label, unit, sampleRate, samples.length), samples);
        }

        /** Adds a signal with a full description; its sample count must match the array. */
        public Builder signal(SignalInfo info, double[] samples) {
            if (info.sampleCount() != samples.length) {
                throw new IllegalArgumentException("signal '" + info.label() + "': header says "
                        + info.sampleCount() + " samples, array holds " + samples.length);
            }
            signals.add(info);
            data.add(samples.clone());
            return this;
        }

        public Builder annotation(Annotation a) {
            annotations.add(a);
            return this;
        }

        public InMemoryRecording build() {
            return new InMemoryRecording(this);
        }
    }
}

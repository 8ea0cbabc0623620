package ai.hypnos.spark;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A recording read from an executor-local copy that names its original location as its source,
 * so that what the pipeline records about it (the channel-resolution report's {@code source})
 * says where the night lives, not where an executor happened to copy it.
 */
final class SourceNamedRecording implements Recording {
    private final Recording delegate;
    private final Path source;

    SourceNamedRecording(Recording delegate, Path source) {
        this.delegate = delegate;
        this.source = source;
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String format() {
        return delegate.format();
    }

    @Override
    public LocalDateTime startTime() {
        return delegate.startTime();
    }

    @Override
    public double durationSeconds() {
        return delegate.durationSeconds();
    }

    @Override
    public List<SignalInfo> signals() {
        return delegate.signals();
    }

    @Override
    public List<Segment> segments() {
        return delegate.segments();
    }

    @Override
    public List<Annotation> annotations() {
        return delegate.annotations();
    }

    @Override
    public double[] read(int signal, long fromSample, int count) throws IOException {
        return delegate.read(signal, fromSample, count);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}

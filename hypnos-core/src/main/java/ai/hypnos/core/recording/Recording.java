package ai.hypnos.core.recording;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A multi-channel physiological recording, read lazily: headers at open, samples on demand.
 *
 * <p>Implementations read any signal over any time range without loading the whole file, so an
 * 8-hour night with 20 channels can be opened and one channel read in a few megabytes of heap.
 * Sample arrays are in physical units (after the format's gain/offset scaling).
 *
 * <p>Time is always in seconds from {@link #startTime()}. For discontinuous recordings (EDF+D),
 * {@link #segments()} tells where data exist; reads that span a gap return the samples as stored
 * (records are concatenated) — use the segments to place them, as
 * {@link ai.hypnos.core.modality.ChannelResolution#read} does (NaN in the gaps).
 */
public interface Recording extends Closeable {

    /** The file this recording was read from, or {@code null} for in-memory recordings. */
    Path source();

    /** Format name, e.g. {@code "EDF"}, {@code "EDF+C"}, {@code "EDF+D"}, {@code "BDF+C"}, {@code "WFDB"}. */
    String format();

    /** Start date and time of the first sample, with sub-second precision where the format has it. */
    LocalDateTime startTime();

    /** Duration in seconds of the stored data (excluding gaps of discontinuous files). */
    double durationSeconds();

    /** Ordinary signals, in file order. Annotation channels (EDF+ TAL signals) are not listed. */
    List<SignalInfo> signals();

    /** Contiguous stretches of data; one for continuous recordings. */
    List<Segment> segments();

    /** Annotations stored with the recording (EDF+ TALs, WFDB annotation files read alongside). */
    List<Annotation> annotations();

    /**
     * Reads samples of one signal in physical units.
     *
     * @param signal    index into {@link #signals()}
     * @param fromSample first sample index (inclusive)
     * @param count     number of samples; clamped to what the signal holds
     */
    double[] read(int signal, long fromSample, int count) throws IOException;

    /** Reads the whole signal in physical units. */
    default double[] read(int signal) throws IOException {
        long n = signals().get(signal).sampleCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(source() + ": signal '" + signals().get(signal).label()
                    + "' has " + n + " samples, more than one Java array holds; read it in ranges");
        }
        return read(signal, 0, (int) n);
    }

    /** Reads {@code durationSeconds} of one signal starting {@code startSeconds} after the start. */
    default double[] readSeconds(int signal, double startSeconds, double durationSeconds) throws IOException {
        double fs = signals().get(signal).sampleRate();
        long from = Math.max(0, Math.round(startSeconds * fs));
        long count = Math.max(0, Math.round(durationSeconds * fs));
        return read(signal, from, (int) Math.min(Integer.MAX_VALUE - 8, count));
    }

    /** Index of the signal with exactly this label (trimmed), if any. */
    default Optional<Integer> indexOf(String label) {
        List<SignalInfo> s = signals();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).label().equals(label.trim())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    @Override
    default void close() throws IOException {
    }
}

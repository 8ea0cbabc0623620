package ai.hypnos.core.modality;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.preprocess.RateRatio;
import ai.hypnos.core.preprocess.Resampler;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The modalities a recording provides and how to read each: the result of
 * {@link ChannelResolver#resolve(Recording)}. Nothing is read until {@link #read(Modality)} is
 * called; each call reads the channel(s) again (no caching, so memory stays with the caller).
 */
public final class ChannelResolution {
    /**
     * Longest time line a discontinuous recording may span: a week. Its gaps become samples, so
     * one corrupt record onset would otherwise ask for an array of any size.
     */
    static final double MAX_TIMELINE_SECONDS = 7 * 24 * 3600.0;

    /**
     * Most seconds of gaps a discontinuous recording may have in all: a day. The week above
     * bounds the time line, not memory: a week at 256 Hz is 155 million samples, 1.2 GB per
     * array, and a referenced channel needs several. Real EDF+D gaps (a paused night, electrode
     * checks) are minutes to hours, so a time line longer than the stored data plus a day is a
     * corrupt onset, refused before anything is allocated.
     */
    static final double MAX_GAP_SECONDS = 24 * 3600.0;

    private final Recording recording;
    private final Map<Modality, ResolvedChannel> channels;
    private final ResolutionReport report;

    ChannelResolution(Recording recording, Map<Modality, ResolvedChannel> channels, ResolutionReport report) {
        this.recording = recording;
        Map<Modality, ResolvedChannel> copy = new EnumMap<>(Modality.class);
        copy.putAll(channels);
        this.channels = Collections.unmodifiableMap(copy);
        this.report = report;
    }

    /** The recording the channels are read from. */
    public Recording recording() {
        return recording;
    }

    /** The modalities that can be read, in modality order. */
    public Set<Modality> present() {
        return channels.isEmpty() ? EnumSet.noneOf(Modality.class) : EnumSet.copyOf(channels.keySet());
    }

    /** Whether a modality can be read. */
    public boolean has(Modality m) {
        return channels.containsKey(m);
    }

    /** Where a modality comes from, if present. */
    public Optional<ResolvedChannel> channel(Modality m) {
        return Optional.ofNullable(channels.get(m));
    }

    /** Samples per second of a present modality (the rate of its channel in the file). */
    public double sampleRate(Modality m) {
        return require(m).sampleRate();
    }

    /**
     * Reads a modality in physical units, whole night, referenced as {@link ResolutionReport}
     * says: a difference of two channels has the length of the shorter one after the subtracted
     * channel is resampled to the rate of the first (polyphase FIR as {@code scipy.signal.resample_poly},
     * {@link Resampler}).
     *
     * <p>Sample {@code i} is always at {@code i / sampleRate} seconds from the recording start.
     * In a discontinuous recording (EDF+D, several {@link Recording#segments()}) each segment is
     * placed at its onset and the gaps between them are NaN, which preprocessing fills and
     * reports as gaps ({@link ai.hypnos.core.preprocess.NonFiniteRepair}); joined end to end,
     * everything after the first gap would be early, and shifted against the hypnogram.
     *
     * @throws IllegalArgumentException if the modality is absent (see {@link #report()} for why)
     * @throws HypnosFormatException    if a segment of a discontinuous recording ends more than
     *                                  7 days after the start, or the gaps before it add up to
     *                                  more than 24 h (naming the segment's first record)
     */
    public double[] read(Modality m) throws IOException {
        ResolvedChannel c = require(m);
        double[] x = onTimeline(c.signal(), c.sampleRate());
        if (!c.hasReference()) {
            return x;
        }
        double from = recording.signals().get(c.referenceSignal()).sampleRate();
        // Placed before resampling: filter outputs that reach into a gap are NaN, i.e. gap too.
        double[] r = onTimeline(c.referenceSignal(), from);
        r = resample(r, from, c.sampleRate());
        int n = Math.min(x.length, r.length);
        double[] out = new double[n];
        double k = c.referenceScale();
        for (int i = 0; i < n; i++) {
            out[i] = x[i] - k * r[i];
        }
        return out;
    }

    /**
     * One signal (at {@code fs} Hz) on the recording's time line: its samples as stored for a
     * continuous recording, with NaN over the gaps for a discontinuous one.
     */
    private double[] onTimeline(int signal, double fs) throws IOException {
        List<Segment> segments = recording.segments();
        if (segments.size() <= 1) {
            return recording.read(signal);
        }
        double stored = 0; // seconds of data in the segments before s
        for (Segment s : segments) {
            if (!(s.end() <= MAX_TIMELINE_SECONDS)) {
                throw new HypnosFormatException(recording.source(), "onset of data record " + s.firstRecord(), s.onset() + " s",
                        String.format(Locale.ROOT, "the discontinuous recording's segment starting there ends %.0f s after"
                                + " the start, more than 7 days: its gaps would become an absurdly long signal"
                                + " (corrupt time-keeping TAL?)", s.end()));
            }
            // Everything before s's onset that is not data before it is gap (overlaps only lower it).
            double gaps = s.onset() - stored;
            if (!(gaps <= MAX_GAP_SECONDS)) {
                throw new HypnosFormatException(recording.source(), "onset of data record " + s.firstRecord(), s.onset() + " s",
                        String.format(Locale.ROOT, "the discontinuous recording's gaps up to the segment starting there"
                                + " add up to %.0f s (%.0f s of data before it), more than 24 h: they would become"
                                + " NaN samples taking far more memory than the data (corrupt time-keeping TAL?)",
                                gaps, stored));
            }
            stored += s.duration();
        }
        Segment last = segments.get(segments.size() - 1);
        long total = Math.round(last.end() * fs);
        if (total > Integer.MAX_VALUE - 8) {
            throw new HypnosFormatException(recording.source(), "onset of data record " + last.firstRecord(),
                    last.onset() + " s", "with its gaps the signal at " + fs + " Hz would have " + total
                            + " samples, more than one Java array holds");
        }
        double[] data = recording.read(signal); // only now: an absurd time line is refused unread
        double[] out = new double[(int) total];
        Arrays.fill(out, Double.NaN);
        long used = 0;  // stored samples placed so far
        int filled = 0; // end of the last placed run in out
        for (Segment s : segments) {
            long n = Math.round(s.duration() * fs);
            // Rounding the onset to a sample may not move a segment back over the previous one.
            int at = (int) Math.max(filled, Math.round(s.onset() * fs));
            int count = (int) Math.max(0, Math.min(n, Math.min(data.length - used, out.length - at)));
            if (count > 0) {
                System.arraycopy(data, (int) used, out, at, count);
            }
            used += n;
            filled = at + count;
        }
        return out;
    }

    /** The decisions behind this resolution. */
    public ResolutionReport report() {
        return report;
    }

    private ResolvedChannel require(Modality m) {
        ResolvedChannel c = channels.get(m);
        if (c == null) {
            throw new IllegalArgumentException("modality " + m.key() + " is absent: " + report.entry(m).detail());
        }
        return c;
    }

    /**
     * The integer factors that take {@code from} Hz to {@code to} Hz, or empty when the rates
     * have no small rational ratio. Non-integer target rates are scaled by the smallest
     * denominator that makes them whole (255.5 Hz = 511/2).
     */
    static Optional<RateRatio> ratio(double from, double to) {
        for (int q = 1; q <= RateRatio.MAX_DENOMINATOR; q++) {
            double t = to * q;
            long whole = Math.round(t);
            if (whole > 0 && whole <= Integer.MAX_VALUE && Math.abs(t - whole) <= 1e-9 * t) {
                try {
                    return Optional.of(RateRatio.of(from * q, (int) whole));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static double[] resample(double[] x, double from, double to) {
        if (from == to) {
            return x;
        }
        RateRatio r = ratio(from, to).orElseThrow(() -> new IllegalStateException(
                "no resampling ratio from " + from + " to " + to + " Hz (checked at resolution)"));
        return r.isIdentity() ? x : new Resampler(r).apply(x);
    }
}

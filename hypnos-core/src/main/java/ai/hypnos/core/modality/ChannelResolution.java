package ai.hypnos.core.modality;

import ai.hypnos.core.preprocess.RateRatio;
import ai.hypnos.core.preprocess.Resampler;
import ai.hypnos.core.recording.Recording;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The modalities a recording provides and how to read each: the result of
 * {@link ChannelResolver#resolve(Recording)}. Nothing is read until {@link #read(Modality)} is
 * called; each call reads the channel(s) again (no caching, so memory stays with the caller).
 */
public final class ChannelResolution {
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
     * @throws IllegalArgumentException if the modality is absent (see {@link #report()} for why)
     */
    public double[] read(Modality m) throws IOException {
        ResolvedChannel c = require(m);
        double[] x = recording.read(c.signal());
        if (!c.hasReference()) {
            return x;
        }
        double[] r = recording.read(c.referenceSignal());
        double from = recording.signals().get(c.referenceSignal()).sampleRate();
        r = resample(r, from, c.sampleRate());
        int n = Math.min(x.length, r.length);
        double[] out = new double[n];
        double k = c.referenceScale();
        for (int i = 0; i < n; i++) {
            out[i] = x[i] - k * r[i];
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

package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Settings of the preprocessing pipeline. Immutable; {@code with…} methods return a changed
 * copy. {@link #defaults()} is the reference pipeline with a 50 Hz notch; US cohorts use
 * {@code defaults().withNotchHz(60)}.
 */
public final class PreprocessOptions {
    private final double notchHz;
    private final Set<Modality> modalities;
    private final int threads;
    private final boolean zeroPhase;
    private final double tauSeconds;
    private final int filterOrder;
    private final EmaNormalizer.Startup streamingStartup;

    private PreprocessOptions(double notchHz, Set<Modality> modalities, int threads, boolean zeroPhase,
                              double tauSeconds, int filterOrder, EmaNormalizer.Startup streamingStartup) {
        this.notchHz = notchHz;
        this.modalities = Collections.unmodifiableSet(EnumSet.copyOf(modalities));
        this.threads = threads;
        this.zeroPhase = zeroPhase;
        this.tauSeconds = tauSeconds;
        this.filterOrder = filterOrder;
        this.streamingStartup = streamingStartup;
    }

    /**
     * Notch 50 Hz, all eight modalities, causal filters, τ = 60 s, order 4, exact streaming
     * start-up, one thread per core (at most 8).
     */
    public static PreprocessOptions defaults() {
        return new PreprocessOptions(50.0, EnumSet.allOf(Modality.class),
                Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())),
                false, EmaNormalizer.DEFAULT_TAU_SECONDS, FilterSpec.DEFAULT_ORDER, EmaNormalizer.Startup.EXACT);
    }

    /** Power-line notch frequency (typically 50 or 60 Hz); applies to modalities whose {@link FilterSpec} has a notch. */
    public PreprocessOptions withNotchHz(double hz) {
        if (!(hz > 0) || !Double.isFinite(hz)) {
            throw new IllegalArgumentException("notch frequency must be positive, got " + hz);
        }
        return new PreprocessOptions(hz, modalities, threads, zeroPhase, tauSeconds, filterOrder, streamingStartup);
    }

    /** No notch for any modality (a deviation from the reference, for data already notched). */
    public PreprocessOptions withoutNotch() {
        return new PreprocessOptions(Double.NaN, modalities, threads, zeroPhase, tauSeconds, filterOrder, streamingStartup);
    }

    /** Only these modalities are processed (others present in a recording are skipped). */
    public PreprocessOptions withModalities(Collection<Modality> selected) {
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("select at least one modality");
        }
        return new PreprocessOptions(notchHz, EnumSet.copyOf(selected), threads, zeroPhase, tauSeconds, filterOrder, streamingStartup);
    }

    /** Worker threads for processing the modalities of a recording in parallel (at least 1). */
    public PreprocessOptions withThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        return new PreprocessOptions(notchHz, modalities, n, zeroPhase, tauSeconds, filterOrder, streamingStartup);
    }

    /**
     * Zero-phase filters ({@code sosfiltfilt}) instead of the causal forward filters. Not
     * causal, not what the published tokenizers were trained on, and not available for streams;
     * for offline experiments only.
     */
    public PreprocessOptions withZeroPhase(boolean on) {
        return new PreprocessOptions(notchHz, modalities, threads, on, tauSeconds, filterOrder, streamingStartup);
    }

    /** Time constant of the rolling z-score, seconds. */
    public PreprocessOptions withTauSeconds(double tau) {
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("time constant must be positive, got " + tau);
        }
        return new PreprocessOptions(notchHz, modalities, threads, zeroPhase, tau, filterOrder, streamingStartup);
    }

    /** Butterworth order per band edge. */
    public PreprocessOptions withFilterOrder(int order) {
        if (order < 1 || order > 16) {
            throw new IllegalArgumentException("filter order must be in 1..16, got " + order);
        }
        return new PreprocessOptions(notchHz, modalities, threads, zeroPhase, tauSeconds, order, streamingStartup);
    }

    /** How streaming pipelines start their normaliser (batch processing is unaffected). */
    public PreprocessOptions withStreamingStartup(EmaNormalizer.Startup startup) {
        return new PreprocessOptions(notchHz, modalities, threads, zeroPhase, tauSeconds, filterOrder, startup);
    }

    /** The notch frequency, empty when the notch is off. */
    public OptionalDouble notchHz() {
        return Double.isNaN(notchHz) ? OptionalDouble.empty() : OptionalDouble.of(notchHz);
    }

    public Set<Modality> modalities() {
        return modalities;
    }

    public int threads() {
        return threads;
    }

    public boolean zeroPhase() {
        return zeroPhase;
    }

    public double tauSeconds() {
        return tauSeconds;
    }

    public int filterOrder() {
        return filterOrder;
    }

    public EmaNormalizer.Startup streamingStartup() {
        return streamingStartup;
    }

    @Override
    public String toString() {
        return "PreprocessOptions[notch=" + (Double.isNaN(notchHz) ? "off" : notchHz + " Hz") + ", modalities=" + modalities
                + ", threads=" + threads + ", zeroPhase=" + zeroPhase + ", tau=" + tauSeconds + " s, order=" + filterOrder
                + ", streamingStartup=" + streamingStartup + "]";
    }
}

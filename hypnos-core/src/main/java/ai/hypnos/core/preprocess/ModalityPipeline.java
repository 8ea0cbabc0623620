package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;

import java.util.List;

/**
 * The preprocessing of one modality (DESIGN §4): repair non-finite runs → resample to the
 * modality's rate (float32 after resampling, as the reference) → Butterworth band filter →
 * notch → rolling EMA z-score → soft clip. Filters are designed once, at construction, for the
 * modality's target rate.
 *
 * <p>Thread-safe: the batch method keeps no state; each {@link #stream} is independent.
 */
public final class ModalityPipeline {
    private final Modality modality;
    private final int targetRate;
    private final PreprocessOptions options;
    private final FilterSpec spec;
    private final SosFilter band;
    private final SosFilter notch;
    private final EmaNormalizer normalizer;
    private final SoftClip softClip = new SoftClip();

    public ModalityPipeline(Modality modality, PreprocessOptions options) {
        this.modality = modality;
        this.options = options;
        this.targetRate = modality.sampleRate();
        this.spec = FilterSpec.of(modality.signalType());
        this.band = new SosFilter(spec.design(options.filterOrder(), targetRate));
        this.notch = spec.notch() && options.notchHz().isPresent()
                ? new SosFilter(IirNotch.design(options.notchHz().getAsDouble(), IirNotch.DEFAULT_Q, targetRate))
                : null;
        this.normalizer = new EmaNormalizer(targetRate, options.tauSeconds(),
                EmaNormalizer.DEFAULT_CLIP_SIGMA, EmaNormalizer.DEFAULT_EPS);
    }

    public Modality modality() {
        return modality;
    }

    /** Output rate, Hz. */
    public int targetRate() {
        return targetRate;
    }

    /** The band filter's specification. */
    public FilterSpec filterSpec() {
        return spec;
    }

    /** The band filter's sections at the target rate. */
    public Sos bandFilter() {
        return band.sos();
    }

    /**
     * Preprocesses a whole signal.
     *
     * @param samples    the signal in physical units (not modified)
     * @param sampleRate its rate in Hz (may be fractional, see {@link RateRatio})
     * @throws IllegalArgumentException for a bad rate, a signal with no finite sample, or (zero-phase
     *                                  option only) a signal shorter than the filter padding
     */
    public PreprocessedSignal process(double[] samples, double sampleRate) {
        RateRatio ratio = RateRatio.of(sampleRate, targetRate);
        if (samples.length == 0) {
            return new PreprocessedSignal(modality, new float[0], targetRate, sampleRate, ratio, List.of(), false);
        }
        NonFiniteRepair.Result repaired = NonFiniteRepair.repair(samples);
        boolean flat = isFlat(repaired.samples());
        double[] x;
        if (ratio.isIdentity()) {
            x = repaired.samples() == samples ? samples.clone() : repaired.samples();
        } else {
            x = new Resampler(ratio).apply(repaired.samples());
            roundToFloat(x);
        }
        if (options.zeroPhase()) {
            x = band.applyZeroPhase(x);
            if (notch != null) {
                x = notch.applyZeroPhase(x);
            }
        } else {
            band.applyInPlace(x);
            if (notch != null) {
                notch.applyInPlace(x);
            }
        }
        float[] y = normalizer.apply(x);
        softClip.applyInPlace(y);
        return new PreprocessedSignal(modality, y, targetRate, sampleRate, ratio, repaired.gaps(), flat);
    }

    /**
     * A streaming pipeline for a signal at {@code sampleRate}; its output equals
     * {@link #process} on the concatenated input (see {@link StreamingPipeline} for latency and
     * the first minute).
     *
     * @throws UnsupportedOperationException with the zero-phase option (it is not causal)
     */
    public StreamingPipeline stream(double sampleRate) {
        if (options.zeroPhase()) {
            throw new UnsupportedOperationException("zero-phase filtering is not causal and cannot stream");
        }
        RateRatio ratio = RateRatio.of(sampleRate, targetRate);
        return new StreamingPipeline(modality, ratio,
                ratio.isIdentity() ? null : new Resampler(ratio).stream(),
                band.stream(), notch == null ? null : notch.stream(),
                normalizer.stream(options.streamingStartup()), softClip.stream());
    }

    /** Rounds every value to the nearest float32, as the reference's {@code astype(np.float32)} after resampling. */
    static void roundToFloat(double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) x[i];
        }
    }

    private static boolean isFlat(double[] x) {
        double first = x[0];
        for (double v : x) {
            if (v != first) {
                return false;
            }
        }
        return true;
    }
}

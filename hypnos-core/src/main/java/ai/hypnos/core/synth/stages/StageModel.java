package ai.hypnos.core.synth.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Parameters of the hierarchical semi-Markov model of a night's hypnogram.
 *
 * <p>A night is a sequence of NREM-REM cycles. Cycle {@code k} has a NREM period whose length
 * is log-normal with a log-mean linear in {@code k}, followed by a REM period whose length is
 * log-normal the same way (REM periods lengthen across the night). Inside a NREM period the
 * stages W, N1, N2, N3 follow a semi-Markov chain: a bout of one stage lasts a log-normal number
 * of epochs, then the next stage is drawn from {@link #nremTransitions()}; the weight of N3 decays
 * with the cycle index ({@link #n3CycleDecay()}) so slow-wave sleep concentrates early. Inside a
 * REM period, REM bouts are interrupted by brief W, N1 or N2 bouts ({@link #remTransitions()}).
 *
 * <p>The numbers are fitted by {@link StageModelFitter} to real expert hypnograms and stored as
 * the resource {@code stage-model.json} next to this class; weak literature priors (documented
 * in {@code docs/synthetic-data.md}) regularise what two nights cannot pin down.
 *
 * @param sources         names of the hypnograms the model was fitted to
 * @param epochSeconds    epoch length of the fitted hypnograms (30)
 * @param nremPeriod      length of the NREM period of cycle k, in minutes
 * @param remPeriod       length of the REM period of cycle k, in minutes
 * @param nremStates      state names of {@link #nremTransitions()} rows/columns (W, N1, N2, N3)
 * @param nremTransitions row-stochastic bout-to-bout transition matrix inside NREM periods
 * @param nremBouts       bout length per NREM-period state, in epochs, same order
 * @param n3CycleDecay    N3 weight of cycle k is {@code exp(-n3CycleDecay * k)}
 * @param remStates       state names of {@link #remTransitions()} (REM, W, N1, N2)
 * @param remTransitions  row-stochastic bout-to-bout transitions inside REM periods
 * @param remBouts        bout length per REM-period state, in epochs, same order
 * @param counts          how many periods, bouts and transitions the fit saw (for the record)
 */
public record StageModel(
        List<String> sources,
        double epochSeconds,
        LogLinear nremPeriod,
        LogLinear remPeriod,
        List<String> nremStates,
        double[][] nremTransitions,
        List<LogNormal> nremBouts,
        double n3CycleDecay,
        List<String> remStates,
        double[][] remTransitions,
        List<LogNormal> remBouts,
        FitCounts counts) {

    /** Resource name of the committed fitted model. */
    public static final String RESOURCE = "/ai/hypnos/core/synth/stage-model.json";

    private static volatile StageModel defaultModel;

    /**
     * A log-normal length whose log-mean depends linearly on the cycle index.
     *
     * @param intercept log-mean at cycle 0 (log minutes)
     * @param slope     change of the log-mean per cycle
     * @param sd        residual standard deviation of the log length
     * @param maxCycle  cycle index beyond which the log-mean is held constant (no extrapolation)
     */
    public record LogLinear(double intercept, double slope, double sd, int maxCycle) {
        /** Median length at cycle {@code k}. */
        public double median(int k) {
            return StrictMath.exp(intercept + slope * Math.min(k, maxCycle));
        }
    }

    /**
     * A log-normal bout length in epochs.
     *
     * @param logMean mean of log(epochs)
     * @param logSd   standard deviation of log(epochs)
     * @param n       number of observed bouts behind the estimate (0: prior only)
     */
    public record LogNormal(double logMean, double logSd, int n) {
    }

    /**
     * What the fit saw.
     *
     * @param nights      hypnograms used
     * @param nremPeriods complete NREM periods
     * @param remPeriods  REM periods
     * @param nremBouts   bouts inside NREM periods
     * @param remBouts    bouts inside REM periods
     */
    public record FitCounts(int nights, int nremPeriods, int remPeriods, int nremBouts, int remBouts) {
    }

    /** The committed model fitted to the real hypnograms (loaded once). */
    public static StageModel defaults() {
        StageModel m = defaultModel;
        if (m == null) {
            try (InputStream in = StageModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " missing from the class path");
                }
                m = fromJson(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            defaultModel = m;
        }
        return m;
    }

    /** Parses a model from its JSON form. */
    public static StageModel fromJson(byte[] json) throws IOException {
        return new ObjectMapper().readValue(json, StageModel.class);
    }

    /** The JSON form (pretty-printed, stable field order). */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

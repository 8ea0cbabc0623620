package ai.hypnos.eval.baseline;

import ai.hypnos.core.spectral.BandPowers;
import ai.hypnos.core.spectral.Psd;
import ai.hypnos.core.spectral.Welch;
import ai.hypnos.eval.linalg.FloatMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic sleep-staging feature baseline: per 30-s epoch and per channel, the Welch PSD
 * ({@link Welch}, scipy's defaults, 4-s segments), then absolute and relative power in the delta,
 * theta, alpha, sigma and beta bands ({@link BandPowers}, as YASA), both log10-transformed. The
 * features then go through the same probes as the embeddings.
 *
 * <p>Feature layout per epoch: for each channel, {@code log10 absolute} of every band followed
 * by {@code log10 relative} of every band ({@link #featureNames}). Powers are floored at
 * {@link #FLOOR} before the log so that a flat channel gives a finite (very low) value.
 */
public final class BandPowerFeatures {
    /** Smallest power passed to log10 (unit², e.g. µV²/Hz·Hz). */
    public static final double FLOOR = 1e-12;

    private final double sampleRate;
    private final int epochSeconds;
    private final int nperseg;
    private final List<BandPowers.Band> bands;

    /**
     * @param sampleRate    rate of every channel, Hz; must exceed twice the highest band edge
     * @param epochSeconds  epoch length (30)
     * @param welchSeconds  Welch segment length (4 s, as YASA's {@code bandpower})
     * @param bands         frequency bands
     */
    public BandPowerFeatures(double sampleRate, int epochSeconds, double welchSeconds, List<BandPowers.Band> bands) {
        double top = bands.stream().mapToDouble(BandPowers.Band::high).max().orElseThrow();
        if (!(sampleRate > 2 * top)) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz cannot resolve bands up to " + top
                    + " Hz (needs > " + 2 * top + " Hz); use EEG/EOG/EMG channels at 128 Hz");
        }
        this.sampleRate = sampleRate;
        this.epochSeconds = epochSeconds;
        this.nperseg = (int) Math.min(Math.round(welchSeconds * sampleRate), Math.round(epochSeconds * sampleRate));
        this.bands = List.copyOf(bands);
    }

    /** 30-s epochs, 4-s Welch segments, the default five bands. */
    public static BandPowerFeatures defaults(double sampleRate) {
        return new BandPowerFeatures(sampleRate, 30, 4.0, BandPowers.DEFAULT_BANDS);
    }

    /** Features per channel (2 × bands). */
    public int featuresPerChannel() {
        return 2 * bands.size();
    }

    /** Names like {@code eeg_c3/log_abs_delta}, {@code eeg_c3/log_rel_delta}, in feature order. */
    public List<String> featureNames(List<String> channelNames) {
        List<String> out = new ArrayList<>();
        for (String c : channelNames) {
            for (BandPowers.Band b : bands) {
                out.add(c + "/log_abs_" + b.name());
            }
            for (BandPowers.Band b : bands) {
                out.add(c + "/log_rel_" + b.name());
            }
        }
        return out;
    }

    /** Number of whole epochs in {@code samples} samples. */
    public int epochs(int samples) {
        return (int) (samples / Math.round(epochSeconds * sampleRate));
    }

    /**
     * Features of every whole epoch.
     *
     * @param channels {@code [channel][sample]} at {@link #sampleRate}, equal lengths
     * @return {@code [epochs, channels × 2 × bands]}
     */
    public FloatMatrix compute(float[][] channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("no channels");
        }
        int n = channels[0].length;
        for (float[] c : channels) {
            if (c.length != n) {
                throw new IllegalArgumentException("channels differ in length: " + n + " vs " + c.length);
            }
        }
        int per = (int) Math.round(epochSeconds * sampleRate);
        int epochs = epochs(n);
        int width = channels.length * featuresPerChannel();
        float[] out = new float[Math.multiplyExact(epochs, width)];
        java.util.stream.IntStream.range(0, epochs).parallel().forEach(e -> {
            double[] seg = new double[per];
            for (int c = 0; c < channels.length; c++) {
                for (int i = 0; i < per; i++) {
                    seg[i] = channels[c][e * per + i];
                }
                Psd psd = Welch.psd(seg, sampleRate, nperseg);
                BandPowers bp = BandPowers.of(psd, bands);
                double[] abs = bp.absolute();
                double[] rel = bp.relative();
                int o = e * width + c * featuresPerChannel();
                for (int b = 0; b < bands.size(); b++) {
                    out[o + b] = (float) Math.log10(Math.max(abs[b], FLOOR));
                    out[o + bands.size() + b] = (float) Math.log10(Double.isFinite(rel[b]) ? Math.max(rel[b], FLOOR) : FLOOR);
                }
            }
        });
        return new FloatMatrix(epochs, width, out);
    }
}

package ai.hypnos.embed.stream;

import ai.hypnos.core.preprocess.RateRatio;
import ai.hypnos.core.preprocess.Resampler;
import ai.hypnos.core.preprocess.StreamOperator;

/**
 * Derives one modality's raw signal from live channels as {@code ChannelResolution.read} does
 * for a file: the positive channel, minus {@code scale ×} the reference (resampled to the
 * positive channel's rate with the same polyphase filter) when there is one, sample by sample
 * as both arrive. Holds only the samples one side is ahead by.
 */
final class ChannelMixer {
    private final StreamOperator referenceResampler;
    private final double scale;
    private final boolean referenced;
    private double[] pos = new double[0];
    private int posCount;
    private double[] neg = new double[0];
    private int negCount;

    /**
     * @param positiveRate  rate of the positive channel (the output's)
     * @param referenceRate rate of the subtracted channel, NaN when there is none
     * @param scale         unit factor of the subtracted channel
     */
    ChannelMixer(double positiveRate, double referenceRate, double scale) {
        this.referenced = !Double.isNaN(referenceRate);
        this.scale = scale;
        if (referenced && referenceRate != positiveRate) {
            if (positiveRate != Math.rint(positiveRate)) {
                throw new IllegalArgumentException("cannot resample a reference to the fractional rate " + positiveRate
                        + " Hz in a stream");
            }
            this.referenceResampler = new Resampler(RateRatio.of(referenceRate, (int) positiveRate)).stream();
        } else {
            this.referenceResampler = null;
        }
    }

    /** Adds positive-channel samples; returns the derived samples now available. */
    double[] pushPositive(double[] x, int off, int len) {
        if (!referenced) {
            return java.util.Arrays.copyOfRange(x, off, off + len);
        }
        pos = append(pos, posCount, x, off, len);
        posCount += len;
        return drain();
    }

    /** Adds reference samples; returns the derived samples now available. */
    double[] pushReference(double[] x, int off, int len) {
        double[] r = java.util.Arrays.copyOfRange(x, off, off + len);
        if (referenceResampler != null) {
            r = referenceResampler.push(r);
        }
        neg = append(neg, negCount, r, 0, r.length);
        negCount += r.length;
        return drain();
    }

    /** Ends both channels; returns the last derived samples (the longer side's excess is dropped, as in batch). */
    double[] finish() {
        if (referenceResampler != null) {
            double[] tail = referenceResampler.finish();
            neg = append(neg, negCount, tail, 0, tail.length);
            negCount += tail.length;
        }
        double[] out = drain();
        posCount = 0;
        negCount = 0;
        return out;
    }

    /** Samples held back. */
    int buffered() {
        return posCount + negCount;
    }

    private double[] drain() {
        int n = Math.min(posCount, negCount);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = pos[i] - scale * neg[i];
        }
        System.arraycopy(pos, n, pos, 0, posCount - n);
        posCount -= n;
        System.arraycopy(neg, n, neg, 0, negCount - n);
        negCount -= n;
        return out;
    }

    private static double[] append(double[] buf, int count, double[] x, int off, int len) {
        if (count + len > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(count + len, 2 * buf.length));
        }
        System.arraycopy(x, off, buf, count, len);
        return buf;
    }
}

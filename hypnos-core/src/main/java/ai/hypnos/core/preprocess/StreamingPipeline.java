package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;

import java.util.Arrays;
import java.util.List;

/**
 * The per-modality pipeline in streaming form: push blocks of raw samples of any size, get
 * float32 preprocessed samples back; after {@link #finish()}, the concatenated outputs equal
 * {@link ModalityPipeline#process} on the concatenated input.
 *
 * <p>Latency comes from three places: a run of non-finite samples is held until the next
 * finite sample (it is interpolated to it); the resampler holds {@code half_len/up} input
 * samples (about 20 source samples); and the normaliser, in the default
 * {@link EmaNormalizer.Startup#EXACT} mode, holds the first minute until its initial statistics
 * are known. With {@link EmaNormalizer.Startup#IMMEDIATE} the first minute is emitted at once
 * from running statistics and differs from the batch output; everything after it is equal.
 */
public final class StreamingPipeline {
    private final Modality modality;
    private final RateRatio ratio;
    private final NonFiniteRepair.Stream repair = NonFiniteRepair.stream();
    private final StreamOperator resampler;
    private final StreamOperator band;
    private final StreamOperator notch;
    private final StreamOperator normalizer;
    private final StreamOperator softClip;
    private long emitted;
    private boolean finished;

    StreamingPipeline(Modality modality, RateRatio ratio, StreamOperator resampler, StreamOperator band,
                      StreamOperator notch, StreamOperator normalizer, StreamOperator softClip) {
        this.modality = modality;
        this.ratio = ratio;
        this.resampler = resampler;
        this.band = band;
        this.notch = notch;
        this.normalizer = normalizer;
        this.softClip = softClip;
    }

    public Modality modality() {
        return modality;
    }

    /** Output rate, Hz. */
    public int sampleRate() {
        return ratio.targetRate();
    }

    /** Pushes a block of raw samples; returns the preprocessed samples that became available. */
    public float[] push(double[] block) {
        return push(block, 0, block.length);
    }

    /** Pushes {@code length} raw samples from {@code block[offset]}. */
    public float[] push(double[] block, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
        double[] x = repair.push(block, offset, length);
        return toFloats(afterRepair(x, false));
    }

    /** Ends the stream and returns the samples still held back. */
    public float[] finish() {
        if (finished) {
            return new float[0];
        }
        finished = true;
        double[] x = repair.finish();
        return toFloats(afterRepair(x, true));
    }

    /** Output samples emitted so far. */
    public long emitted() {
        return emitted;
    }

    /** Runs of non-finite input that were filled so far, in source samples. */
    public List<SampleGap> gaps() {
        return repair.gaps();
    }

    private double[] afterRepair(double[] x, boolean end) {
        if (resampler != null) {
            x = stage(resampler, x, end);
            ModalityPipeline.roundToFloat(x);
        }
        x = stage(band, x, end);
        if (notch != null) {
            x = stage(notch, x, end);
        }
        x = stage(normalizer, x, end);
        return stage(softClip, x, end);
    }

    private static double[] stage(StreamOperator op, double[] x, boolean end) {
        double[] out = op.push(x);
        if (!end) {
            return out;
        }
        double[] tail = op.finish();
        if (tail.length == 0) {
            return out;
        }
        double[] all = Arrays.copyOf(out, out.length + tail.length);
        System.arraycopy(tail, 0, all, out.length, tail.length);
        return all;
    }

    private float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        emitted += f.length;
        return f;
    }
}

package ai.hypnos.core.preprocess;

import java.util.Objects;

/**
 * Soft clipping of a normalised signal (DESIGN §4, step 5; the reference's
 * {@code compress_amplitude}): identity for {@code |x| ≤ knee}, and
 * {@code sign(x)·(knee + scale·log1p((|x| − knee)/scale))} beyond, which is continuous with a
 * continuous slope at the knee and grows only logarithmically, so artefacts of hundreds of σ
 * stay within a range the tokenizer has seen. Computed in float32, as numpy does on the
 * reference's float32 array. NaN passes through.
 */
public final class SoftClip {
    /** Knee of the reference, in σ. */
    public static final float DEFAULT_KNEE = 8f;
    /** Scale of the reference. */
    public static final float DEFAULT_SCALE = 2f;

    private final float knee;
    private final float scale;

    /** The reference's soft clip: knee 8, scale 2. */
    public SoftClip() {
        this(DEFAULT_KNEE, DEFAULT_SCALE);
    }

    public SoftClip(float knee, float scale) {
        if (!(knee >= 0) || !(scale > 0)) {
            throw new IllegalArgumentException("soft clip needs knee >= 0 and scale > 0, got " + knee + ", " + scale);
        }
        this.knee = knee;
        this.scale = scale;
    }

    /** One value. */
    public float apply(float x) {
        if (x > knee) {
            return knee + scale * (float) Math.log1p((x - knee) / scale);
        }
        if (x < -knee) {
            return -knee - scale * (float) Math.log1p((-x - knee) / scale);
        }
        return x;
    }

    /** Clips every value of {@code x} in place and returns it. */
    public float[] applyInPlace(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = apply(x[i]);
        }
        return x;
    }

    /** A streaming form (point-wise: one output per input, no state). */
    public StreamOperator stream() {
        return new StreamOperator() {
            private boolean finished;

            @Override
            public double[] push(double[] block, int offset, int length) {
                if (finished) {
                    throw new IllegalStateException("stream already finished");
                }
                Objects.checkFromIndexSize(offset, length, block.length);
                double[] out = new double[length];
                for (int i = 0; i < length; i++) {
                    out[i] = apply((float) block[offset + i]);
                }
                return out;
            }

            @Override
            public double[] finish() {
                finished = true;
                return new double[0];
            }
        };
    }
}

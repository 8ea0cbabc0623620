package ai.hypnos.core.preprocess;

import java.util.Arrays;
import java.util.Random;

/** Feeds a signal to a stream in random-sized blocks (including empty ones) and collects the output. */
final class StreamTesting {
    private StreamTesting() {
    }

    static double[] pushInRandomBlocks(StreamOperator op, double[] x, Random rng) {
        double[] out = new double[0];
        int i = 0;
        while (i < x.length) {
            int size = randomBlock(rng, x.length - i);
            out = concat(out, op.push(x, i, size));
            i += size;
        }
        return concat(out, op.finish());
    }

    static float[] pushInRandomBlocks(StreamingPipeline pipeline, double[] x, Random rng) {
        float[] out = new float[0];
        int i = 0;
        while (i < x.length) {
            int size = randomBlock(rng, x.length - i);
            out = concat(out, pipeline.push(x, i, size));
            i += size;
        }
        return concat(out, pipeline.finish());
    }

    /** Mostly small blocks, sometimes empty, sometimes large. */
    static int randomBlock(Random rng, int remaining) {
        int kind = rng.nextInt(10);
        int size;
        if (kind == 0) {
            size = 0;
        } else if (kind < 4) {
            size = 1 + rng.nextInt(3);
        } else if (kind < 9) {
            size = 1 + rng.nextInt(300);
        } else {
            size = 1 + rng.nextInt(5000);
        }
        return Math.min(size, remaining);
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

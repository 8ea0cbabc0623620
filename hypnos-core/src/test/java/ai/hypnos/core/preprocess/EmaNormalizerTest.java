package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rolling EMA z-score against the scipy (lfilter) formulation of DESIGN §4. */
class EmaNormalizerTest {

    @Test
    void alphaMatchesDesignDoc() {
        assertEquals(0.99986980, new EmaNormalizer(128).alpha(), 5e-9);
        assertEquals(0.99947930, new EmaNormalizer(32).alpha(), 5e-9);
        assertEquals(7680, new EmaNormalizer(128).window());
        assertEquals(1920, new EmaNormalizer(32).window());
    }

    @Test
    void equalsScipyIncludingNanSpikesShortAndFlatSignals() {
        for (JsonNode c : Golden.get("ema")) {
            double fs = c.get("fs").asDouble();
            double tau = c.get("tau").asDouble();
            double[] x = Golden.doubles(c.get("x"));
            double[] expected = Golden.doubles(c.get("y"));
            EmaNormalizer ema = new EmaNormalizer(fs, tau, 6.0, 1e-6);
            double[] actual = Golden.toDoubles(ema.apply(x));
            // float32 outputs: one float32 ulp of the largest value.
            Golden.assertClose(expected, actual, 2e-7, "ema fs=" + fs + " tau=" + tau + " n=" + x.length);
        }
    }

    @Test
    void flatSignalIsZeroNotNan() {
        double[] x = new double[1000];
        Arrays.fill(x, -12.5);
        for (float v : new EmaNormalizer(128).apply(x)) {
            assertEquals(0f, v, 1e-6f);
        }
    }

    @Test
    void emptyAndSingleSample() {
        assertEquals(0, new EmaNormalizer(128).apply(new double[0]).length);
        float[] one = new EmaNormalizer(128).apply(new double[] {42});
        assertArrayEquals(new float[] {0f}, one);
    }

    @Test
    void exactStreamingEqualsBatchBitForBit() {
        Random rng = new Random(3);
        for (int n : new int[] {0, 1, 50, 1919, 1920, 1921, 5000}) {
            double[] x = signal(rng, n);
            EmaNormalizer ema = new EmaNormalizer(32);
            double[] batch = Golden.toDoubles(ema.apply(x));
            double[] streamed = StreamTesting.pushInRandomBlocks(ema.stream(EmaNormalizer.Startup.EXACT), x, rng);
            assertArrayEquals(batch, streamed, "n=" + n);
        }
    }

    @Test
    void exactStreamingHoldsTheFirstMinute() {
        EmaNormalizer ema = new EmaNormalizer(32);
        StreamOperator s = ema.stream(EmaNormalizer.Startup.EXACT);
        assertEquals(0, s.push(new double[1919]).length);
        assertEquals(1920 + 5, s.push(new double[6]).length);
        assertEquals(3, s.push(new double[3]).length);
    }

    @Test
    void immediateStreamingIsCausalAndEqualsBatchAfterTheFirstMinute() {
        Random rng = new Random(5);
        double[] x = signal(rng, 6000);
        EmaNormalizer ema = new EmaNormalizer(32);
        double[] batch = Golden.toDoubles(ema.apply(x));
        StreamOperator s = ema.stream(EmaNormalizer.Startup.IMMEDIATE);
        // One output per input from the first sample on.
        assertEquals(10, s.push(x, 0, 10).length);
        double[] rest = StreamTesting.pushInRandomBlocks(s, Arrays.copyOfRange(x, 10, x.length), rng);
        assertEquals(x.length - 10, rest.length);
        for (int i = 1920 - 10; i < rest.length; i++) {
            assertEquals(batch[i + 10], rest[i], 0.0, "sample " + (i + 10));
        }
        for (int i = 0; i < 1920 - 10; i++) {
            assertTrue(Double.isFinite(rest[i]));
        }
        // Causal: the warm-up output at t does not depend on later samples.
        double[] changedFuture = x.clone();
        for (int i = 500; i < changedFuture.length; i++) {
            changedFuture[i] += 1000;
        }
        // Both whole signals go in (pushing only samples 0-499 of each would compare identical
        // inputs); only the outputs up to the change must agree, and later ones must not.
        double[] a = ema.stream(EmaNormalizer.Startup.IMMEDIATE).push(x, 0, x.length);
        double[] b = ema.stream(EmaNormalizer.Startup.IMMEDIATE).push(changedFuture, 0, changedFuture.length);
        assertEquals(x.length, a.length);
        assertEquals(x.length, b.length);
        assertArrayEquals(Arrays.copyOf(a, 500), Arrays.copyOf(b, 500));
        assertNotEquals(a[500], b[500], "the change reaches the output at sample 500");
    }

    private static double[] signal(Random rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 3 + rng.nextGaussian() * 2 + (rng.nextInt(500) == 0 ? 300 : 0);
        }
        if (n > 10) {
            x[n / 2] = Double.NaN;
        }
        return x;
    }
}

package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Polyphase resampling against {@code scipy.signal.resample_poly} and {@code firwin}. */
class ResamplerTest {

    @Test
    void kaiserFirEqualsFirwin() {
        for (JsonNode c : Golden.get("firwin")) {
            double[] taps = KaiserFir.lowpass(c.get("numtaps").asInt(), c.get("cutoff").asDouble(), 5.0);
            Golden.assertClose(Golden.doubles(c.get("taps")), taps, 1e-13, "firwin " + c.get("numtaps"));
        }
    }

    @Test
    void resamplePolyEqualsScipyForManyRatePairsAndLengths() {
        int cases = 0;
        for (JsonNode c : Golden.get("resample")) {
            Resampler r = new Resampler(c.get("up").asInt(), c.get("down").asInt());
            double[] x = Golden.doubles(c.get("x"));
            double[] expected = Golden.doubles(c.get("y"));
            String what = "resample " + r.up() + "/" + r.down() + " n=" + x.length;
            assertEquals(expected.length, r.outputLength(x.length), what + ": length formula");
            Golden.assertClose(expected, r.apply(x), 1e-12, what);
            cases++;
        }
        assertTrue(cases >= 18);
    }

    @Test
    void rateRatiosForTypicalCohortRates() {
        assertRatio(250, 128, 64, 125);
        assertRatio(200, 128, 16, 25);
        assertRatio(125, 128, 128, 125);
        assertRatio(512, 128, 1, 4);
        assertRatio(256, 128, 1, 2);
        assertRatio(10, 32, 16, 5);
        assertRatio(25, 32, 32, 25);
        assertRatio(100, 32, 8, 25);
        assertRatio(128, 128, 1, 1);
        assertTrue(RateRatio.of(128, 128).isIdentity());
    }

    @Test
    void nonIntegerRatesUseAnExactOrNearFraction() {
        // 511 samples in a 2 s record: 255.5 Hz = 511/2, resampled exactly (up 256, down 511).
        RateRatio half = RateRatio.of(255.5, 128);
        assertEquals(256, half.up());
        assertEquals(511, half.down());
        assertEquals(0.0, half.relativeError());
        // 85 samples per "0.333333" s record: within 10 ppm of 255 Hz, treated as 255 Hz.
        RateRatio third = RateRatio.of(85 / 0.333333, 128);
        assertEquals(128, third.up());
        assertEquals(255, third.down());
        assertTrue(third.relativeError() < 1.1e-6 && third.relativeError() > 0);
        // An irrational rate gets the fraction with the smallest denominator within 10 ppm (5969/19).
        RateRatio pi = RateRatio.of(Math.PI * 100, 128);
        assertEquals(5969.0 / 19, pi.effectiveSourceRate(), 1e-12);
        assertTrue(pi.relativeError() < 1e-5);
        // Rates whose fraction needs an absurdly long filter, or has no fraction at all, are clear errors.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateRatio.of(1_000_000.5, 128));
        assertTrue(e.getMessage().contains("1000000.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RateRatio.of(1e-4, 128));
        assertTrue(e.getMessage().contains("1.0E-4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateRatio.of(0, 128));
        assertThrows(IllegalArgumentException.class, () -> RateRatio.of(Double.NaN, 128));
        assertThrows(IllegalArgumentException.class, () -> RateRatio.of(-256, 128));
        assertThrows(IllegalArgumentException.class, () -> RateRatio.of(Double.POSITIVE_INFINITY, 128));
    }

    @Test
    void identityIsACopyAndEmptyStaysEmpty() {
        double[] x = {1, 2, 3};
        Resampler same = new Resampler(3, 3);
        double[] y = same.apply(x);
        assertArrayEquals(x, y);
        y[0] = 9;
        assertEquals(1, x[0]);
        assertEquals(0, new Resampler(64, 125).apply(new double[0]).length);
    }

    @Test
    void preservesALowFrequencySine() {
        // Band-limited content passes with gain 1 away from the edges (independent of scipy).
        double fsIn = 250;
        double[] x = new double[2500];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(2 * Math.PI * 3.0 * i / fsIn);
        }
        double[] y = new Resampler(64, 125).apply(x);
        assertEquals(1280, y.length);
        for (int i = 100; i < y.length - 100; i++) {
            assertEquals(Math.sin(2 * Math.PI * 3.0 * i / 128.0), y[i], 2e-3);
        }
    }

    @Test
    void streamingEqualsBatchForRandomBlockSizes() {
        Random rng = new Random(7);
        int[][] pairs = {{64, 125}, {1, 2}, {1, 4}, {16, 5}, {128, 125}, {32, 25}, {256, 511}, {3, 3}};
        for (int[] p : pairs) {
            Resampler r = new Resampler(p[0], p[1]);
            for (int trial = 0; trial < 4; trial++) {
                int n = rng.nextInt(3000);
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = rng.nextGaussian() * 10;
                }
                double[] batch = r.apply(x);
                double[] streamed = StreamTesting.pushInRandomBlocks(r.stream(), x, rng);
                assertArrayEquals(batch, streamed, "resample " + p[0] + "/" + p[1] + " n=" + n);
            }
        }
    }

    @Test
    void longSignalsAcrossInternalChunksStreamIdentically() {
        // Batch works in chunks of 32768 outputs with a vectorised kernel; streams mix that kernel
        // (large pushes) with one-output-at-a-time sums (small pushes). All must agree bit for bit.
        Random rng = new Random(13);
        for (int[] p : new int[][] {{1, 2}, {64, 125}}) {
            Resampler r = new Resampler(p[0], p[1]);
            double[] x = new double[150_000];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(i * 0.01) * 30 + rng.nextGaussian();
            }
            double[] batch = r.apply(x);
            StreamOperator s = r.stream();
            double[] out = s.push(x, 0, 90_000);
            out = StreamTesting.concat(out, StreamTesting.pushInRandomBlocks(s, java.util.Arrays.copyOfRange(x, 90_000, x.length), rng));
            assertArrayEquals(batch, out, p[0] + "/" + p[1]);
        }
    }

    @Test
    void streamingLatencyIsHalfTheFilter() {
        Resampler r = new Resampler(1, 2);
        StreamOperator s = r.stream();
        double[] out = s.push(new double[100]);
        // Output i needs input 2i + 20: after 100 inputs, outputs 0..39 are ready.
        assertEquals(40, out.length);
        assertEquals(10, s.finish().length);
    }

    private static void assertRatio(double from, int to, int up, int down) {
        RateRatio r = RateRatio.of(from, to);
        assertEquals(up, r.up(), from + "->" + to + " up");
        assertEquals(down, r.down(), from + "->" + to + " down");
    }
}

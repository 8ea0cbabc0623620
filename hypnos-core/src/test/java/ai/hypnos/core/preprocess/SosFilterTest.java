package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward and zero-phase SOS filtering against scipy's {@code sosfilt} (steady-state start) and {@code sosfiltfilt}. */
class SosFilterTest {

    @Test
    void forwardAndZeroPhaseEqualScipy() {
        for (JsonNode c : Golden.get("sosfilt")) {
            String what = c.get("btype").asText() + " " + c.get("freqs") + " @" + c.get("fs");
            // Filter with scipy's own coefficients to test the filtering alone...
            SosFilter scipyCoefficients = new SosFilter(new Sos(Golden.matrix(c.get("sos"))));
            double[] x = Golden.doubles(c.get("x"));
            double[] y = Golden.doubles(c.get("y"));
            double[] yy = Golden.doubles(c.get("y_filtfilt"));
            Golden.assertClose(y, scipyCoefficients.apply(x), 1e-10, what + " sosfilt");
            Golden.assertClose(yy, scipyCoefficients.applyZeroPhase(x), 1e-10, what + " sosfiltfilt");
            // ...and with our own design, which is what the pipeline does.
            SosFilter ours = new SosFilter(design(c));
            Golden.assertClose(y, ours.apply(x), 1e-9, what + " sosfilt (own design)");
            Golden.assertClose(yy, ours.applyZeroPhase(x), 1e-9, what + " sosfiltfilt (own design)");
        }
    }

    @Test
    void streamingEqualsBatchExactly() {
        Random rng = new Random(11);
        SosFilter[] filters = {
            new SosFilter(Butterworth.bandpass(4, 0.5, 45, 128)),
            new SosFilter(IirNotch.design(60, 30, 128)),
            new SosFilter(Butterworth.highpass(4, 0.05, 32))};
        for (SosFilter f : filters) {
            for (int trial = 0; trial < 5; trial++) {
                double[] x = new double[rng.nextInt(4000)];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 50 + rng.nextGaussian() * 20;
                }
                assertArrayEquals(f.apply(x), StreamTesting.pushInRandomBlocks(f.stream(), x, rng));
            }
        }
    }

    @Test
    void emptyInputAndShortZeroPhase() {
        SosFilter f = new SosFilter(Butterworth.bandpass(4, 0.5, 45, 128));
        assertEquals(0, f.apply(new double[0]).length);
        // scipy refuses signals not longer than the padding (3 * 9 = 27 samples for 4 sections).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.applyZeroPhase(new double[27]));
        assertTrue(e.getMessage().contains("27"), e.getMessage());
        assertEquals(28, f.applyZeroPhase(new double[28]).length);
    }

    @Test
    void aNanPoisonsEveryLaterOutputWhichIsWhyPipelinesRepairFirst() {
        // Documented scipy behaviour: an IIR filter never recovers from a NaN in its state.
        SosFilter f = new SosFilter(Butterworth.bandpass(4, 0.5, 45, 128));
        double[] x = new double[500];
        x[100] = Double.NaN;
        double[] y = f.apply(x);
        assertTrue(Double.isFinite(y[99]));
        for (int i = 100; i < y.length; i++) {
            assertTrue(Double.isNaN(y[i]));
        }
    }

    private static Sos design(JsonNode c) {
        String btype = c.get("btype").asText();
        double[] f = Golden.doubles(c.get("freqs"));
        double fs = c.get("fs").asDouble();
        int order = c.get("order").asInt();
        return switch (btype) {
            case "notch" -> IirNotch.design(f[0], 30, fs);
            case "lowpass" -> Butterworth.lowpass(order, f[0], fs);
            case "highpass" -> Butterworth.highpass(order, f[0], fs);
            default -> Butterworth.bandpass(order, f[0], f[1], fs);
        };
    }
}

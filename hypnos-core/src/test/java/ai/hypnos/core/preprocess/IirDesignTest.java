package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Butterworth and notch designs against scipy's {@code butter(..., output='sos')}, {@code iirnotch}, {@code sosfilt_zi}. */
class IirDesignTest {

    @Test
    void butterworthSectionsEqualScipy() {
        int checked = 0;
        for (JsonNode c : Golden.get("butter")) {
            int order = c.get("order").asInt();
            String btype = c.get("btype").asText();
            double[] f = Golden.doubles(c.get("freqs"));
            double fs = c.get("fs").asDouble();
            Sos sos = switch (btype) {
                case "lowpass" -> Butterworth.lowpass(order, f[0], fs);
                case "highpass" -> Butterworth.highpass(order, f[0], fs);
                default -> Butterworth.bandpass(order, f[0], f[1], fs);
            };
            String what = btype + " order " + order + " " + java.util.Arrays.toString(f) + " @" + fs;
            double[][] expected = Golden.matrix(c.get("sos"));
            double[][] actual = sos.sections();
            assertEquals(expected.length, actual.length, what + ": sections");
            for (int s = 0; s < expected.length; s++) {
                // Pairing and ordering must match scipy section by section, not just overall.
                Golden.assertClose(expected[s], actual[s], 1e-9, what + " section " + s);
            }
            double[][] zi = Golden.matrix(c.get("zi"));
            double[][] ours = sos.steadyStateZi();
            for (int s = 0; s < zi.length; s++) {
                Golden.assertClose(zi[s], ours[s], 1e-8, what + " zi " + s);
            }
            checked++;
        }
        assertEquals(Golden.get("butter").size(), checked);
    }

    @Test
    void designReferenceValuesFromDesignDoc() {
        double[][] eeg = Butterworth.bandpass(4, 0.5, 45, 128).sections();
        assertArrayNear(new double[] {0.269376, 0.538752, 0.269376, 1, 0.674711, 0.145899}, eeg[0], 5e-7);
        double[] notch = IirNotch.design(50, 30, 128).sections()[0];
        assertArrayNear(new double[] {0.960680, 1.485232, 0.960680, 1, 1.485232, 0.921361}, notch, 5e-7);
    }

    @Test
    void notchEqualsScipy() {
        for (JsonNode c : Golden.get("notch")) {
            Sos sos = IirNotch.design(c.get("f0").asDouble(), c.get("q").asDouble(), c.get("fs").asDouble());
            double[] row = sos.sections()[0];
            double[] b = Golden.doubles(c.get("b"));
            double[] a = Golden.doubles(c.get("a"));
            Golden.assertClose(b, new double[] {row[0], row[1], row[2]}, 1e-15, "notch b");
            Golden.assertClose(a, new double[] {row[3], row[4], row[5]}, 1e-15, "notch a");
            Golden.assertClose(Golden.doubles(c.get("sos").get(0)), row, 1e-13, "notch tf2sos");
            Golden.assertClose(Golden.doubles(c.get("zi").get(0)), sos.steadyStateZi()[0], 1e-12, "notch zi");
        }
    }

    @Test
    void rejectsImpossibleDesigns() {
        assertThrows(IllegalArgumentException.class, () -> Butterworth.bandpass(4, 0.5, 45, 64));
        assertThrows(IllegalArgumentException.class, () -> Butterworth.bandpass(4, 20, 10, 128));
        assertThrows(IllegalArgumentException.class, () -> Butterworth.lowpass(0, 10, 100));
        assertThrows(IllegalArgumentException.class, () -> Butterworth.highpass(2, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> Butterworth.highpass(2, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> IirNotch.design(60, 30, 100));
        assertThrows(IllegalArgumentException.class, () -> IirNotch.design(50, 0, 128));
    }

    @Test
    void steadyStateZiGivesFlatResponseToAConstant() {
        // The defining property of sosfilt_zi: a constant input, started at steady state, stays at DC gain.
        Sos lowpass = Butterworth.lowpass(5, 10, 100);
        double[] x = new double[200];
        java.util.Arrays.fill(x, 3.5);
        double[] y = new SosFilter(lowpass).apply(x);
        for (double v : y) {
            assertEquals(3.5, v, 1e-12);
        }
        double[] hp = new SosFilter(Butterworth.highpass(4, 0.05, 32)).apply(x);
        for (double v : hp) {
            assertEquals(0.0, v, 1e-12);
        }
    }

    private static void assertArrayNear(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "coefficient " + i);
        }
    }
}

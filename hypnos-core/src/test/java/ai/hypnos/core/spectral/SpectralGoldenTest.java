package ai.hypnos.core.spectral;

import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Welch, spectrogram, windows, Simpson and band powers against scipy
 * ({@code src/test/python/spectral_golden.py}) on real EEG and a synthetic signal: 1e-10
 * relative (elements far below the spectrum's peak are held to 1e-13 of the peak instead, as
 * relative error is meaningless for bins at rounding-noise level).
 */
class SpectralGoldenTest {
    static NpzReader golden;
    static double[] n3;
    static double[] n2;
    static double[] synth;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        golden = NpzReader.open(Path.of(SpectralGoldenTest.class.getResource("/spectral/golden.npz").toURI()));
        n3 = text(TestData.path("eeg/yasa_N3_30s_100Hz.txt"));
        n2 = text(TestData.path("eeg/yasa_N2_spindles_15s_200Hz.txt"));
        synth = golden.get("input__synth").toDoubleArray();
    }

    @AfterAll
    static void close() throws IOException {
        golden.close();
    }

    static double[] text(Path p) throws IOException {
        return Files.readAllLines(p).stream().filter(s -> !s.isBlank()).mapToDouble(Double::parseDouble).toArray();
    }

    static double[] g(String key) throws IOException {
        return golden.get(key).toDoubleArray();
    }

    static void close(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double peak = 0;
        for (double e : expected) {
            peak = Math.max(peak, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-10 * Math.abs(expected[i]) + 1e-13 * peak;
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    void checkWelch(String name, Psd psd) throws IOException {
        close(g("welch__" + name + "__freqs"), psd.freqs(), name + " freqs");
        close(g("welch__" + name + "__power"), psd.power(), name + " power");
    }

    @Test
    void welchDefaultsOnRealEeg() throws IOException {
        checkWelch("n3_default", Welch.psd(n3, 100, 400));
        checkWelch("n2_default", Welch.psd(n2, 200, 400));
        checkWelch("n2_4s", Welch.psd(n2, 200, 800));
    }

    @Test
    void welchOptions() throws IOException {
        checkWelch("synth_hamming_linear_spectrum_median", Welch.psd(Arrays.copyOf(synth, 1000), 128,
                SpectralOptions.of(255).noverlap(100).nfft(300).window(Window.hamming())
                        .detrend(SpectralOptions.Detrend.LINEAR).scaling(SpectralOptions.Scaling.SPECTRUM)
                        .average(SpectralOptions.Average.MEDIAN)));
        checkWelch("synth_blackman_nodetrend_oddnfft_median", Welch.psd(synth, 128,
                SpectralOptions.of(128).nfft(257).window(Window.blackman()).detrend(SpectralOptions.Detrend.NONE)
                        .average(SpectralOptions.Average.MEDIAN)));
        checkWelch("synth_boxcar_nooverlap", Welch.psd(synth, 128, SpectralOptions.of(64).noverlap(0).window(Window.boxcar())));
        checkWelch("synth_tukey05", Welch.psd(synth, 128, SpectralOptions.of(100).noverlap(75).window(Window.tukey(0.5))));
        checkWelch("synth_short", Welch.psd(Arrays.copyOf(synth, 100), 128, 256));
    }

    @Test
    void spectrograms() throws IOException {
        Spectrogram s = Spectrogram.compute(n2, 200, 256);
        close(g("spectrogram__n2__freqs"), s.freqs(), "freqs");
        close(g("spectrogram__n2__times"), s.times(), "times");
        double[][] want = rows(golden.get("spectrogram__n2__power").toDoubleArray(), s.freqs().length);
        assertEquals(want.length, s.power().length);
        for (int t = 0; t < want.length; t++) {
            close(want[t], s.power()[t], "n2 power[" + t + "]");
        }
        Spectrogram h = Spectrogram.compute(synth, 128, SpectralOptions.of(100).noverlap(50).window(Window.hann()).nfft(128));
        close(g("spectrogram__synth__times"), h.times(), "times");
        double[][] wantH = rows(golden.get("spectrogram__synth__power").toDoubleArray(), h.freqs().length);
        for (int t = 0; t < wantH.length; t++) {
            close(wantH[t], h.power()[t], "synth power[" + t + "]");
        }
    }

    @Test
    void bandPowersLikeYasa() throws IOException {
        for (String name : List.of("n3_default", "n2_default", "n2_4s")) {
            Psd psd = new Psd(g("welch__" + name + "__freqs"), g("welch__" + name + "__power"));
            BandPowers bp = BandPowers.of(psd);
            close(g("bandpower__" + name + "__absolute"), bp.absolute(), name + " absolute");
            close(g("bandpower__" + name + "__relative"), bp.relative(), name + " relative");
        }
        BandPowers n3bp = BandPowers.of(Welch.psd(n3, 100, 400));
        assertTrue(n3bp.relative("delta") > 0.5, "N3 sleep is dominated by delta: " + Arrays.toString(n3bp.relative()));
        assertEquals(n3bp.absolute("delta") / n3bp.total(), n3bp.relative("delta"), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> n3bp.relative("gamma"));
    }

    @Test
    void simpsonMatchesScipy() throws IOException {
        for (int n = 0; n <= 8; n++) {
            double[] y = n == 0 ? new double[0] : g("simpson__" + n + "__y");
            double want = golden.get("simpson__" + n + "__value").doubleValue();
            assertEquals(want, Simpson.integrate(y, 0.37), 1e-12 * Math.max(1, Math.abs(want)), "n = " + n);
        }
    }

    @Test
    void windowsMatchScipyGetWindow() throws IOException {
        List<Object[]> windows = List.of(new Object[] {"hann", Window.hann()}, new Object[] {"hamming", Window.hamming()},
                new Object[] {"blackman", Window.blackman()}, new Object[] {"boxcar", Window.boxcar()},
                new Object[] {"tukey025", Window.tukey(0.25)}, new Object[] {"tukey05", Window.tukey(0.5)});
        for (Object[] w : windows) {
            for (int n : new int[] {1, 2, 7, 8, 255, 256}) {
                double[] want = g("window__" + w[0] + "__" + n);
                double[] got = ((Window) w[1]).values(n);
                for (int i = 0; i < n; i++) {
                    assertEquals(want[i], got[i], 1e-15, w[0] + "(" + n + ")[" + i + "]");
                }
            }
        }
        assertArrayEquals(new double[] {1, 2}, Window.of(new double[] {1, 2}).values(2));
        assertThrows(IllegalArgumentException.class, () -> Window.of(new double[] {1, 2}).values(3));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Welch.psd(new double[0], 100, 4));
        assertThrows(IllegalArgumentException.class, () -> Welch.psd(new double[10], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Welch.psd(new double[10], 100, SpectralOptions.of(4).noverlap(4)));
        assertThrows(IllegalArgumentException.class, () -> Welch.psd(new double[10], 100, SpectralOptions.of(4).nfft(3)));
        assertThrows(IllegalArgumentException.class, () -> SpectralOptions.of(0));
        assertThrows(IllegalArgumentException.class, () -> BandPowers.of(new Psd(new double[] {0, 50}, new double[] {1, 1})));
    }

    static double[][] rows(double[] flat, int cols) {
        double[][] out = new double[flat.length / cols][];
        for (int r = 0; r < out.length; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }
}

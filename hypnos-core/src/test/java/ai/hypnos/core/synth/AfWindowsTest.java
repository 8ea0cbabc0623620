package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.npy.NpzReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AF window set: RR irregularity measured from the ECG by an independent R-peak detector is
 * far higher in AF than in sinus rhythm, AF has no P waves, and the files read back.
 */
class AfWindowsTest {

    @Test
    void afIsIrregularlyIrregularWithoutPWaves() throws IOException {
        List<Double> af = new ArrayList<>();
        List<Double> sinus = new ArrayList<>();
        List<Double> pAf = new ArrayList<>();
        List<Double> pSinus = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            AfWindows.Label label = i % 2 == 0 ? AfWindows.Label.AF : AfWindows.Label.SINUS;
            AfWindows.Window w = AfWindows.window(i, label, 60, new SynthRandom(500 + i));
            double fs = w.recording().signals().get(0).sampleRate();
            double[] x = w.recording().read(0);
            double[] peaks = SignalMeasures.rPeaks(x, fs);
            assertTrue(Math.abs(peaks.length - w.beats().count()) <= 2,
                    w.id() + ": detected " + peaks.length + " beats of " + w.beats().count());
            double irregularity = SignalMeasures.normalisedRmssd(SignalMeasures.rr(peaks));
            double p = pWave(x, fs, w.beats().times());
            (label == AfWindows.Label.AF ? af : sinus).add(irregularity);
            (label == AfWindows.Label.AF ? pAf : pSinus).add(p);
        }
        double afMedian = median(af);
        double sinusMedian = median(sinus);
        System.out.printf(Locale.ROOT, "normalised RMSSD: AF %.3f, sinus %.3f; P/R: AF %.3f, sinus %.3f%n",
                afMedian, sinusMedian, median(pAf), median(pSinus));
        assertTrue(afMedian > 0.15, "AF beat-to-beat irregularity " + afMedian);
        assertTrue(afMedian > 4 * sinusMedian, "AF " + afMedian + " vs sinus " + sinusMedian);
        assertTrue(Math.abs(median(pAf)) < 0.05, "no P wave in AF: " + median(pAf));
        assertTrue(median(pSinus) > 0.06, "P wave in sinus rhythm: " + median(pSinus));
    }

    /**
     * P-wave size relative to R: the beat-averaged ECG around 160 ms before R (minus the level
     * at 300 ms before R), over the averaged R amplitude. Averaging cancels f waves and noise.
     */
    private static double pWave(double[] x, double fs, double[] rPeaks) {
        double p = 0;
        double base = 0;
        double r = 0;
        int n = 0;
        for (double t : rPeaks) {
            int ir = (int) Math.round(t * fs);
            int ip = (int) Math.round((t - 0.16) * fs);
            int ib = (int) Math.round((t - 0.30) * fs);
            if (ib < 0 || ir >= x.length) {
                continue;
            }
            p += x[ip];
            base += x[ib];
            r += x[ir];
            n++;
        }
        return (p - base) / Math.abs(r - base);
    }

    private static double median(List<Double> v) {
        return SignalMeasures.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void otherArrhythmiasAreLabelledAndNamed() {
        AfSpec spec = new AfSpec(30, 20, 8, 0.2, 0.5);
        AfWindows.Label[] labels = AfWindows.labels(spec);
        int other = 0;
        for (AfWindows.Label l : labels) {
            other += l == AfWindows.Label.OTHER ? 1 : 0;
        }
        assertEquals(15, other);
        for (int i = 0; i < 12; i++) {
            AfWindows.Window w = AfWindows.window(i, AfWindows.Label.OTHER, 20, new SynthRandom(900 + i));
            assertTrue(w.rhythm().matches("frequent_pac|frequent_pvc|pvc_bigeminy|pvc_trigeminy|flutter|"
                    + "flutter_variable_block|sinus_arrhythmia|sinus_tachycardia|sinus_bradycardia"), w.rhythm());
            assertTrue(w.meanHr() > 30 && w.meanHr() < 190, w.rhythm() + " " + w.meanHr());
        }
    }

    @Test
    void filesAreWrittenDeterministically(@TempDir Path dir) throws IOException {
        AfSpec spec = AfSpec.of(6, 10, 3);
        List<String> ids = AfWindows.generate(spec, dir.resolve("a"));
        AfWindows.generate(spec, dir.resolve("b"));
        List<String> lines = Files.readAllLines(dir.resolve("a/labels.csv"));
        assertEquals(AfWindows.LABELS_HEADER, lines.get(0));
        assertEquals(7, lines.size());
        int beats = 0;
        for (int i = 0; i < ids.size(); i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(ids.get(i), f[0]);
            assertTrue(List.of("af", "sinus", "other").contains(f[2]));
            Path edf = dir.resolve("a").resolve(f[1]);
            assertArrayEquals(Files.readAllBytes(edf), Files.readAllBytes(dir.resolve("b").resolve(f[1])));
            try (EdfRecording r = EdfReader.open(edf)) {
                assertEquals(1, r.signals().size());
                assertEquals(10.0, r.durationSeconds(), 1e-9);
                assertEquals(Double.parseDouble(f[5]), r.signals().get(0).sampleRate(), 1e-9);
                beats += SignalMeasures.rPeaks(r.read(0), r.signals().get(0).sampleRate()).length;
            }
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/labels.csv")), Files.readAllBytes(dir.resolve("b/labels.csv")));
        try (NpzReader z = NpzReader.open(dir.resolve("a/truth.npz"))) {
            int n = z.get("r_peaks").toDoubleArray().length;
            assertEquals(n, z.get("r_peak_window").toIntArray().length);
            assertTrue(Math.abs(n - beats) <= 2 * ids.size(), "truth holds " + n + " R peaks, detector found " + beats);
        }
    }
}

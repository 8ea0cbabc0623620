package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.spectral.BandPowers;
import ai.hypnos.core.spectral.Psd;
import ai.hypnos.core.spectral.Welch;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Realism of a synthetic night (2 h, a typical subject, a clean AASM recording), measured with
 * independent tools: the project's Welch/band powers, an FFT band-pass, an R-peak detector and
 * the real YASA N2/N3 snippets. Thresholds are physiological ranges from the sleep literature.
 */
class SyntheticNightRealismTest {
    private static final String[] STAGE = {"W", "N1", "N2", "N3", "REM"};
    private static SyntheticNight night;
    private static int[] stages;
    private static double fs;
    private static double[] c3;
    private static double[] c4;
    private static double[] e1;
    private static double[] e2;
    private static double[] emg;
    private static double emgFs;
    private static double[] ecg;
    private static double ecgFs;
    private static double[] thx;
    private static double beltFs;
    /** Mean relative (index 0) and absolute (1) band powers of C3 per stage: [stage][kind][band]. */
    private static double[][][] bands;

    @BeforeAll
    static void generate() throws IOException {
        night = SyntheticNight.generate(SubjectProfile.typical("realism", Site.AASM), 2.0, 11);
        InMemoryRecording r = night.recording();
        stages = night.latentHypnogram().labels();
        fs = r.signals().get(r.indexOf("EEG C3-M2").orElseThrow()).sampleRate();
        c3 = r.read(r.indexOf("EEG C3-M2").orElseThrow());
        c4 = r.read(r.indexOf("EEG C4-M1").orElseThrow());
        e1 = r.read(r.indexOf("EOG E1-M2").orElseThrow());
        e2 = r.read(r.indexOf("EOG E2-M1").orElseThrow());
        int m = r.indexOf("EMG Chin1-Chin2").orElseThrow();
        emg = r.read(m);
        emgFs = r.signals().get(m).sampleRate();
        int k = r.indexOf("ECG").orElseThrow();
        ecg = r.read(k);
        ecgFs = r.signals().get(k).sampleRate();
        int t = r.indexOf("Resp Thoracic").orElseThrow();
        thx = r.read(t);
        beltFs = r.signals().get(t).sampleRate();

        bands = new double[5][2][5];
        int[] n = new int[5];
        for (int e = 0; e < stages.length; e++) {
            BandPowers bp = BandPowers.of(Welch.psd(SignalMeasures.slice(c3, fs, e * 30, 30), fs, (int) (4 * fs)));
            for (int b = 0; b < 5; b++) {
                bands[stages[e]][0][b] += bp.relative()[b];
                bands[stages[e]][1][b] += bp.absolute()[b];
            }
            n[stages[e]]++;
        }
        for (int s = 0; s < 5; s++) {
            assertTrue(n[s] >= 5, "the test night must hold every stage; " + STAGE[s] + " has " + n[s] + " epochs");
            for (int kind = 0; kind < 2; kind++) {
                for (int b = 0; b < 5; b++) {
                    bands[s][kind][b] /= n[s];
                }
            }
            System.out.printf(Locale.ROOT, "%-3s rel %s abs %s%n", STAGE[s], fmt(bands[s][0]), fmt(bands[s][1]));
        }
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(String.format(Locale.ROOT, "%8.3f", x));
        }
        return sb.toString();
    }

    private static final int DELTA = 0;
    private static final int ALPHA = 2;
    private static final int SIGMA = 3;

    @Test
    void deltaOrdersN3AboveN2AboveWake() {
        assertTrue(bands[3][1][DELTA] > bands[2][1][DELTA], "delta N3 > N2");
        assertTrue(bands[2][1][DELTA] > bands[0][1][DELTA], "delta N2 > W");
        assertTrue(bands[3][0][DELTA] > bands[2][0][DELTA] && bands[2][0][DELTA] > bands[0][0][DELTA],
                "relative delta N3 > N2 > W");
    }

    @Test
    void alphaIsHighestInWake() {
        for (int s = 1; s < 5; s++) {
            assertTrue(bands[0][0][ALPHA] > bands[s][0][ALPHA], "relative alpha W > " + STAGE[s]);
            assertTrue(bands[0][1][ALPHA] > bands[s][1][ALPHA], "absolute alpha W > " + STAGE[s]);
        }
    }

    @Test
    void sigmaPeaksInN2() {
        for (int s : new int[] {0, 1, 4}) {
            assertTrue(bands[2][1][SIGMA] > bands[s][1][SIGMA], "absolute sigma N2 > " + STAGE[s]);
        }
        for (int s : new int[] {1, 3, 4}) {
            assertTrue(bands[2][0][SIGMA] > bands[s][0][SIGMA], "relative sigma N2 > " + STAGE[s]);
        }
    }

    /**
     * Relative band powers of the synthetic N2 and N3 against the real YASA snippets (C3-M2-like
     * EEG, same Welch settings): every band within a factor of 2.5.
     */
    @Test
    void n2AndN3SpectraResembleRealSleep() throws IOException {
        double[] n2 = readColumn("eeg/yasa_N2_spindles_15s_200Hz.txt");
        double[] n3 = readColumn("eeg/yasa_N3_30s_100Hz.txt");
        double[] real2 = BandPowers.of(Welch.psd(n2, 200, 800)).relative();
        double[] real3 = BandPowers.of(Welch.psd(n3, 100, 400)).relative();
        System.out.println("YASA N2 rel " + fmt(real2) + "\nYASA N3 rel " + fmt(real3));
        for (int b = 0; b < 5; b++) {
            double r2 = bands[2][0][b] / real2[b];
            double r3 = bands[3][0][b] / real3[b];
            String name = BandPowers.DEFAULT_BANDS.get(b).name();
            assertTrue(r2 > 1 / 2.5 && r2 < 2.5, "N2 " + name + ": synthetic/real = " + r2);
            assertTrue(r3 > 1 / 2.5 && r3 < 2.5, "N3 " + name + ": synthetic/real = " + r3);
        }
    }

    private static double[] readColumn(String name) throws IOException {
        List<String> lines = Files.readAllLines(TestData.path(name));
        return lines.stream().filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.trim())).toArray();
    }

    @Test
    void spindleDensityIsPhysiological() {
        // from the ground truth
        int n2Epochs = 0;
        for (int s : stages) {
            n2Epochs += s == 2 ? 1 : 0;
        }
        long inN2 = night.events().stream()
                .filter(e -> e.type() == EventType.SPINDLE && stages[(int) (e.onset() / 30)] == 2).count();
        double truthDensity = inN2 / (n2Epochs * 0.5);
        // from the signal: sigma RMS above 2.5 times its median over the night's N2
        double[] n2 = concatStage(c3, fs, 2);
        double[] sigma = SignalMeasures.bandPass(n2, fs, 11, 16);
        double threshold = 2.5 * SignalMeasures.rms(sigma);
        double detected = SignalMeasures.spindles(n2, fs, threshold).length / (n2Epochs * 0.5);
        System.out.printf(Locale.ROOT, "spindles per N2 minute: truth %.2f, detected %.2f%n", truthDensity, detected);
        assertTrue(truthDensity >= 1 && truthDensity <= 8, "truth spindle density " + truthDensity);
        assertTrue(detected >= 0.5 && detected <= 8, "detected spindle density " + detected);
    }

    @Test
    void slowWavesHaveN3Amplitudes() {
        double n3 = SignalMeasures.median(SignalMeasures.slowWaveAmplitudes(concatStage(c3, fs, 3), fs));
        double n2 = SignalMeasures.median(SignalMeasures.slowWaveAmplitudes(concatStage(c3, fs, 2), fs));
        System.out.printf(Locale.ROOT, "median slow-wave peak-to-peak: N3 %.0f uV, N2 %.0f uV%n", n3, n2);
        assertTrue(n3 >= 60 && n3 <= 250, "N3 slow-wave amplitude " + n3);
        assertTrue(n2 < n3, "N2 slow waves smaller than N3's");
    }

    @Test
    void chinEmgIsLowestInRem() {
        double rem = SignalMeasures.rms(concatStage(emg, emgFs, 4));
        for (int s = 0; s < 4; s++) {
            double other = SignalMeasures.rms(concatStage(emg, emgFs, s));
            System.out.printf(Locale.ROOT, "chin EMG RMS %s %.2f uV%n", STAGE[s], other);
            assertTrue(rem < other, "REM chin EMG " + rem + " below " + STAGE[s] + " " + other);
        }
        assertTrue(rem < 0.5 * SignalMeasures.rms(concatStage(emg, emgFs, 0)), "REM atonia well below wake tone");
    }

    @Test
    void heartRateAndBreathingAreInRange() {
        double[] peaks = SignalMeasures.rPeaks(ecg, ecgFs);
        double[] truth = night.truth().rPeaks();
        int matched = 0;
        int j = 0;
        for (double t : truth) {
            while (j < peaks.length && peaks[j] < t - 0.05) {
                j++;
            }
            if (j < peaks.length && Math.abs(peaks[j] - t) <= 0.05) {
                matched++;
            }
        }
        assertTrue(matched > 0.97 * truth.length, "detected " + matched + " of " + truth.length + " R peaks");
        double hr = 60 / SignalMeasures.mean(SignalMeasures.rr(peaks));
        System.out.printf(Locale.ROOT, "mean heart rate %.1f bpm%n", hr);
        assertTrue(hr > 45 && hr < 90, "heart rate " + hr);
        // breathing: dominant frequency of the thoracic belt, per 2-minute window
        int windows = 0;
        int inRange = 0;
        for (double start = 0; start + 120 <= thx.length / beltFs; start += 120) {
            Psd psd = Welch.psd(SignalMeasures.slice(thx, beltFs, start, 120), beltFs, (int) (60 * beltFs));
            int best = 1;
            for (int i = 1; i < psd.freqs().length; i++) {
                if (psd.freqs()[i] > 0.08 && psd.freqs()[i] < 1 && psd.power()[i] > psd.power()[best]) {
                    best = i;
                }
            }
            double perMinute = 60 * psd.freqs()[best];
            windows++;
            inRange += perMinute >= 8 && perMinute <= 25 ? 1 : 0;
        }
        assertTrue(inRange >= 0.9 * windows, inRange + " of " + windows + " windows breathe 8-25 per minute");
    }

    @Test
    void heartSlowsInDeepSleep() {
        float[] hr = night.truth().heartRate();
        double[] byStage = new double[5];
        int[] n = new int[5];
        for (int s = 0; s < hr.length; s++) {
            int st = stages[s / 30];
            byStage[st] += hr[s];
            n[st]++;
        }
        assertTrue(byStage[3] / n[3] < byStage[0] / n[0], "heart rate lower in N3 than in wake");
    }

    @Test
    void eyeMovementsAreAntiPhaseAndSlowWavesInPhase() {
        List<double[]> rem1 = new ArrayList<>();
        List<double[]> rem2 = new ArrayList<>();
        for (SynthEvent e : night.events()) {
            if (e.type() == EventType.REM_BURST && e.duration() >= 2) {
                rem1.add(SignalMeasures.slice(e1, fs, e.onset(), e.duration()));
                rem2.add(SignalMeasures.slice(e2, fs, e.onset(), e.duration()));
            }
        }
        assertTrue(!rem1.isEmpty(), "the test night has bursts of rapid eye movements");
        double remCorr = SignalMeasures.correlation(concat(rem1), concat(rem2));
        double n3Corr = SignalMeasures.correlation(concatStage(e1, fs, 3), concatStage(e2, fs, 3));
        System.out.printf(Locale.ROOT, "E1/E2 correlation: REM bursts %.2f, N3 %.2f%n", remCorr, n3Corr);
        assertTrue(remCorr < -0.3, "eye movements anti-phase: " + remCorr);
        assertTrue(n3Corr > 0.3, "EEG leakage in phase: " + n3Corr);
    }

    @Test
    void hemispheresAreCorrelated() {
        double r = SignalMeasures.correlation(concatStage(c3, fs, 2), concatStage(c4, fs, 2));
        System.out.printf(Locale.ROOT, "C3/C4 correlation in N2 %.2f%n", r);
        assertTrue(r > 0.4 && r < 0.97, "C3-C4 correlation " + r);
    }

    @Test
    void hypnogramHasLightsAndScoredStages() {
        assertEquals(stages.length, night.hypnogram().size());
        assertEquals(0, stages[0], "the recording starts awake");
        double[] lights = night.lights();
        assertTrue(lights[0] >= 0 && lights[0] < lights[1], "lights off before lights on");
    }

    private static double[] concatStage(double[] x, double rate, int stage) {
        List<double[]> parts = new ArrayList<>();
        for (int e = 0; e < stages.length; e++) {
            if (stages[e] == stage) {
                parts.add(SignalMeasures.slice(x, rate, e * 30, 30));
            }
        }
        return concat(parts);
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int pos = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}

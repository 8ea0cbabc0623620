package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.spectral.Psd;
import ai.hypnos.core.spectral.Welch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Difficulty of the synthetic cohort: a band-power + logistic-regression stager, trained on some
 * subjects and tested on others (subject-wise 4-fold cross-validation over 12 eight-hour nights
 * of all four sites, faults on), must land where such baselines land on real PSG: Cohen's kappa
 * 0.55-0.80, N1 the hardest class. Far above would mean the data are too easy to tell models
 * apart.
 *
 * <p>Features per 30-s epoch, from the channels as channel resolution gives them: log power in
 * six bands (0.5-2, 2-4, 4-8, 8-12, 12-16, 16-30 Hz) of the central EEG (C3, or C4 where a site
 * has no C3), the same relative to the 0.5-30 Hz total, the total; EOG log power below 2 Hz and
 * total; chin EMG log RMS. Features are z-scored per night (a common, honest normalisation);
 * a missing modality gives zeros.
 *
 * <p>Run: {@code ./mvnw -B -Dhypnos.build.suffix=-synth -pl hypnos-core -am test -Plong
 * -Dtest=StagerDifficultyTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("long")
class StagerDifficultyTest {
    private static final double[][] BANDS = {{0.5, 2}, {2, 4}, {4, 8}, {8, 12}, {12, 16}, {16, 30}};
    private static final int SUBJECTS = 12;
    private static final int FOLDS = 4;

    @Test
    void bandPowerStagerReachesRealisticKappa() throws IOException {
        CohortSpec spec = CohortSpec.of(SUBJECTS, 8, 2024);
        List<double[][]> features = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        for (int k = 0; k < SUBJECTS; k++) {
            SyntheticNight night = SyntheticNight.generate(SyntheticCohort.subject(spec, k), spec.hours(),
                    SyntheticCohort.nightSeed(spec, k));
            int[] y = night.hypnogram().labels();
            double[][] x = features(ChannelResolver.defaults().resolve(night.recording()), y.length);
            zScore(x);
            features.add(x);
            labels.add(y);
        }
        List<Integer> truth = new ArrayList<>();
        List<Integer> pred = new ArrayList<>();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<double[]> trainX = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            for (int k = 0; k < SUBJECTS; k++) {
                if (k % FOLDS != fold) {
                    add(features.get(k), labels.get(k), trainX, trainY);
                }
            }
            SoftmaxRegression lr = new SoftmaxRegression(5);
            lr.fit(trainX.toArray(new double[0][]), trainY.stream().mapToInt(Integer::intValue).toArray(), 1e-3, 400);
            for (int k = fold; k < SUBJECTS; k += FOLDS) {
                int[] y = labels.get(k);
                for (int e = 0; e < y.length; e++) {
                    if (y[e] >= 0) {
                        truth.add(y[e]);
                        pred.add(lr.predict(features.get(k)[e]));
                    }
                }
            }
        }
        int[] t = truth.stream().mapToInt(Integer::intValue).toArray();
        int[] p = pred.stream().mapToInt(Integer::intValue).toArray();
        double kappa = SoftmaxRegression.kappa(t, p, 5);
        double[] f1 = SoftmaxRegression.f1(t, p, 5);
        System.out.printf(Locale.ROOT, "epochs %d, kappa %.3f, F1 W %.3f N1 %.3f N2 %.3f N3 %.3f REM %.3f%n",
                t.length, kappa, f1[0], f1[1], f1[2], f1[3], f1[4]);
        for (long[] row : SoftmaxRegression.confusion(t, p, 5)) {
            System.out.println(Arrays.toString(row));
        }
        assertTrue(kappa >= 0.55 && kappa <= 0.80, "kappa " + kappa + " outside the realistic 0.55-0.80");
        for (int c = 0; c < 5; c++) {
            assertTrue(f1[1] <= f1[c], "N1 must be the hardest class: F1 " + Arrays.toString(f1));
        }
    }

    private static void add(double[][] x, int[] y, List<double[]> xs, List<Integer> ys) {
        for (int e = 0; e < y.length; e++) {
            if (y[e] >= 0) {
                xs.add(x[e]);
                ys.add(y[e]);
            }
        }
    }

    static double[][] features(ChannelResolution res, int epochs) throws IOException {
        Modality eegModality = res.has(Modality.EEG_C3) ? Modality.EEG_C3 : Modality.EEG_C4;
        double[] eeg = res.read(eegModality);
        double fsEeg = res.sampleRate(eegModality);
        double[] eog = res.has(Modality.EOG_E1) ? res.read(Modality.EOG_E1) : null;
        double fsEog = eog == null ? 0 : res.sampleRate(Modality.EOG_E1);
        double[] emg = res.read(Modality.EMG_CHIN);
        double fsEmg = res.sampleRate(Modality.EMG_CHIN);
        double[][] x = new double[epochs][];
        for (int e = 0; e < epochs; e++) {
            double[] f = new double[2 * BANDS.length + 1 + 2 + 1];
            Psd psd = Welch.psd(SignalMeasures.slice(eeg, fsEeg, e * 30, 30), fsEeg, (int) (2 * fsEeg));
            double total = power(psd, 0.5, 30);
            for (int b = 0; b < BANDS.length; b++) {
                double pw = power(psd, BANDS[b][0], BANDS[b][1]);
                f[b] = Math.log(pw + 1e-9);
                f[BANDS.length + b] = Math.log((pw + 1e-9) / (total + 1e-9));
            }
            f[2 * BANDS.length] = Math.log(total + 1e-9);
            if (eog != null) {
                Psd o = Welch.psd(SignalMeasures.slice(eog, fsEog, e * 30, 30), fsEog, (int) (2 * fsEog));
                f[2 * BANDS.length + 1] = Math.log(power(o, 0.3, 2) + 1e-9);
                f[2 * BANDS.length + 2] = Math.log(power(o, 0.3, 0.45 * fsEog) + 1e-9);
            }
            f[2 * BANDS.length + 3] = Math.log(SignalMeasures.rms(SignalMeasures.slice(emg, fsEmg, e * 30, 30)) + 1e-6);
            x[e] = f;
        }
        return x;
    }

    private static double power(Psd psd, double lo, double hi) {
        double s = 0;
        for (int i = 0; i < psd.freqs().length; i++) {
            if (psd.freqs()[i] >= lo && psd.freqs()[i] < hi) {
                s += psd.power()[i];
            }
        }
        return s * psd.resolution();
    }

    private static void zScore(double[][] x) {
        int f = x[0].length;
        for (int j = 0; j < f; j++) {
            double m = 0;
            for (double[] row : x) {
                m += row[j] / x.length;
            }
            double v = 0;
            for (double[] row : x) {
                v += (row[j] - m) * (row[j] - m) / x.length;
            }
            double sd = Math.sqrt(v);
            for (double[] row : x) {
                row[j] = sd > 1e-9 ? (row[j] - m) / sd : 0;
            }
        }
    }
}

package ai.hypnos.core.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Independent measurements for the realism tests: FFT band-pass filtering, an R-peak detector
 * (band-pass, squaring, moving integration, adaptive threshold: the Pan-Tompkins idea), an RMS
 * spindle detector and slow-wave peak-to-peak amplitudes. None of this reuses generator code.
 */
final class SignalMeasures {
    private SignalMeasures() {
    }

    /** Zero-phase band-pass by zeroing FFT bins outside [lo, hi] Hz. */
    static double[] bandPass(double[] x, double fs, double lo, double hi) {
        int n = x.length;
        double[] a = x.clone();
        DoubleFFT_1D fft = new DoubleFFT_1D(n);
        fft.realForward(a);
        for (int k = 0; k <= n / 2; k++) {
            double f = k * fs / n;
            if (f < lo || f > hi) {
                if (k == 0) {
                    a[0] = 0;
                } else if (2 * k == n) {
                    a[1] = 0;
                } else {
                    a[2 * k] = 0;
                    a[2 * k + 1] = 0;
                }
            }
        }
        fft.realInverse(a, true);
        return a;
    }

    static double[] slice(double[] x, double fs, double fromSeconds, double seconds) {
        int from = (int) Math.round(fromSeconds * fs);
        int to = Math.min(x.length, from + (int) Math.round(seconds * fs));
        return Arrays.copyOfRange(x, from, to);
    }

    static double rms(double[] x) {
        double s = 0;
        double m = mean(x);
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    static double correlation(double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** R-peak times in seconds. */
    static double[] rPeaks(double[] ecg, double fs) {
        // 8-30 Hz keeps the QRS and drops P/T waves, baseline wander and AF's f waves (4-9 Hz)
        double[] f = bandPass(ecg, fs, 8, Math.min(30, 0.45 * fs));
        int win = Math.max(1, (int) Math.round(0.12 * fs));
        double[] energy = new double[f.length];
        double acc = 0;
        for (int i = 0; i < f.length; i++) {
            acc += f[i] * f[i];
            if (i >= win) {
                acc -= f[i - win] * f[i - win];
            }
            energy[i] = acc;
        }
        int refractory = (int) Math.round(0.28 * fs);
        List<Double> peaks = new ArrayList<>();
        int block = (int) Math.round(10 * fs);
        for (int start = 0; start < f.length; start += block) {
            int end = Math.min(f.length, start + block);
            double max = 0;
            for (int i = start; i < end; i++) {
                max = Math.max(max, energy[i]);
            }
            double threshold = 0.3 * max;
            int i = start;
            while (i < end) {
                if (energy[i] > threshold) {
                    int j = i;
                    while (j < end && energy[j] > threshold) {
                        j++;
                    }
                    // the R peak: largest |filtered ECG| in the energy bump (shifted back by the window)
                    int best = -1;
                    double bestV = -1;
                    for (int k = Math.max(0, i - win); k < j; k++) {
                        if (Math.abs(f[k]) > bestV) {
                            bestV = Math.abs(f[k]);
                            best = k;
                        }
                    }
                    double t = best / fs;
                    if (peaks.isEmpty() || t - peaks.get(peaks.size() - 1) > refractory / fs) {
                        peaks.add(t);
                    }
                    i = Math.max(j, best + refractory);
                } else {
                    i++;
                }
            }
        }
        return peaks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Successive RR intervals of peak times. */
    static double[] rr(double[] peaks) {
        double[] rr = new double[Math.max(0, peaks.length - 1)];
        for (int i = 1; i < peaks.length; i++) {
            rr[i - 1] = peaks[i] - peaks[i - 1];
        }
        return rr;
    }

    /** RMSSD of RR intervals over their mean: beat-to-beat irregularity, scale-free. */
    static double normalisedRmssd(double[] rr) {
        double s = 0;
        for (int i = 1; i < rr.length; i++) {
            s += (rr[i] - rr[i - 1]) * (rr[i] - rr[i - 1]);
        }
        return Math.sqrt(s / (rr.length - 1)) / mean(rr);
    }

    /**
     * Spindles in a signal: sigma-band (11-16 Hz) RMS over 0.3 s above {@code threshold} for
     * 0.5-3 s. Returns onset times in seconds.
     */
    static double[] spindles(double[] x, double fs, double threshold) {
        double[] s = bandPass(x, fs, 11, 16);
        int w = (int) Math.round(0.3 * fs);
        double acc = 0;
        double[] rms = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            acc += s[i] * s[i];
            if (i >= w) {
                acc -= s[i - w] * s[i - w];
            }
            rms[i] = Math.sqrt(Math.max(0, acc) / w);
        }
        List<Double> out = new ArrayList<>();
        int i = 0;
        while (i < rms.length) {
            if (rms[i] > threshold) {
                int j = i;
                while (j < rms.length && rms[j] > threshold) {
                    j++;
                }
                double d = (j - i) / fs;
                if (d >= 0.5 && d <= 3) {
                    out.add((i - w / 2) / fs);
                }
                i = j;
            } else {
                i++;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Peak-to-peak amplitudes of slow waves (0.3-2 Hz): for each negative half-wave lasting
     * 0.25-1 s, its trough to the following positive peak.
     */
    static double[] slowWaveAmplitudes(double[] x, double fs) {
        double[] s = bandPass(x, fs, 0.3, 2);
        List<Double> out = new ArrayList<>();
        int i = 1;
        while (i < s.length) {
            if (s[i - 1] >= 0 && s[i] < 0) {
                int j = i;
                double trough = 0;
                while (j < s.length && s[j] < 0) {
                    trough = Math.min(trough, s[j]);
                    j++;
                }
                double negSeconds = (j - i) / fs;
                int k = j;
                double peak = 0;
                while (k < s.length && s[k] >= 0) {
                    peak = Math.max(peak, s[k]);
                    k++;
                }
                if (negSeconds >= 0.25 && negSeconds <= 1.0 && k < s.length) {
                    out.add(peak - trough);
                }
                i = j;
            } else {
                i++;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

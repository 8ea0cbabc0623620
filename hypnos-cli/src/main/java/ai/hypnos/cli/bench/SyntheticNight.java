package ai.hypnos.cli.bench;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A night-long PSG-shaped recording computed on demand (nothing held in memory), for the I/O
 * benchmark: 16 channels, 6 at 256 Hz, 4 at 128 Hz, 4 at 32 Hz and 2 at 1 Hz, each a mix of two
 * sines and deterministic noise, with a 30-s "Sleep stage" annotation per epoch. Sample values
 * only need to fill the digital range realistically; their shape does not matter to I/O speed.
 */
final class SyntheticNight implements Recording {
    private static final String[] LABELS = {
        "EEG C3-M2", "EEG C4-M1", "EEG F3-M2", "EEG O1-M2", "EOG E1-M2", "EOG E2-M1",
        "EMG Chin", "ECG", "EEG F4-M1", "EEG O2-M1",
        "Resp Abdomen", "Resp Thorax", "Flow", "Snore",
        "SpO2", "Position"};
    private static final double[] RATES = {256, 256, 256, 256, 256, 256, 128, 128, 128, 128, 32, 32, 32, 32, 1, 1};
    private static final String[] STAGES = {"W", "N1", "N2", "N3", "N2", "R"};

    private final List<SignalInfo> signals = new ArrayList<>();
    private final List<Annotation> annotations = new ArrayList<>();
    private final double seconds;

    SyntheticNight(double hours) {
        this.seconds = Math.floor(hours * 3600);
        for (int i = 0; i < LABELS.length; i++) {
            signals.add(SignalInfo.of(LABELS[i], i == 14 ? "%" : "uV", RATES[i], (long) (seconds * RATES[i])));
        }
        for (int e = 0; e * 30 < seconds; e++) {
            annotations.add(new Annotation(e * 30.0, 30.0, "Sleep stage " + STAGES[(e / 20) % STAGES.length]));
        }
    }

    @Override
    public Path source() {
        return null;
    }

    @Override
    public String format() {
        return "synthetic";
    }

    @Override
    public LocalDateTime startTime() {
        return LocalDateTime.of(2024, 3, 1, 22, 30, 0);
    }

    @Override
    public double durationSeconds() {
        return seconds;
    }

    @Override
    public List<SignalInfo> signals() {
        return signals;
    }

    @Override
    public List<Segment> segments() {
        return List.of(new Segment(0, seconds, 0, 1));
    }

    @Override
    public List<Annotation> annotations() {
        return annotations;
    }

    @Override
    public double[] read(int signal, long fromSample, int count) {
        long total = signals.get(signal).sampleCount();
        long from = Math.min(Math.max(0, fromSample), total);
        int n = (int) Math.min(Math.max(0, count), total - from);
        double fs = RATES[signal];
        double w1 = 2 * Math.PI * (0.7 + signal) / fs;
        double w2 = 2 * Math.PI * 0.05 / fs;
        double[] out = new double[n];
        // sin/cos by rotation: exact enough over a block, and far cheaper than Math.sin per sample.
        double s1 = Math.sin(w1 * from), c1 = Math.cos(w1 * from), s2 = Math.sin(w2 * from), c2 = Math.cos(w2 * from);
        double cw1 = Math.cos(w1), sw1 = Math.sin(w1), cw2 = Math.cos(w2), sw2 = Math.sin(w2);
        for (int i = 0; i < n; i++) {
            long k = from + i;
            long h = (k + 1) * 0x9E3779B97F4A7C15L ^ (signal * 0xBF58476D1CE4E5B9L);
            h ^= h >>> 31;
            h *= 0x94D049BB133111EBL;
            double noise = ((h >>> 11) * 0x1.0p-53) - 0.5;
            out[i] = 60 * s1 + 30 * s2 + 20 * noise;
            double t1 = s1 * cw1 + c1 * sw1;
            c1 = c1 * cw1 - s1 * sw1;
            s1 = t1;
            double t2 = s2 * cw2 + c2 * sw2;
            c2 = c2 * cw2 - s2 * sw2;
            s2 = t2;
        }
        return out;
    }
}

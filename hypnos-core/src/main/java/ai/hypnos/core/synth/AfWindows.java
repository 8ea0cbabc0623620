package ai.hypnos.core.synth;

import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.synth.signals.BeatTrain;
import ai.hypnos.core.synth.signals.BreathTrain;
import ai.hypnos.core.synth.signals.EcgRenderer;
import ai.hypnos.core.synth.signals.EcgStyle;
import ai.hypnos.core.synth.signals.Rhythms;
import ai.hypnos.core.synth.signals.Tracks;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled set of short daytime ECG windows for the atrial-fibrillation probe: AF, sinus
 * rhythm, and other arrhythmias that a naive irregularity detector confuses with AF (frequent
 * premature beats, ventricular bigeminy and trigeminy, atrial flutter with variable block,
 * marked sinus arrhythmia, sinus brady- and tachycardia).
 *
 * <p>On disk ({@link #generate}): {@code windows/<id>.edf} (one ECG channel, EDF+C, with the
 * label and sample rate of one of several recorders), {@code labels.csv} with the header
 * {@code window,recording,label,rhythm,seconds,sample_rate,mean_hr,rr_cv,split}, and
 * {@code truth.npz} with every R peak ({@code r_peaks} seconds, {@code r_peak_window} index,
 * {@code beat_type} as in {@link GroundTruth}).
 */
public final class AfWindows {
    private static final Logger LOG = LoggerFactory.getLogger(AfWindows.class);
    /** Header of {@code labels.csv}. */
    public static final String LABELS_HEADER = "window,recording,label,rhythm,seconds,sample_rate,mean_hr,rr_cv,split";

    private static final String[] LABELS = {"ECG", "EKG", "ECG II", "ECG1"};
    private static final double[] RATES = {125, 250, 256, 500};

    private AfWindows() {
    }

    /** The class of a window. */
    public enum Label {
        AF, SINUS, OTHER;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One window.
     *
     * @param id        window id ({@code af-00001}...)
     * @param label     class
     * @param rhythm    finer rhythm name ({@code sinus}, {@code af}, {@code pvc_bigeminy}, {@code flutter}...)
     * @param recording the ECG (one channel, millivolts)
     * @param beats     the beats (R peaks, types)
     */
    public record Window(String id, Label label, String rhythm, InMemoryRecording recording, BeatTrain beats) {
        /** Mean heart rate over the window, beats per minute. */
        public double meanHr() {
            int n = beats.count();
            return n < 2 ? Double.NaN : 60.0 * (n - 1) / (beats.time(n - 1) - beats.time(0));
        }

        /** Coefficient of variation of the RR intervals. */
        public double rrCv() {
            int n = beats.count();
            if (n < 3) {
                return Double.NaN;
            }
            double mean = 0;
            for (int i = 1; i < n; i++) {
                mean += beats.rrBefore(i);
            }
            mean /= n - 1;
            double var = 0;
            for (int i = 1; i < n; i++) {
                double d = beats.rrBefore(i) - mean;
                var += d * d;
            }
            return StrictMath.sqrt(var / (n - 2)) / mean;
        }
    }

    /** Draws window {@code index} of class {@code label}. */
    public static Window window(int index, Label label, double seconds, SynthRandom rng) {
        String id = String.format(Locale.ROOT, "af-%05d", index + 1);
        int whole = (int) StrictMath.ceil(seconds) + 1;
        double age = rng.uniform(30, 90);
        double rate = rng.clampedGaussian(15, 2.5, 9, 24);
        Tracks t = new Tracks(whole);
        Arrays.fill(t.respRate, rate);
        Arrays.fill(t.respVariability, rng.uniform(0.1, 0.25));
        Arrays.fill(t.effort, 1);
        BreathTrain breaths = BreathTrain.generate(t, seconds, rng.fork("breaths"));
        SynthRandom r = rng.fork("rhythm");
        double rsa = Math.max(0.005, rng.logNormal(0.05 - 0.0004 * (age - 30), 0.35));
        double hr = rng.clampedGaussian(74, 10, 52, 105);
        String rhythm;
        BeatTrain beats;
        double flutterHz = 0;
        switch (label) {
            case AF -> {
                rhythm = "af";
                beats = Rhythms.fibrillation(rng.clampedGaussian(92, 20, 55, 150), seconds, r);
            }
            case SINUS -> {
                rhythm = "sinus";
                beats = Rhythms.sinus(hr, rsa, rng.chance(0.2) ? rng.uniform(0.1, 1) : 0, 0.5, breaths, seconds, r);
            }
            default -> {
                int kind = rng.nextInt(6);
                switch (kind) {
                    case 0 -> {
                        rhythm = "frequent_pac";
                        beats = Rhythms.sinus(hr, rsa, rng.uniform(6, 15), 0, breaths, seconds, r);
                    }
                    case 1 -> {
                        rhythm = "frequent_pvc";
                        beats = Rhythms.sinus(hr, rsa, rng.uniform(5, 12), 1, breaths, seconds, r);
                    }
                    case 2 -> {
                        boolean bigeminy = rng.chance(0.5);
                        rhythm = bigeminy ? "pvc_bigeminy" : "pvc_trigeminy";
                        beats = Rhythms.ventricularGroup(hr, bigeminy ? 2 : 3, breaths, seconds, r);
                    }
                    case 3 -> {
                        double atrial = rng.uniform(250, 340);
                        boolean variable = rng.chance(0.6);
                        rhythm = variable ? "flutter_variable_block" : "flutter";
                        beats = Rhythms.flutter(atrial, variable, seconds, r);
                        flutterHz = atrial / 60;
                    }
                    case 4 -> {
                        rhythm = "sinus_arrhythmia";
                        beats = Rhythms.sinus(rng.uniform(55, 75), rng.uniform(0.12, 0.22), 0, 0.5, breaths, seconds, r);
                    }
                    default -> {
                        boolean tachy = rng.chance(0.5);
                        rhythm = tachy ? "sinus_tachycardia" : "sinus_bradycardia";
                        double h = tachy ? rng.uniform(105, 140) : rng.uniform(38, 50);
                        beats = Rhythms.sinus(h, rsa * 0.5, rng.uniform(0, 2), 0.5, breaths, seconds, r);
                    }
                }
            }
        }
        EcgStyle style = new EcgStyle(rng.logNormal(1.1, 0.35), rng.chance(0.05),
                label == Label.AF ? rng.uniform(0.015, 0.12) : 0, flutterHz, rng.uniform(0.08, 0.2),
                rng.chance(0.25) ? rng.uniform(0.03, 0.08) : rng.uniform(0.005, 0.025), rng.uniform(0.02, 0.2));
        double[] afLevel = null;
        if (label == Label.AF) {
            afLevel = new double[whole];
            Arrays.fill(afLevel, 1);
        }
        int k = rng.nextInt(RATES.length);
        double fs = RATES[k];
        int wholeSeconds = (int) StrictMath.floor(seconds);
        double[] x = EcgRenderer.render(beats, wholeSeconds, fs, style, afLevel, breaths, rng.fork("ecg"));
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-5, Math.min(5, x[i]));
        }
        InMemoryRecording rec = InMemoryRecording.builder()
                .start(LocalDateTime.of(2001, 1, 1, 8, 0).plusMinutes(rng.nextInt(60 * 24 * 365)))
                .signal(new SignalInfo(LABELS[rng.nextInt(LABELS.length)], "AgAgCl electrode", "mV", "",
                        fs, x.length, -5, 5, -32768, 32767), x)
                .build();
        return new Window(id, label, rhythm, rec, beats);
    }

    /** The class of each window: a seeded shuffle of the requested proportions. */
    public static Label[] labels(AfSpec spec) {
        int n = spec.windows();
        int af = (int) Math.round(n * spec.afFraction());
        int other = Math.min(n - af, (int) Math.round(n * spec.otherFraction()));
        Label[] l = new Label[n];
        for (int i = 0; i < n; i++) {
            l[i] = i < af ? Label.AF : i < af + other ? Label.OTHER : Label.SINUS;
        }
        SynthRandom rng = new SynthRandom(spec.seed()).fork("labels");
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Label t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return l;
    }

    /** Generates the set into {@code outDir}; returns the windows' ids in order. */
    public static List<String> generate(AfSpec spec, Path outDir) throws IOException {
        Label[] labels = labels(spec);
        String[] splits = SyntheticCohort.splits(spec.windows(), spec.seed() ^ 0x5AF5AF5AL);
        List<String> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        double[] rPeaks = new double[0];
        int[] owner = new int[0];
        byte[] types = new byte[0];
        for (int i = 0; i < spec.windows(); i++) {
            Window w = window(i, labels[i], spec.seconds(), new SynthRandom(spec.seed()).fork("window").fork(i));
            Path file = outDir.resolve("windows").resolve(w.id() + ".edf");
            EdfWriter.write(file, w.recording(), new EdfWriter.Options().recordDuration(1)
                    .patient(w.id(), "X", null, "X").recording("synthetic", "hypnos-synth", "ecg-window"));
            SignalInfo s = w.recording().signals().get(0);
            rows.add(String.join(",", w.id(), "windows/" + w.id() + ".edf", w.label().key(), w.rhythm(),
                    fmt(s.durationSeconds()), fmt(s.sampleRate()), fmt(w.meanHr()), fmt(w.rrCv()), splits[i]));
            ids.add(w.id());
            int n = w.beats().count();
            int from = rPeaks.length;
            rPeaks = Arrays.copyOf(rPeaks, from + n);
            owner = Arrays.copyOf(owner, from + n);
            types = Arrays.copyOf(types, from + n);
            byte[] bt = w.beats().types();
            for (int b = 0; b < n; b++) {
                rPeaks[from + b] = w.beats().time(b);
                owner[from + b] = i;
                types[from + b] = bt[b];
            }
            if ((i + 1) % 100 == 0) {
                LOG.info("AF windows: {}/{}", i + 1, spec.windows());
            }
        }
        try (AtomicFile out = AtomicFile.create(outDir.resolve("labels.csv"))) {
            Writer wr = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            wr.write(LABELS_HEADER + "\n");
            for (String r : rows) {
                wr.write(r + "\n");
            }
            wr.flush();
            out.commit();
        }
        try (NpzWriter z = NpzWriter.begin(outDir.resolve("truth.npz"), true)) {
            z.put("r_peaks", NpyArray.of(rPeaks));
            z.put("r_peak_window", NpyArray.of(owner));
            z.put("beat_type", NpyArray.of(types));
            z.commit();
        }
        return ids;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

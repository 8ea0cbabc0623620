package ai.hypnos.eval.data;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.Hypnograms;
import ai.hypnos.core.annotation.NsrrXml;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.wfdb.MitAnnotationReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the label file named in a manifest's {@code annotations} column into one label per
 * 30-s window (−1 = unscored):
 * <ul>
 *   <li>{@code .npy}: an integer array {@code (N,)}, one label per window, −1 unscored (what the
 *       synthetic cohort writes), for either task;</li>
 *   <li>sleep staging: {@code .xml} (NSRR, via {@link NsrrXml}), {@code .edf} (EDF+ annotations,
 *       via {@link Hypnograms#fromAnnotations}), or a text hypnogram {@code .txt/.csv/.hyp}
 *       (one stage per line, via {@link Hypnograms#readText});</li>
 *   <li>AF: a text file with one 0/1/−1 per line ({@code .txt/.csv}; the last field of a CSV
 *       line), or a WFDB annotation file (any other extension, e.g. {@code .atr}) whose rhythm
 *       changes become window labels through {@link RhythmLabels} (AF when AFIB/AFL covers at
 *       least half of the window).</li>
 * </ul>
 */
public final class LabelFiles {
    /** The probe task, which fixes the label range. */
    public enum Task {
        STAGING(5), AF(2);

        private final int classes;

        Task(int classes) {
            this.classes = classes;
        }

        public int classes() {
            return classes;
        }

        public static Task parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "staging", "sleep", "stages" -> STAGING;
                case "af", "afib" -> AF;
                default -> throw new IllegalArgumentException("unknown task '" + s + "' (expected staging or af)");
            };
        }
    }

    private LabelFiles() {
    }

    /**
     * @param recordingSeconds length of the recording (for rhythm annotations that run to the end)
     * @param windowSeconds    window length (30)
     */
    public static int[] read(Path file, Task task, double recordingSeconds, int windowSeconds) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int[] labels;
        if (name.endsWith(".npy")) {
            NpyArray a = Npy.read(file);
            if (a.ndim() != 1 || !a.dtype().isInteger()) {
                throw new HypnosFormatException(file, "labels", a.dtype() + java.util.Arrays.toString(a.shape()),
                        "expected a 1-D integer array of labels per window");
            }
            long[] v = a.toLongArray();
            labels = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                // Checked on the stored 64-bit value: clamping first would turn −2 or −9 (often a
                // different "artefact"/"movement" code in someone's pipeline) silently into unscored
                // and report a huge label as Integer.MAX_VALUE instead of what the file holds.
                if (v[i] < -1 || v[i] >= task.classes()) {
                    throw new HypnosFormatException(file, "label[" + i + "]", v[i],
                            "outside -1.." + (task.classes() - 1) + " for task " + task + " (-1 marks unscored)");
                }
                labels[i] = (int) v[i];
            }
        } else if (task == Task.STAGING) {
            labels = stagingLabels(file, name, recordingSeconds, windowSeconds);
        } else if (name.endsWith(".txt") || name.endsWith(".csv")) {
            labels = numberPerLine(file);
        } else {
            int windows = (int) Math.floor(recordingSeconds / windowSeconds);
            labels = RhythmLabels.fromIntervals(
                    RhythmLabels.intervals(MitAnnotationReader.read(file), recordingSeconds),
                    windowSeconds, windows, 0.5, true);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < -1 || labels[i] >= task.classes()) {
                throw new HypnosFormatException(file, "label[" + i + "]", labels[i],
                        "outside -1.." + (task.classes() - 1) + " for task " + task);
            }
        }
        return labels;
    }

    private static int[] stagingLabels(Path file, String name, double recordingSeconds, int windowSeconds) throws IOException {
        Hypnogram h;
        if (name.endsWith(".xml")) {
            h = NsrrXml.read(file).hypnogram(recordingSeconds);
        } else if (name.endsWith(".edf")) {
            try (EdfRecording edf = EdfReader.open(file)) {
                h = Hypnograms.fromAnnotations(edf.annotations(), recordingSeconds);
            }
        } else if (name.endsWith(".txt") || name.endsWith(".csv") || name.endsWith(".hyp")) {
            h = Hypnograms.readText(file);
        } else {
            throw new HypnosFormatException(file, "annotations", name,
                    "unsupported label file for sleep staging (use .npy, .xml, .edf or a text hypnogram)");
        }
        if (Math.abs(h.epochSeconds() - windowSeconds) > 1e-9) {
            throw new HypnosFormatException(file, "epoch length", h.epochSeconds(), "expected " + windowSeconds + " s epochs");
        }
        return h.labels();
    }

    private static int[] numberPerLine(Path file) throws IOException {
        List<Integer> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String t = raw.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int comma = t.lastIndexOf(',');
            if (comma >= 0) {
                t = t.substring(comma + 1).trim();
            }
            try {
                out.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw new HypnosFormatException(file, "line " + lineNo, t, "expected an integer label (0, 1 or -1)");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

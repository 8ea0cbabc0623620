package ai.hypnos.eval.protocol;

import ai.hypnos.eval.metrics.ClassificationMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe's predictions on test rows, with enough identity per row (subject, recording, window
 * index) to rebuild a predicted hypnogram or pair results by subject.
 *
 * @param subject    subject per row
 * @param recording  recording per row
 * @param index      epoch/window index within the recording
 * @param yTrue      true label
 * @param yPred      predicted label (argmax of the probabilities)
 * @param proba      class probabilities per row
 * @param classNames names of labels 0..K-1
 */
public record Predictions(String[] subject, String[] recording, int[] index, int[] yTrue, int[] yPred,
                          double[][] proba, List<String> classNames) {

    public Predictions {
        int n = yTrue.length;
        if (subject.length != n || recording.length != n || index.length != n || yPred.length != n || proba.length != n) {
            throw new IllegalArgumentException("prediction columns differ in length");
        }
        classNames = List.copyOf(classNames);
    }

    public int size() {
        return yTrue.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Accuracy, κ, F1… of these rows. */
    public ClassificationMetrics metrics() {
        return ClassificationMetrics.compute(yTrue, yPred, numClasses());
    }

    /** The probability of class {@code k} per row (e.g. the AF score for k = 1). */
    public double[] scores(int k) {
        double[] s = new double[proba.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = proba[i][k];
        }
        return s;
    }

    /** Subject index per row, subjects numbered in order of first appearance (for bootstraps). */
    public int[] subjectGroups() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] g = new int[subject.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = ids.computeIfAbsent(subject[i], k -> ids.size());
        }
        return g;
    }

    /** Distinct subjects in order of first appearance. */
    public List<String> subjects() {
        return new ArrayList<>(new java.util.LinkedHashSet<>(Arrays.asList(subject)));
    }

    /** The rows of one subject. */
    public Predictions ofSubject(String s) {
        int[] rows = java.util.stream.IntStream.range(0, subject.length).filter(i -> subject[i].equals(s)).toArray();
        return select(rows);
    }

    /** Metrics per subject, keyed by subject, in order of first appearance. */
    public Map<String, ClassificationMetrics> metricsBySubject() {
        Map<String, ClassificationMetrics> out = new LinkedHashMap<>();
        for (String s : subjects()) {
            out.put(s, ofSubject(s).metrics());
        }
        return out;
    }

    /** These rows in the given order. */
    public Predictions select(int[] rows) {
        String[] s = new String[rows.length];
        String[] r = new String[rows.length];
        int[] idx = new int[rows.length];
        int[] t = new int[rows.length];
        int[] p = new int[rows.length];
        double[][] pr = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            s[i] = subject[rows[i]];
            r[i] = recording[rows[i]];
            idx[i] = index[rows[i]];
            t[i] = yTrue[rows[i]];
            p[i] = yPred[rows[i]];
            pr[i] = proba[rows[i]];
        }
        return new Predictions(s, r, idx, t, p, pr, classNames);
    }

    /** Rows of several prediction sets, concatenated. */
    public static Predictions concat(List<Predictions> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int n = parts.stream().mapToInt(Predictions::size).sum();
        String[] s = new String[n];
        String[] r = new String[n];
        int[] idx = new int[n];
        int[] t = new int[n];
        int[] p = new int[n];
        double[][] pr = new double[n][];
        int off = 0;
        for (Predictions q : parts) {
            if (!q.classNames.equals(parts.get(0).classNames)) {
                throw new IllegalArgumentException("cannot concatenate predictions over different classes");
            }
            int m = q.size();
            System.arraycopy(q.subject, 0, s, off, m);
            System.arraycopy(q.recording, 0, r, off, m);
            System.arraycopy(q.index, 0, idx, off, m);
            System.arraycopy(q.yTrue, 0, t, off, m);
            System.arraycopy(q.yPred, 0, p, off, m);
            System.arraycopy(q.proba, 0, pr, off, m);
            off += m;
        }
        return new Predictions(s, r, idx, t, p, pr, parts.get(0).classNames);
    }
}

package ai.hypnos.eval.data;

import ai.hypnos.eval.linalg.FloatMatrix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labelled feature rows grouped by subject: the input of every probe protocol. One row per
 * scored epoch (sleep staging) or window (AF); unscored rows are never stored.
 *
 * <p>Each row knows its subject, its recording and its index within that recording (epoch
 * number counted from the recording start, unscored epochs included), so predictions can be put
 * back on a hypnogram. Subjects keep the order in which they were added.
 */
public final class LabeledDataset {
    private final FloatMatrix x;
    private final int[] y;
    private final List<String> subjects;
    private final int[] subjectOfRow;
    private final List<String> recordings;
    private final int[] recordingOfRow;
    private final int[] index;
    private final List<String> classNames;

    LabeledDataset(FloatMatrix x, int[] y, List<String> subjects, int[] subjectOfRow, List<String> recordings,
                   int[] recordingOfRow, int[] index, List<String> classNames) {
        this.x = x;
        this.y = y;
        this.subjects = List.copyOf(subjects);
        this.subjectOfRow = subjectOfRow;
        this.recordings = List.copyOf(recordings);
        this.recordingOfRow = recordingOfRow;
        this.index = index;
        this.classNames = List.copyOf(classNames);
    }

    /** A builder for datasets whose labels are {@code 0..classNames.size()-1}. */
    public static Builder builder(List<String> classNames) {
        return new Builder(classNames);
    }

    /** Features, one row per labelled epoch/window. */
    public FloatMatrix x() {
        return x;
    }

    /** Labels (0..numClasses-1), one per row. */
    public int[] y() {
        return y;
    }

    public int size() {
        return y.length;
    }

    public int numFeatures() {
        return x.cols();
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Class names, index = label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Distinct subjects, in order of first appearance. */
    public List<String> subjects() {
        return subjects;
    }

    /** Subject index (into {@link #subjects()}) of every row. */
    public int[] subjectIndex() {
        return subjectOfRow;
    }

    public String subjectOf(int row) {
        return subjects.get(subjectOfRow[row]);
    }

    public String recordingOf(int row) {
        return recordings.get(recordingOfRow[row]);
    }

    /** Index of the row's epoch (window) within its recording. */
    public int indexOf(int row) {
        return index[row];
    }

    /** Row indices of the given subjects, ascending. */
    public int[] rowsOf(Collection<String> subjectNames) {
        Set<Integer> wanted = new HashSet<>();
        for (String s : subjectNames) {
            int i = subjects.indexOf(s);
            if (i >= 0) {
                wanted.add(i);
            }
        }
        int count = 0;
        for (int s : subjectOfRow) {
            count += wanted.contains(s) ? 1 : 0;
        }
        int[] rows = new int[count];
        int k = 0;
        for (int r = 0; r < subjectOfRow.length; r++) {
            if (wanted.contains(subjectOfRow[r])) {
                rows[k++] = r;
            }
        }
        return rows;
    }

    /** The dataset restricted to these rows (in this order). */
    public LabeledDataset selectRows(int[] rows) {
        int[] ny = new int[rows.length];
        int[] ns = new int[rows.length];
        int[] nr = new int[rows.length];
        int[] ni = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ny[i] = y[rows[i]];
            ns[i] = subjectOfRow[rows[i]];
            nr[i] = recordingOfRow[rows[i]];
            ni[i] = index[rows[i]];
        }
        return compact(x.selectRows(rows), ny, subjects, ns, recordings, nr, ni, classNames);
    }

    /** A dataset whose subject and recording lists keep only those used by some row (order kept). */
    private static LabeledDataset compact(FloatMatrix x, int[] y, List<String> subjects, int[] ns,
                                          List<String> recordings, int[] nr, int[] idx, List<String> classNames) {
        int[] subjMap = remap(ns, subjects.size());
        int[] recMap = remap(nr, recordings.size());
        List<String> subj = new ArrayList<>();
        for (int s = 0; s < subjects.size(); s++) {
            if (subjMap[s] >= 0) {
                subj.add(subjects.get(s));
            }
        }
        List<String> recs = new ArrayList<>();
        for (int r = 0; r < recordings.size(); r++) {
            if (recMap[r] >= 0) {
                recs.add(recordings.get(r));
            }
        }
        for (int i = 0; i < ns.length; i++) {
            ns[i] = subjMap[ns[i]];
            nr[i] = recMap[nr[i]];
        }
        return new LabeledDataset(x, y, subj, ns, recs, nr, idx, classNames);
    }

    /** The dataset restricted to these subjects. */
    public LabeledDataset selectSubjects(Collection<String> subjectNames) {
        return selectRows(rowsOf(subjectNames));
    }

    /** Rows per class. */
    public int[] classCounts() {
        int[] c = new int[numClasses()];
        for (int v : y) {
            c[v]++;
        }
        return c;
    }

    private static int[] remap(int[] used, int n) {
        int[] map = new int[n];
        java.util.Arrays.fill(map, -1);
        boolean[] seen = new boolean[n];
        for (int u : used) {
            seen[u] = true;
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (seen[i]) {
                map[i] = k++;
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "LabeledDataset[" + size() + " rows x " + numFeatures() + " features, " + subjects.size()
                + " subjects, classes " + classNames + "]";
    }

    /**
     * Collects blocks of rows (typically one recording at a time). Rows with a negative label
     * (unscored) are dropped as they are added.
     */
    public static final class Builder {
        private final List<String> classNames;
        private final Map<String, Integer> subjectIds = new LinkedHashMap<>();
        private final Map<String, Integer> recordingIds = new LinkedHashMap<>();
        private final List<float[]> blocks = new ArrayList<>();
        private final List<int[]> labels = new ArrayList<>();
        private final List<int[]> indices = new ArrayList<>();
        private final List<int[]> subjectRef = new ArrayList<>();
        private final List<int[]> recordingRef = new ArrayList<>();
        private int cols = -1;
        private long rows;

        private Builder(List<String> classNames) {
            if (classNames.size() < 2) {
                throw new IllegalArgumentException("need at least 2 classes, got " + classNames);
            }
            this.classNames = List.copyOf(classNames);
        }

        /**
         * Adds the rows of one recording.
         *
         * @param subject   subject id
         * @param recording recording id (unique across subjects)
         * @param features  one row per epoch/window
         * @param y         label per row; negative = unscored (dropped)
         * @param index     epoch/window index per row within the recording
         * @throws IllegalArgumentException on size mismatch or a label ≥ the number of classes
         */
        public Builder add(String subject, String recording, FloatMatrix features, int[] y, int[] index) {
            if (features.rows() != y.length || index.length != y.length) {
                throw new IllegalArgumentException("recording '" + recording + "': " + features.rows() + " feature rows, "
                        + y.length + " labels, " + index.length + " indices");
            }
            if (cols >= 0 && features.cols() != cols) {
                throw new IllegalArgumentException("recording '" + recording + "' has " + features.cols()
                        + " features, earlier recordings have " + cols);
            }
            int kept = 0;
            for (int i = 0; i < y.length; i++) {
                if (y[i] >= classNames.size()) {
                    throw new IllegalArgumentException("recording '" + recording + "': label " + y[i] + " at row " + i
                            + " but only " + classNames.size() + " classes " + classNames);
                }
                kept += y[i] >= 0 ? 1 : 0;
            }
            cols = features.cols();
            int sid = subjectIds.computeIfAbsent(subject, k -> subjectIds.size());
            int rid = recordingIds.computeIfAbsent(recording, k -> recordingIds.size());
            float[] data = new float[Math.multiplyExact(kept, cols)];
            int[] ly = new int[kept];
            int[] li = new int[kept];
            int k = 0;
            for (int i = 0; i < y.length; i++) {
                if (y[i] >= 0) {
                    System.arraycopy(features.data(), i * cols, data, k * cols, cols);
                    ly[k] = y[i];
                    li[k] = index[i];
                    k++;
                }
            }
            blocks.add(data);
            labels.add(ly);
            indices.add(li);
            int[] s = new int[kept];
            java.util.Arrays.fill(s, sid);
            int[] r = new int[kept];
            java.util.Arrays.fill(r, rid);
            subjectRef.add(s);
            recordingRef.add(r);
            rows += kept;
            return this;
        }

        /** Adds rows indexed 0..n-1. */
        public Builder add(String subject, String recording, FloatMatrix features, int[] y) {
            int[] idx = new int[y.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            return add(subject, recording, features, y, idx);
        }

        public LabeledDataset build() {
            if (rows == 0) {
                throw new IllegalArgumentException("no labelled rows were added");
            }
            int n = Math.toIntExact(rows);
            float[] data = new float[Math.multiplyExact(n, cols)];
            int[] y = new int[n];
            int[] s = new int[n];
            int[] r = new int[n];
            int[] idx = new int[n];
            int off = 0;
            for (int b = 0; b < blocks.size(); b++) {
                int m = labels.get(b).length;
                System.arraycopy(blocks.get(b), 0, data, off * cols, m * cols);
                System.arraycopy(labels.get(b), 0, y, off, m);
                System.arraycopy(subjectRef.get(b), 0, s, off, m);
                System.arraycopy(recordingRef.get(b), 0, r, off, m);
                System.arraycopy(indices.get(b), 0, idx, off, m);
                off += m;
            }
            // Subjects whose rows were all unscored do not appear.
            return compact(new FloatMatrix(n, cols, data), y, new ArrayList<>(subjectIds.keySet()), s,
                    new ArrayList<>(recordingIds.keySet()), r, idx, classNames);
        }
    }
}

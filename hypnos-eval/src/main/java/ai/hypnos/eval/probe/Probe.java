package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;

/**
 * A trainable classifier on fixed features (frozen embeddings, band powers): the "probe" of
 * representation learning. Implementations: {@link LogisticRegression}, {@link MlpProbe}, and
 * {@link StandardizedProbe} that puts z-scoring in front of either.
 */
public interface Probe {

    /**
     * Trains on rows of {@code x} with labels {@code y} in {@code 0..numClasses-1}.
     *
     * @param groups subject (or recording) id per row, or {@code null}; probes that hold out a
     *               validation split hold out whole groups when given, so that neighbouring epochs
     *               of one night do not sit on both sides of the split
     * @throws IllegalArgumentException on mismatched sizes or labels outside the range
     */
    Classifier fit(FloatMatrix x, int[] y, int numClasses, int[] groups);

    /** Trains without group information. */
    default Classifier fit(FloatMatrix x, int[] y, int numClasses) {
        return fit(x, y, numClasses, null);
    }

    /** A short description for reports, e.g. {@code "logistic regression (C=1.0)"}. */
    String describe();

    /** Validates the common arguments of {@link #fit}. */
    static void checkTrainingData(FloatMatrix x, int[] y, int numClasses, int[] groups) {
        if (x.rows() != y.length) {
            throw new IllegalArgumentException("features have " + x.rows() + " rows but there are " + y.length + " labels");
        }
        if (groups != null && groups.length != y.length) {
            throw new IllegalArgumentException("groups have " + groups.length + " entries but there are " + y.length + " labels");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        if (y.length == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("label " + y[i] + " at row " + i + " is outside 0.." + (numClasses - 1));
            }
        }
    }
}

package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;

/** A trained probe: class probabilities for rows of features. */
public interface Classifier {

    /** Number of output classes (labels 0..numClasses-1). */
    int numClasses();

    /** Number of input features the classifier expects. */
    int numFeatures();

    /**
     * Class probabilities, one row per input row, {@link #numClasses()} columns summing to 1.
     *
     * @throws IllegalArgumentException if {@code x} has the wrong number of columns
     */
    double[][] predictProba(FloatMatrix x);

    /** The most probable class per row (lowest label on ties, like numpy's argmax). */
    default int[] predict(FloatMatrix x) {
        return argmax(predictProba(x));
    }

    /** Row-wise argmax (first maximum wins). */
    static int[] argmax(double[][] proba) {
        int[] out = new int[proba.length];
        for (int i = 0; i < proba.length; i++) {
            double[] p = proba[i];
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}

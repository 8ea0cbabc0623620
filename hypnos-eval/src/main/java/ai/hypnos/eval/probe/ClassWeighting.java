package ai.hypnos.eval.probe;

import java.util.Arrays;

/**
 * Per-class loss weights, as scikit-learn's {@code class_weight}: none, {@code "balanced"}
 * ({@code n_samples / (n_present_classes · count(class))}), or explicit weights per label.
 */
public final class ClassWeighting {
    private static final ClassWeighting NONE = new ClassWeighting(null, false);
    private static final ClassWeighting BALANCED = new ClassWeighting(null, true);

    private final double[] explicit;
    private final boolean balanced;

    private ClassWeighting(double[] explicit, boolean balanced) {
        this.explicit = explicit;
        this.balanced = balanced;
    }

    /** Every sample weighs 1. */
    public static ClassWeighting none() {
        return NONE;
    }

    /** Weights inversely proportional to class frequency (scikit-learn's {@code "balanced"}). */
    public static ClassWeighting balanced() {
        return BALANCED;
    }

    /** Explicit weight per label 0..n-1. */
    public static ClassWeighting of(double... weights) {
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("class weights must be finite and >= 0: " + Arrays.toString(weights));
            }
        }
        return new ClassWeighting(weights.clone(), false);
    }

    /** Parses {@code none}, {@code balanced} or a comma-separated list of weights. */
    public static ClassWeighting parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none") || t.isEmpty()) {
            return NONE;
        }
        if (t.equals("balanced")) {
            return BALANCED;
        }
        String[] parts = t.split(",");
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("class weights: expected none, balanced or numbers, got '" + text + "'");
            }
        }
        return of(w);
    }

    /** The weight of each sample, from its label. */
    public double[] sampleWeights(int[] y, int numClasses) {
        double[] perClass = perClass(y, numClasses);
        double[] w = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            w[i] = perClass[y[i]];
        }
        return w;
    }

    /** The weight of each class (1 for classes without samples under "balanced"). */
    public double[] perClass(int[] y, int numClasses) {
        double[] perClass = new double[numClasses];
        if (explicit != null) {
            if (explicit.length < numClasses) {
                throw new IllegalArgumentException("class weights given for " + explicit.length + " classes, need " + numClasses);
            }
            System.arraycopy(explicit, 0, perClass, 0, numClasses);
        } else if (balanced) {
            long[] counts = new long[numClasses];
            for (int label : y) {
                counts[label]++;
            }
            int present = 0;
            for (long c : counts) {
                present += c > 0 ? 1 : 0;
            }
            for (int k = 0; k < numClasses; k++) {
                perClass[k] = counts[k] == 0 ? 1.0 : (double) y.length / (present * (double) counts[k]);
            }
        } else {
            Arrays.fill(perClass, 1.0);
        }
        return perClass;
    }

    @Override
    public String toString() {
        return explicit != null ? Arrays.toString(explicit) : balanced ? "balanced" : "none";
    }
}

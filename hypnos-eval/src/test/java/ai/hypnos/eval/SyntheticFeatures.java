package ai.hypnos.eval;

import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.linalg.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small labelled feature sets for protocol and report tests: per subject a night of epochs whose
 * labels follow a stage-like sequence, features = class centre + subject offset + noise.
 */
public final class SyntheticFeatures {
    private SyntheticFeatures() {
    }

    /**
     * @param subjects  number of subjects ("s00", "s01"...)
     * @param epochs    epochs per subject (every 7th unscored)
     * @param dim       feature dimension
     * @param classes   number of classes
     * @param separation distance of class centres in units of the noise
     */
    public static LabeledDataset dataset(int subjects, int epochs, int dim, int classes, double separation, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[classes][dim];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < dim; j++) {
                centres[k][j] = rng.nextGaussian() * separation;
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(classes == 5 ? List.of("W", "N1", "N2", "N3", "REM").get(k) : "c" + k);
        }
        LabeledDataset.Builder b = LabeledDataset.builder(names);
        for (int s = 0; s < subjects; s++) {
            double[] offset = new double[dim];
            for (int j = 0; j < dim; j++) {
                offset[j] = rng.nextGaussian() * 0.3;
            }
            float[] x = new float[epochs * dim];
            int[] y = new int[epochs];
            int label = 0;
            for (int e = 0; e < epochs; e++) {
                if (rng.nextDouble() < 0.15) {
                    label = rng.nextInt(classes); // stages persist over several epochs
                }
                y[e] = e % 7 == 6 ? -1 : label;
                for (int j = 0; j < dim; j++) {
                    x[e * dim + j] = (float) (centres[label][j] + offset[j] + rng.nextGaussian());
                }
            }
            String id = String.format("s%02d", s);
            b.add(id, id + "-night", new FloatMatrix(epochs, dim, x), y);
        }
        return b.build();
    }
}

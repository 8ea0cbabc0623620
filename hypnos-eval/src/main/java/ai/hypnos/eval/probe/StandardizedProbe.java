package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;

/** Z-scores features on the training rows ({@link Standardizer}) and trains the inner probe. */
public final class StandardizedProbe implements Probe {
    private final Probe inner;

    public StandardizedProbe(Probe inner) {
        this.inner = inner;
    }

    @Override
    public Classifier fit(FloatMatrix x, int[] y, int numClasses, int[] groups) {
        Probe.checkTrainingData(x, y, numClasses, groups);
        Standardizer scaler = Standardizer.fit(x);
        Classifier model = inner.fit(scaler.transform(x), y, numClasses, groups);
        return new Fitted(scaler, model);
    }

    @Override
    public String describe() {
        return "standardise + " + inner.describe();
    }

    /** The fitted scaler followed by the fitted inner classifier. */
    public record Fitted(Standardizer scaler, Classifier model) implements Classifier {
        @Override
        public int numClasses() {
            return model.numClasses();
        }

        @Override
        public int numFeatures() {
            return model.numFeatures();
        }

        @Override
        public double[][] predictProba(FloatMatrix x) {
            return model.predictProba(scaler.transform(x));
        }
    }
}

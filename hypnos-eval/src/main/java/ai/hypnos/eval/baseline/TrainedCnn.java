package ai.hypnos.eval.baseline;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.hypnos.eval.protocol.Predictions;
import java.util.List;

/**
 * A trained {@link CnnBaseline} network: predicts class probabilities per labelled epoch. Holds
 * native memory; close it when done.
 */
public final class TrainedCnn implements AutoCloseable {
    private static final int PREDICT_BATCH = 64;

    private final Model model;
    private final CnnBaseline.Options options;
    private final int channels;
    private final double sampleRate;
    private final int numClasses;

    TrainedCnn(Model model, CnnBaseline.Options options, int channels, double sampleRate, int numClasses) {
        this.model = model;
        this.options = options;
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.numClasses = numClasses;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Predictions for every labelled epoch of the recordings (unscored epochs are skipped). */
    public Predictions predict(List<SignalRecording> recordings, List<String> classNames) {
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for a " + numClasses + "-class model");
        }
        for (SignalRecording r : recordings) {
            if (r.numChannels() != channels || r.sampleRate() != sampleRate) {
                throw new IllegalArgumentException("recording '" + r.recording() + "' has " + r.numChannels() + " channels at "
                        + r.sampleRate() + " Hz; the model takes " + channels + " at " + sampleRate + " Hz");
            }
        }
        List<CnnBaseline.Example> ex = new CnnBaseline(options).examples(recordings, numClasses);
        double[][] proba = probabilities(recordings, ex);
        int n = ex.size();
        String[] subject = new String[n];
        String[] recording = new String[n];
        int[] index = new int[n];
        int[] yTrue = new int[n];
        int[] yPred = new int[n];
        for (int i = 0; i < n; i++) {
            CnnBaseline.Example e = ex.get(i);
            SignalRecording r = recordings.get(e.recording());
            subject[i] = r.subject();
            recording[i] = r.recording();
            index[i] = e.epoch();
            yTrue[i] = e.label();
            yPred[i] = ai.hypnos.eval.probe.Classifier.argmax(new double[][] {proba[i]})[0];
        }
        return new Predictions(subject, recording, index, yTrue, yPred, proba, classNames);
    }

    /** Mean cross-entropy over examples (no gradients, inference mode). */
    double loss(List<SignalRecording> recs, List<CnnBaseline.Example> ex) {
        double[][] p = probabilities(recs, ex);
        double total = 0;
        for (int i = 0; i < ex.size(); i++) {
            total -= Math.log(Math.max(p[i][ex.get(i).label()], 1e-12));
        }
        return total / Math.max(1, ex.size());
    }

    private double[][] probabilities(List<SignalRecording> recs, List<CnnBaseline.Example> ex) {
        int samples = samplesPerExample();
        double[][] out = new double[ex.size()][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < ex.size(); start += PREDICT_BATCH) {
            List<CnnBaseline.Example> batch = ex.subList(start, Math.min(ex.size(), start + PREDICT_BATCH));
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray x = inputs(scope, recs, batch, samples, options);
                NDArray logits = model.getBlock().forward(ps, new NDList(x), false).singletonOrThrow();
                float[] p = logits.softmax(1).toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    double[] row = new double[numClasses];
                    for (int k = 0; k < numClasses; k++) {
                        row[k] = p[i * numClasses + k];
                    }
                    out[start + i] = row;
                }
            }
        }
        return out;
    }

    private int samplesPerExample() {
        return (int) Math.round(options.epochSeconds() * sampleRate) * (2 * options.contextEpochs() + 1);
    }

    /** {@code [B, C, T]} input of a batch: each epoch with its context, zeros outside the recording. */
    static NDArray inputs(NDManager manager, List<SignalRecording> recs, List<CnnBaseline.Example> batch, int samples,
                          CnnBaseline.Options options) {
        int c = recs.get(batch.get(0).recording()).numChannels();
        float[] data = new float[batch.size() * c * samples];
        for (int i = 0; i < batch.size(); i++) {
            CnnBaseline.Example e = batch.get(i);
            SignalRecording r = recs.get(e.recording());
            int per = (int) Math.round(options.epochSeconds() * r.sampleRate());
            long from = (long) (e.epoch() - options.contextEpochs()) * per;
            for (int ch = 0; ch < c; ch++) {
                float[] src = r.channels()[ch];
                int base = (i * c + ch) * samples;
                int lo = (int) Math.max(0, -from);
                int hi = (int) Math.min(samples, src.length - from);
                if (hi > lo) {
                    System.arraycopy(src, (int) (from + lo), data, base + lo, hi - lo);
                }
            }
        }
        return manager.create(data, new Shape(batch.size(), c, samples));
    }

    @Override
    public void close() {
        model.close();
    }
}

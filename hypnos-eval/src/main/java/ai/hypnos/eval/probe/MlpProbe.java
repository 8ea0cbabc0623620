package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.linalg.Gemm;
import ai.hypnos.eval.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLP probe: one hidden layer (ReLU or GELU), softmax output, cross-entropy (optionally
 * class-weighted), Adam on mini-batches, and early stopping on a held-out validation split — the
 * weights of the epoch with the lowest validation loss are kept.
 *
 * <p>Everything random (initialisation, validation split, batch order) comes from one seed, so a
 * fit is repeatable. When the caller gives groups (subjects), the validation split holds out
 * whole groups. Initialisation is PyTorch's {@code nn.Linear} default,
 * {@code U(-1/√fan_in, 1/√fan_in)}.
 */
public final class MlpProbe implements Probe {
    private static final Logger LOG = LoggerFactory.getLogger(MlpProbe.class);

    /**
     * @param hidden             hidden units
     * @param activation         hidden non-linearity
     * @param learningRate       Adam step size
     * @param weightDecay        L2 coefficient added to the weight gradients (not biases)
     * @param batchSize          rows per step
     * @param maxEpochs          passes over the training rows at most
     * @param patience           epochs without validation improvement before stopping
     * @param validationFraction share of rows (or groups) held out for early stopping; 0 = none
     * @param weighting          per-class loss weights
     * @param seed               seed of all randomness
     */
    public record Options(int hidden, Activation activation, double learningRate, double weightDecay,
                          int batchSize, int maxEpochs, int patience, double validationFraction,
                          ClassWeighting weighting, long seed) {
        public Options {
            if (hidden < 1 || batchSize < 1 || maxEpochs < 1 || patience < 1) {
                throw new IllegalArgumentException("hidden, batchSize, maxEpochs and patience must be >= 1");
            }
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
        }

        /** 256 ReLU units, lr 1e-3, no decay, batch 256, ≤ 200 epochs, patience 10, 10 % validation, seed 0. */
        public static Options defaults() {
            return new Options(256, Activation.RELU, 1e-3, 0.0, 256, 200, 10, 0.1, ClassWeighting.none(), 0L);
        }

        public Options withHidden(int h) {
            return new Options(h, activation, learningRate, weightDecay, batchSize, maxEpochs, patience, validationFraction, weighting, seed);
        }

        public Options withActivation(Activation a) {
            return new Options(hidden, a, learningRate, weightDecay, batchSize, maxEpochs, patience, validationFraction, weighting, seed);
        }

        public Options withLearningRate(double lr) {
            return new Options(hidden, activation, lr, weightDecay, batchSize, maxEpochs, patience, validationFraction, weighting, seed);
        }

        public Options withWeightDecay(double wd) {
            return new Options(hidden, activation, learningRate, wd, batchSize, maxEpochs, patience, validationFraction, weighting, seed);
        }

        public Options withBatchSize(int b) {
            return new Options(hidden, activation, learningRate, weightDecay, b, maxEpochs, patience, validationFraction, weighting, seed);
        }

        public Options withMaxEpochs(int e) {
            return new Options(hidden, activation, learningRate, weightDecay, batchSize, e, patience, validationFraction, weighting, seed);
        }

        public Options withPatience(int p) {
            return new Options(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, p, validationFraction, weighting, seed);
        }

        public Options withValidationFraction(double f) {
            return new Options(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, patience, f, weighting, seed);
        }

        public Options withWeighting(ClassWeighting w) {
            return new Options(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, patience, validationFraction, w, seed);
        }

        public Options withSeed(long s) {
            return new Options(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, patience, validationFraction, weighting, s);
        }
    }

    private final Options options;

    public MlpProbe(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    @Override
    public String describe() {
        return "MLP (" + options.hidden() + " " + options.activation() + " units, Adam lr " + options.learningRate()
                + ", early stopping on " + Math.round(options.validationFraction() * 100) + " %, seed " + options.seed() + ")";
    }

    @Override
    public MlpModel fit(FloatMatrix x, int[] y, int numClasses) {
        return fit(x, y, numClasses, null);
    }

    @Override
    public MlpModel fit(FloatMatrix x, int[] y, int numClasses, int[] groups) {
        Probe.checkTrainingData(x, y, numClasses, groups);
        SplittableRandom rng = new SplittableRandom(options.seed());
        int[][] split = validationSplit(y.length, groups, rng);
        int[] train = split[0];
        int[] val = split[1];
        double[] classWeight = options.weighting().perClass(subset(y, train), numClasses);

        int d = x.cols();
        int h = options.hidden();
        MlpModel model = new MlpModel(d, h, numClasses, options.activation());
        initUniform(model.w1, 1.0 / Math.sqrt(d), rng);
        initUniform(model.b1, 1.0 / Math.sqrt(d), rng);
        initUniform(model.w2, 1.0 / Math.sqrt(h), rng);
        initUniform(model.b2, 1.0 / Math.sqrt(h), rng);
        MlpModel best = new MlpModel(d, h, numClasses, options.activation());
        best.copyFrom(model);

        Trainer trainer = new Trainer(model, x, y, classWeight);
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        int epoch = 0;
        for (epoch = 1; epoch <= options.maxEpochs(); epoch++) {
            shuffle(train, rng);
            double trainLoss = trainer.epoch(train);
            if (val.length == 0) {
                bestEpoch = epoch;
                best.copyFrom(model);
                LOG.debug("epoch {}: train loss {}", epoch, trainLoss);
                continue;
            }
            double valLoss = trainer.loss(val);
            LOG.debug("epoch {}: train loss {}, validation loss {}", epoch, trainLoss, valLoss);
            double threshold = Double.isInfinite(bestLoss) ? bestLoss : bestLoss - 1e-6 * Math.abs(bestLoss);
            if (valLoss < threshold) {
                bestLoss = valLoss;
                bestEpoch = epoch;
                sinceBest = 0;
                best.copyFrom(model);
            } else if (++sinceBest >= options.patience()) {
                break;
            }
        }
        LOG.info("MLP probe: {} training / {} validation rows, best epoch {} of {} (validation loss {})",
                train.length, val.length, bestEpoch, Math.min(epoch, options.maxEpochs()),
                val.length == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", bestLoss));
        return best;
    }

    /** Splits row indices into {training, validation}. */
    private int[][] validationSplit(int n, int[] groups, SplittableRandom rng) {
        double frac = options.validationFraction();
        if (frac == 0 || n < 2) {
            return new int[][] {range(n), new int[0]};
        }
        if (groups != null) {
            LinkedHashSet<Integer> distinct = new LinkedHashSet<>();
            for (int g : groups) {
                distinct.add(g);
            }
            if (distinct.size() >= 2) {
                int[] ids = distinct.stream().mapToInt(Integer::intValue).sorted().toArray();
                shuffle(ids, rng);
                int nVal = Math.min(ids.length - 1, Math.max(1, (int) Math.round(frac * ids.length)));
                java.util.Set<Integer> held = new java.util.HashSet<>();
                for (int i = 0; i < nVal; i++) {
                    held.add(ids[i]);
                }
                List<Integer> tr = new ArrayList<>();
                List<Integer> va = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    (held.contains(groups[i]) ? va : tr).add(i);
                }
                return new int[][] {tr.stream().mapToInt(Integer::intValue).toArray(), va.stream().mapToInt(Integer::intValue).toArray()};
            }
        }
        int[] idx = range(n);
        shuffle(idx, rng);
        int nVal = Math.min(n - 1, Math.max(1, (int) Math.round(frac * n)));
        int[] va = Arrays.copyOfRange(idx, 0, nVal);
        int[] tr = Arrays.copyOfRange(idx, nVal, n);
        Arrays.sort(va);
        Arrays.sort(tr);
        return new int[][] {tr, va};
    }

    /** Mini-batch forward/backward passes and Adam updates for one model. */
    private final class Trainer {
        final MlpModel m;
        final FloatMatrix x;
        final int[] y;
        final double[] classWeight;
        final int b;
        final float[] xb;
        final float[] z1;
        final float[] a1;
        final float[] logits;
        final float[] dA1;
        final float[] w2t;
        final float[] gW1;
        final float[] gB1;
        final float[] gW2;
        final float[] gB2;
        final float[][] moments;
        final Adam adam;

        Trainer(MlpModel m, FloatMatrix x, int[] y, double[] classWeight) {
            this.m = m;
            this.x = x;
            this.y = y;
            this.classWeight = classWeight;
            this.b = options.batchSize();
            int d = m.inputs;
            int h = m.hidden;
            int k = m.classes;
            xb = new float[b * d];
            z1 = new float[b * h];
            a1 = new float[b * h];
            logits = new float[b * k];
            dA1 = new float[b * h];
            w2t = new float[k * h];
            gW1 = new float[d * h];
            gB1 = new float[h];
            gW2 = new float[h * k];
            gB2 = new float[k];
            moments = new float[][] {new float[d * h], new float[d * h], new float[h], new float[h],
                new float[h * k], new float[h * k], new float[k], new float[k]};
            adam = new Adam(options.learningRate());
        }

        /** One pass over {@code rows} (already shuffled); returns the mean training loss. */
        double epoch(int[] rows) {
            double total = 0;
            double weight = 0;
            for (int start = 0; start < rows.length; start += b) {
                int n = Math.min(b, rows.length - start);
                gather(rows, start, n);
                m.forward(xb, n, z1, a1, logits);
                MlpModel.softmaxRows(logits, n, m.classes);
                double[] lw = lossAndOutputGradient(rows, start, n);
                total += lw[0];
                weight += lw[1];
                if (lw[1] == 0) {
                    continue;
                }
                backward(n);
                adam.nextStep();
                adam.update(m.w1, gW1, moments[0], moments[1]);
                adam.update(m.b1, gB1, moments[2], moments[3]);
                adam.update(m.w2, gW2, moments[4], moments[5]);
                adam.update(m.b2, gB2, moments[6], moments[7]);
            }
            return weight == 0 ? 0 : total / weight;
        }

        /** Weighted mean cross-entropy over {@code rows}, no training. */
        double loss(int[] rows) {
            double total = 0;
            double weight = 0;
            for (int start = 0; start < rows.length; start += b) {
                int n = Math.min(b, rows.length - start);
                gather(rows, start, n);
                m.forward(xb, n, z1, a1, logits);
                MlpModel.softmaxRows(logits, n, m.classes);
                for (int i = 0; i < n; i++) {
                    int label = y[rows[start + i]];
                    double w = classWeight[label];
                    total += -w * Math.log(Math.max(logits[i * m.classes + label], 1e-30f));
                    weight += w;
                }
            }
            return weight == 0 ? 0 : total / weight;
        }

        private void gather(int[] rows, int start, int n) {
            int d = m.inputs;
            float[] src = x.data();
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, rows[start + i] * d, xb, i * d, d);
            }
        }

        /**
         * Turns the probabilities in {@code logits} into ∂loss/∂logits of the batch's weighted mean
         * loss, in place; returns {summed weighted loss, summed weight}.
         */
        private double[] lossAndOutputGradient(int[] rows, int start, int n) {
            int k = m.classes;
            double loss = 0;
            double weight = 0;
            for (int i = 0; i < n; i++) {
                int label = y[rows[start + i]];
                double w = classWeight[label];
                loss += -w * Math.log(Math.max(logits[i * k + label], 1e-30f));
                weight += w;
            }
            float inv = weight == 0 ? 0f : (float) (1.0 / weight);
            for (int i = 0; i < n; i++) {
                int label = y[rows[start + i]];
                float w = (float) classWeight[label] * inv;
                for (int c = 0; c < k; c++) {
                    int o = i * k + c;
                    logits[o] = w * (logits[o] - (c == label ? 1f : 0f));
                }
            }
            return new double[] {loss, weight};
        }

        /** Gradients of all weights from the output gradient held in {@code logits}. */
        private void backward(int n) {
            int d = m.inputs;
            int h = m.hidden;
            int k = m.classes;
            Gemm.atb(a1, logits, gW2, n, h, k, false);
            Arrays.fill(gB2, 0f);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    gB2[c] += logits[i * k + c];
                }
            }
            for (int j = 0; j < h; j++) {
                for (int c = 0; c < k; c++) {
                    w2t[c * h + j] = m.w2[j * k + c];
                }
            }
            Gemm.ab(logits, w2t, dA1, n, k, h, false);
            m.activation.backward(z1, dA1, n * h);
            Gemm.atb(xb, dA1, gW1, n, d, h, false);
            Arrays.fill(gB1, 0f);
            for (int i = 0; i < n; i++) {
                int o = i * h;
                for (int j = 0; j < h; j++) {
                    gB1[j] += dA1[o + j];
                }
            }
            float wd = (float) options.weightDecay();
            if (wd > 0) {
                for (int i = 0; i < gW1.length; i++) {
                    gW1[i] += wd * m.w1[i];
                }
                for (int i = 0; i < gW2.length; i++) {
                    gW2[i] += wd * m.w2[i];
                }
            }
        }
    }

    private static void initUniform(float[] w, double bound, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] subset(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

package ai.hypnos.eval.baseline;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.hypnos.eval.protocol.EvaluationResult;
import ai.hypnos.eval.protocol.FoldResult;
import ai.hypnos.eval.protocol.Predictions;
import ai.hypnos.eval.protocol.Scoring;
import ai.hypnos.eval.protocol.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervised baseline: an {@link EpochCnn} trained end to end on preprocessed signals with
 * the same labels and splits as the probes. Each example is one 30-s epoch with
 * {@link Options#contextEpochs()} epochs of context on each side (zeros beyond the recording).
 * Adam, cross-entropy, early stopping on held-out subjects (the best epoch's weights are kept),
 * everything seeded; the device is an option ({@code cpu}, {@code gpu}, {@code gpu:1}).
 *
 * <p>Memory: every batch lives in its own {@link NDManager} scope, closed after the optimiser
 * step (DESIGN §2), so a long training run holds flat memory.
 */
public final class CnnBaseline {
    private static final Logger LOG = LoggerFactory.getLogger(CnnBaseline.class);

    /**
     * @param filters            channels of the first conv stage
     * @param contextEpochs      epochs of context on each side of the scored epoch
     * @param epochSeconds       epoch length (30)
     * @param batchSize          examples per step
     * @param learningRate       Adam step size
     * @param maxEpochs          passes over the training epochs at most
     * @param patience           passes without validation improvement before stopping
     * @param validationFraction share of training subjects held out for early stopping
     * @param seed               seed of initialisation, shuffling and the validation split
     * @param device             DJL device name: {@code cpu}, {@code gpu}, {@code gpu:N}
     */
    public record Options(int filters, int contextEpochs, int epochSeconds, int batchSize, double learningRate,
                          int maxEpochs, int patience, double validationFraction, long seed, String device) {
        public Options {
            if (filters < 1 || contextEpochs < 0 || epochSeconds < 1 || batchSize < 1 || maxEpochs < 1 || patience < 1) {
                throw new IllegalArgumentException("CNN options must be positive (context >= 0)");
            }
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1)");
            }
        }

        /** 16 filters, ±1 epoch of context, batch 32, lr 1e-3, ≤ 30 passes, patience 5, 10 % validation, CPU. */
        public static Options defaults() {
            return new Options(16, 1, 30, 32, 1e-3, 30, 5, 0.1, 0L, "cpu");
        }

        public Options withMaxEpochs(int n) {
            return new Options(filters, contextEpochs, epochSeconds, batchSize, learningRate, n, patience, validationFraction, seed, device);
        }

        public Options withFilters(int f) {
            return new Options(f, contextEpochs, epochSeconds, batchSize, learningRate, maxEpochs, patience, validationFraction, seed, device);
        }

        public Options withSeed(long s) {
            return new Options(filters, contextEpochs, epochSeconds, batchSize, learningRate, maxEpochs, patience, validationFraction, s, device);
        }

        public Options withDevice(String d) {
            return new Options(filters, contextEpochs, epochSeconds, batchSize, learningRate, maxEpochs, patience, validationFraction, seed, d);
        }

        public Options withLearningRate(double lr) {
            return new Options(filters, contextEpochs, epochSeconds, batchSize, lr, maxEpochs, patience, validationFraction, seed, device);
        }

        public Options withBatchSize(int b) {
            return new Options(filters, contextEpochs, epochSeconds, b, learningRate, maxEpochs, patience, validationFraction, seed, device);
        }
    }

    /** One example: epoch {@code epoch} of recording {@code recording} (index into the list). */
    record Example(int recording, int epoch, int label) {
    }

    private final Options options;

    public CnnBaseline(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    public String describe() {
        return String.format(Locale.ROOT, "supervised 1-D CNN (%d filters, ±%d epochs of context, Adam lr %g, seed %d, %s)",
                options.filters(), options.contextEpochs(), options.learningRate(), options.seed(), options.device());
    }

    /**
     * Trains on the labelled epochs of {@code train}.
     *
     * @return the trained network; close it to free its native memory
     */
    public TrainedCnn fit(List<SignalRecording> train, int numClasses) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training recordings");
        }
        int channels = train.get(0).numChannels();
        double fs = train.get(0).sampleRate();
        for (SignalRecording r : train) {
            if (r.numChannels() != channels || r.sampleRate() != fs) {
                throw new IllegalArgumentException("recording '" + r.recording() + "' has " + r.numChannels() + " channels at "
                        + r.sampleRate() + " Hz; the first has " + channels + " at " + fs + " Hz");
            }
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        List<List<SignalRecording>> split = holdOutSubjects(train, rng);
        List<SignalRecording> fitSet = split.get(0);
        List<SignalRecording> valSet = split.get(1);
        List<Example> fitExamples = examples(fitSet, numClasses);
        List<Example> valExamples = examples(valSet, numClasses);
        if (fitExamples.isEmpty()) {
            throw new IllegalArgumentException("no labelled epochs to train on");
        }
        Engine.getInstance().setRandomSeed((int) options.seed());
        Device device = device(options.device());
        int samples = (int) Math.round(options.epochSeconds() * fs) * (2 * options.contextEpochs() + 1);
        Model model = Model.newInstance("hypnos-cnn-baseline", device);
        model.setBlock(EpochCnn.build(options.filters(), numClasses));
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate())).build())
                .optDevices(new Device[] {device});
        TrainedCnn trained = new TrainedCnn(model, options, channels, fs, numClasses);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(1, channels, samples));
            List<float[]> best = snapshot(model);
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            for (int pass = 1; pass <= options.maxEpochs(); pass++) {
                shuffle(fitExamples, rng);
                double trainLoss = trainPass(trainer, fitSet, fitExamples, samples);
                if (valExamples.isEmpty()) {
                    best = snapshot(model);
                    bestEpoch = pass;
                    LOG.info("CNN pass {}: train loss {}", pass, fmt(trainLoss));
                    continue;
                }
                double valLoss = trained.loss(valSet, valExamples);
                LOG.info("CNN pass {}: train loss {}, validation loss {}", pass, fmt(trainLoss), fmt(valLoss));
                if (valLoss < bestLoss) {
                    bestLoss = valLoss;
                    bestEpoch = pass;
                    sinceBest = 0;
                    best = snapshot(model);
                } else if (++sinceBest >= options.patience()) {
                    break;
                }
            }
            restore(model, best);
            LOG.info("CNN baseline: {} training / {} validation epochs, best pass {}", fitExamples.size(), valExamples.size(), bestEpoch);
        } catch (RuntimeException e) {
            trained.close();
            throw e;
        }
        return trained;
    }

    /** One pass over the shuffled examples; each batch in its own NDManager scope. */
    private double trainPass(Trainer trainer, List<SignalRecording> recs, List<Example> examples, int samples) {
        double total = 0;
        int n = 0;
        int b = options.batchSize();
        for (int start = 0; start < examples.size(); start += b) {
            List<Example> batch = examples.subList(start, Math.min(examples.size(), start + b));
            if (batch.size() < 2) {
                continue; // batch norm needs more than one example
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = TrainedCnn.inputs(scope, recs, batch, samples, options);
                NDArray y = scope.create(batch.stream().mapToInt(Example::label).toArray());
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                    gc.backward(loss);
                    total += loss.getFloat() * batch.size();
                    n += batch.size();
                }
                trainer.step();
            }
        }
        return n == 0 ? Double.NaN : total / n;
    }

    /**
     * Trains on each split's training recordings and predicts its test recordings; the result
     * is scored like the probes' ({@link Scoring}). Split i uses seed {@code options.seed() + i}.
     */
    public EvaluationResult crossValidate(List<SignalRecording> recordings, List<String> classNames, List<Split> splits,
                                          Scoring scoring, String protocol) {
        List<FoldResult> folds = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            Set<String> train = new HashSet<>(s.train());
            Set<String> test = new HashSet<>(s.test());
            List<SignalRecording> tr = recordings.stream().filter(r -> train.contains(r.subject())).toList();
            List<SignalRecording> te = recordings.stream().filter(r -> test.contains(r.subject())).toList();
            CnnBaseline fold = new CnnBaseline(options.withSeed(options.seed() + i));
            try (TrainedCnn model = fold.fit(tr, classNames.size())) {
                Predictions p = model.predict(te, classNames);
                int trainRows = examples(tr, classNames.size()).size();
                folds.add(scoring.fold(s, trainRows, p));
                LOG.info("{}: CNN kappa {}", s.name(), fmt(folds.get(folds.size() - 1).metrics().cohenKappa()));
            }
        }
        return scoring.summarize(describe(), folds, protocol);
    }

    /** Labelled epochs whose 30 s lie inside the recording. */
    List<Example> examples(List<SignalRecording> recs, int numClasses) {
        List<Example> out = new ArrayList<>();
        for (int r = 0; r < recs.size(); r++) {
            SignalRecording rec = recs.get(r);
            int per = (int) Math.round(options.epochSeconds() * rec.sampleRate());
            int whole = rec.numSamples() / per;
            for (int e = 0; e < Math.min(whole, rec.labels().length); e++) {
                int label = rec.labels()[e];
                if (label >= numClasses) {
                    throw new IllegalArgumentException("recording '" + rec.recording() + "': label " + label + " at epoch " + e
                            + " but only " + numClasses + " classes");
                }
                if (label >= 0) {
                    out.add(new Example(r, e, label));
                }
            }
        }
        return out;
    }

    private List<List<SignalRecording>> holdOutSubjects(List<SignalRecording> recs, SplittableRandom rng) {
        List<String> subjects = new ArrayList<>(new java.util.LinkedHashSet<>(recs.stream().map(SignalRecording::subject).toList()));
        if (options.validationFraction() == 0 || subjects.size() < 2) {
            return List.of(recs, List.of());
        }
        shuffle(subjects, rng);
        int nVal = Math.min(subjects.size() - 1, Math.max(1, (int) Math.round(options.validationFraction() * subjects.size())));
        Set<String> val = new HashSet<>(subjects.subList(0, nVal));
        return List.of(recs.stream().filter(r -> !val.contains(r.subject())).toList(),
                recs.stream().filter(r -> val.contains(r.subject())).toList());
    }

    /**
     * Parses {@code cpu}, {@code gpu} or {@code gpu:N}. A bare {@code gpu} means GPU 0:
     * {@code Device.fromName("gpu")} gives device id -1, which DJL's parameter store then fails
     * to match with the arrays that PyTorch places on GPU 0 (seen on an H100).
     */
    static Device device(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.equals("cuda")) {
            return Device.gpu();
        }
        if (n.startsWith("gpu:") || n.startsWith("cuda:")) {
            try {
                return Device.gpu(Integer.parseInt(n.substring(n.indexOf(':') + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + name + "' (expected cpu, gpu or gpu:N)");
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (expected cpu, gpu or gpu:N)");
    }

    private static List<float[]> snapshot(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void restore(Model model, List<float[]> values) {
        int i = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            p.getValue().getArray().set(values.get(i++));
        }
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

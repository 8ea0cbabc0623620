package ai.hypnos.train.tokenizers;

import ai.djl.Device;
import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.PreprocessResult;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.tokenizer.train.SignalSet;
import ai.hypnos.tokenizer.train.TokenizerTrainer;
import ai.hypnos.tokenizer.train.TrainingConfig;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.metrics.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one tokenizer per signal type on a cohort's training recordings: the first stage of
 * "train on your cohort". Recordings are preprocessed as for tokenization (DESIGN §4) and their
 * signals written as NPY files per signal type (memory-mapped while training, so a large cohort
 * does not have to fit in memory); then the tokenizer engineer's {@link TokenizerTrainer} trains
 * each type, and each tokenizer is saved as {@code <out>/<type>.safetensors} in the bundle layout
 * — the folder {@code hypnos tokenize --tokenizers} reads.
 */
public final class CohortTokenizerTraining {
    private static final Logger LOG = LoggerFactory.getLogger(CohortTokenizerTraining.class);

    /**
     * @param preset        tokenizer size ({@code tiny}, {@code small}, {@code base})
     * @param steps         training steps per signal type
     * @param maxRecordings training recordings used (the first by id; tokenizers need far fewer
     *                      nights than the transformer)
     * @param batchSize     windows per step (0: the preset's)
     * @param seed          initialisation and window sampling
     * @param device        where to train
     */
    public record Options(TokenizerPreset preset, long steps, int maxRecordings, int batchSize, long seed, Device device) {
        public Options {
            if (steps < 1 || maxRecordings < 1 || batchSize < 0) {
                throw new IllegalArgumentException("steps and maxRecordings must be >= 1, batchSize >= 0");
            }
        }
    }

    /** What was trained: per signal type, the file and its final metrics. */
    public record Result(Map<SignalType, Path> files, Map<SignalType, TokenizerTrainer.Metrics> metrics) {
    }

    private CohortTokenizerTraining() {
    }

    /**
     * Trains and saves the tokenizers into {@code outDir}. Its {@code signals/} scratch folder is
     * emptied before the signals are extracted and removed afterwards, whether training succeeds
     * or fails.
     */
    public static Result train(Cohort cohort, Path outDir, Options options) throws IOException {
        Path scratch = outDir.resolve("signals");
        // SignalSet trains on every .npy under the scratch folder: nights a failed or older run
        // left there (other recordings, possibly val/test subjects) would join this run's data.
        deleteTree(scratch);
        try {
            return trainFromScratch(cohort, outDir, scratch, options);
        } finally {
            try {
                deleteTree(scratch);
            } catch (IOException e) {
                // Not fatal: the next run empties the folder before it extracts anything.
                LOG.warn("could not remove the scratch folder {}: {}", scratch, e.getMessage());
            }
        }
    }

    private static Result trainFromScratch(Cohort cohort, Path outDir, Path scratch, Options options)
            throws IOException {
        Map<SignalType, Integer> counts = extractSignals(cohort, scratch, options.maxRecordings());
        Map<SignalType, Path> files = new EnumMap<>(SignalType.class);
        Map<SignalType, TokenizerTrainer.Metrics> metrics = new EnumMap<>(SignalType.class);
        for (SignalType type : SignalType.values()) {
            if (counts.getOrDefault(type, 0) == 0) {
                LOG.warn("no {} signal in the training recordings: no {} tokenizer", type.key(), type.key());
                continue;
            }
            Path file = outDir.resolve(type.key() + ".safetensors");
            metrics.put(type, trainOne(type, SignalSet.open(scratch.resolve(type.key())), file, options));
            files.put(type, file);
        }
        return new Result(files, metrics);
    }

    /** Preprocesses the training recordings, one NPY per modality under {@code scratch/<type>/}. */
    private static Map<SignalType, Integer> extractSignals(Cohort cohort, Path scratch, int max) throws IOException {
        List<CohortEntry> train = new ArrayList<>(cohort.entries(Split.TRAIN));
        train.sort(Comparator.comparing(CohortEntry::id));
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the cohort has no training recordings");
        }
        List<CohortEntry> used = train.subList(0, Math.min(max, train.size()));
        Map<SignalType, Integer> counts = new EnumMap<>(SignalType.class);
        ChannelResolver resolver = ChannelResolver.defaults();
        try (Progress progress = Progress.start("preprocess for tokenizers", 0, used.size(), "recordings", LOG)) {
            int done = 0;
            for (CohortEntry e : used) {
                try (Recording rec = Recordings.open(e.path())) {
                    ChannelResolution channels = resolver.resolve(rec);
                    PreprocessResult r = new Preprocessor(PreprocessOptions.defaults().withNotchHz(e.notch())).run(channels);
                    for (Map.Entry<Modality, float[]> s : r.arrays().entrySet()) {
                        SignalType type = s.getKey().signalType();
                        Npy.write(scratch.resolve(type.key()).resolve(e.id() + "__" + s.getKey().key() + ".npy"),
                                NpyArray.of(s.getValue(), s.getValue().length));
                        counts.merge(type, 1, Integer::sum);
                    }
                } catch (IOException | RuntimeException ex) {
                    LOG.warn("{}: left out of tokenizer training: {}", e.id(), ex.getMessage());
                }
                progress.update(++done, "");
            }
        }
        return counts;
    }

    private static TokenizerTrainer.Metrics trainOne(SignalType type, SignalSet data, Path file, Options o)
            throws IOException {
        TrainingConfig training = o.preset().training().withSeed(o.seed() + type.ordinal());
        if (o.batchSize() > 0) {
            training = training.withBatch(o.batchSize(), training.windowSeconds());
        }
        LOG.info("training the {} tokenizer ({}, {} steps) on {}", type.key(), o.preset().key(), o.steps(), data);
        try (TokenizerTrainer t = TokenizerTrainer.create(o.preset().config(type), type, data, training, o.steps(),
                o.device());
                Progress progress = Progress.start(type.key() + " tokenizer", 0, o.steps(), "steps", LOG)) {
            TokenizerTrainer.StepResult last = null;
            for (long s = 0; s < o.steps(); s++) {
                last = t.trainStep();
                progress.update(s + 1, String.format(Locale.ROOT, "loss %.4f", last.loss()));
            }
            TokenizerTrainer.Metrics m = t.evaluate();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("hypnos_training", String.format(Locale.ROOT,
                    "{\"preset\":\"%s\",\"steps\":%d,\"final_loss\":%.6f,\"signals\":%d}", o.preset().key(), o.steps(),
                    last.loss(), data.size()));
            TokenizerBundle.save(t.tokenizer(), type.key(), type.key(), file, SafetensorsDtype.F32, meta);
            LOG.info("{} tokenizer: loss {}, SNR by levels {} dB, codebook use {} -> {}", type.key(),
                    String.format(Locale.ROOT, "%.4f", last.loss()), format(m.snrDb()), format(m.codebookUse()), file);
            return m;
        }
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v[i]));
        }
        return b.append(']').toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

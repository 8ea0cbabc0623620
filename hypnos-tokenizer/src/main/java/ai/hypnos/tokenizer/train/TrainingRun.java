package ai.hypnos.tokenizer.train;

import ai.djl.Device;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tokenizer training run in an output folder — what {@code hypnos train-tokenizer} does:
 *
 * <pre>
 * OUT/tokenizer-&lt;signal&gt;.safetensors   the trained tokenizer, bundle layout (tok/&lt;signal&gt;/…)
 * OUT/checkpoints/step-&lt;n&gt;.safetensors  exact-resume checkpoints ({@link TrainingCheckpoint})
 * OUT/metrics.jsonl                      one JSON object per logged step
 * </pre>
 *
 * A run started with {@code resume} continues from the newest checkpoint in the folder, with the
 * checkpoint's tokenizer and training configuration (only the run length may change): the
 * signal must be the checkpoint's, and every other option that differs is logged as ignored.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d+)\\.safetensors");

    private TrainingRun() {}

    /** What a finished run leaves behind. */
    public record Result(Path tokenizerFile, TokenizerTrainer.Metrics metrics, long steps) {}

    /**
     * Trains (or resumes) and writes the tokenizer.
     *
     * @param resume continue from the newest checkpoint in {@code out} if there is one
     * @param floatType dtype of the final tokenizer file (checkpoints are always F32)
     */
    public static Result run(TokenizerConfig tokenizer, SignalType signal, SignalSet data, TrainingConfig config, long steps,
            Device device, Path out, boolean resume, SafetensorsDtype floatType) throws IOException {
        Files.createDirectories(out.resolve("checkpoints"));
        Optional<Path> latest = resume ? latestCheckpoint(out) : Optional.empty();
        if (!resume && latestCheckpoint(out).isPresent()) {
            throw new IllegalArgumentException(out + " already holds checkpoints of a run; resume it or choose another folder");
        }
        if (latest.isPresent()) {
            checkResumable(latest.get(), tokenizer, signal, config);
        }
        LOG.info("training a {} tokenizer on {} for {} steps on {}", signal.key(), data, steps, device);
        try (TokenizerTrainer t = latest.isPresent()
                ? TokenizerTrainer.resume(latest.get(), data, device, steps)
                : TokenizerTrainer.create(tokenizer, signal, data, config, steps, device);
                BufferedWriter metrics = metricsFrom(out.resolve("metrics.jsonl"), t.step())) {
            long start = System.nanoTime();
            long first = t.step();
            TokenizerTrainer.Metrics m = null;
            while (t.step() < t.totalSteps()) {
                TokenizerTrainer.StepResult r = t.trainStep();
                boolean log = t.step() % t.config().logEvery() == 0 || t.step() == t.totalSteps();
                if (log) {
                    m = t.evaluate();
                    double perStep = (System.nanoTime() - start) / 1e9 / (t.step() - first);
                    ObjectNode line = line(r, m, perStep);
                    metrics.write(JSON.writeValueAsString(line));
                    metrics.newLine();
                    metrics.flush();
                    LOG.info("step {}/{} loss {} l1 {} SNR(all levels) {} dB use(level 0) {} {} s/step", t.step(), t.totalSteps(),
                            fmt(r.loss()), fmt(r.l1()), fmt(m.snrDb()[m.snrDb().length - 1]), fmt(m.codebookUse()[0]), fmt(perStep));
                }
                int every = t.config().checkpointEvery();
                if (every > 0 && t.step() % every == 0 && t.step() < t.totalSteps()) {
                    t.saveCheckpoint(out.resolve("checkpoints").resolve("step-" + t.step() + ".safetensors"));
                }
            }
            if (m == null) {
                m = t.evaluate();
            }
            t.saveCheckpoint(out.resolve("checkpoints").resolve("step-" + t.step() + ".safetensors"));
            Path file = out.resolve("tokenizer-" + signal.key() + ".safetensors");
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("training", JSON.writeValueAsString(Map.of("steps", t.step(), "data", String.valueOf(data),
                    "training_config", t.config().toMap())));
            TokenizerBundle.save(t.tokenizer(), signal.key(), signal.key(), file, floatType, meta);
            LOG.info("wrote {}", file);
            return new Result(file, m, t.step());
        }
    }

    /**
     * A resumed run continues the checkpoint's model, so it must be asked for the checkpoint's
     * signal (the output file and bundle stem are named after it); the tokenizer and training
     * options come from the checkpoint too, so each one given differently is reported as ignored.
     */
    private static void checkResumable(Path checkpoint, TokenizerConfig tokenizer, SignalType signal, TrainingConfig config)
            throws IOException {
        TrainingCheckpoint.Header h;
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint)) {
            h = TrainingCheckpoint.header(f);
        }
        SignalType saved = h.run().signal();
        if (saved != signal) {
            throw new IllegalArgumentException("cannot resume " + checkpoint + ": its signal_type is '" + saved.key()
                    + "' but signal '" + signal.key() + "' was requested; resume with signal '" + saved.key()
                    + "' or train the '" + signal.key() + "' tokenizer in another folder");
        }
        warnIgnored(checkpoint, "training", config.toMap(), h.run().training().toMap());
        warnIgnored(checkpoint, "tokenizer", tokenizer.toKwargs(), h.tokenizer().toKwargs());
    }

    private static void warnIgnored(Path checkpoint, String kind, Map<String, Object> given, Map<String, Object> saved) {
        for (Map.Entry<String, Object> e : given.entrySet()) {
            Object kept = saved.get(e.getKey());
            if (!Objects.equals(e.getValue(), kept)) {
                LOG.warn("resuming {}: {} option {} = {} is ignored; the checkpoint's {} is used", checkpoint, kind, e.getKey(),
                        e.getValue(), kept);
            }
        }
    }

    /** The newest {@code checkpoints/step-<n>.safetensors} in a run folder. */
    public static Optional<Path> latestCheckpoint(Path out) throws IOException {
        Path dir = out.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
                    .max((a, b) -> Long.compare(stepOf(a), stepOf(b)));
        }
    }

    private static long stepOf(Path p) {
        Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The metrics log, opened to append after {@code step}: lines of later steps, which a killed
     * run wrote after its last checkpoint and the resumed run will write again, are dropped
     * (with a line cut short by the kill), so every step is logged once.
     */
    private static BufferedWriter metricsFrom(Path file, long step) throws IOException {
        if (Files.isRegularFile(file)) {
            StringBuilder kept = new StringBuilder();
            int dropped = 0;
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                long at;
                try {
                    at = JSON.readTree(l).path("step").asLong(Long.MAX_VALUE);
                } catch (IOException cutShort) {
                    at = Long.MAX_VALUE;
                }
                if (at <= step) {
                    kept.append(l).append('\n');
                } else {
                    dropped++;
                }
            }
            if (dropped > 0) {
                LOG.info("{}: dropped {} lines logged after step {}, the checkpoint this run resumes", file, dropped, step);
                try (AtomicFile f = AtomicFile.create(file)) {
                    f.stream().write(kept.toString().getBytes(StandardCharsets.UTF_8));
                    f.commit();
                }
            }
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static ObjectNode line(TokenizerTrainer.StepResult r, TokenizerTrainer.Metrics m, double perStep) {
        ObjectNode n = JSON.createObjectNode();
        n.put("step", m.step());
        n.put("lr", r.lr());
        n.put("loss", r.loss());
        n.put("l1", r.l1());
        n.put("spectral", r.spectral());
        n.put("commitment", r.commitment());
        n.put("grad_norm", r.gradNorm());
        n.put("seconds_per_step", perStep);
        n.set("codebook_use", JSON.valueToTree(m.codebookUse()));
        n.set("perplexity", JSON.valueToTree(m.perplexity()));
        n.set("snr_db", JSON.valueToTree(m.snrDb()));
        n.put("dead_codes_replaced", m.deadCodesReplaced());
        return n;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}

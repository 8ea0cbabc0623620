package ai.hypnos.train.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.train.data.DataPosition;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.weights.ModelParameters;
import ai.hypnos.transformer.weights.ParameterSpec;
import ai.hypnos.transformer.weights.TransformerBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training checkpoints: one safetensors file per checkpoint in {@code <run>/checkpoints/},
 * {@code step-00000100.safetensors} (the last {@code keep_last} are kept) and
 * {@code best.safetensors} (lowest validation loss).
 *
 * <p>Contents: {@code model/<name>} (float32, every trainable tensor once: in mixed precision the
 * optimiser's float32 master weights, not their float16 copies), {@code optim/m/<name>}
 * and {@code optim/v/<name>} (AdamW moments), and metadata {@code format_version} + {@code config}
 * (the model's bundle configuration — so {@link TransformerBundle} and {@code RqTransformer.load}
 * read a checkpoint as a model), {@code training_state} (step, data position, generator state,
 * optimiser step count, best validation loss, loss scale and skipped steps) and {@code pretrain_config} (the effective run
 * configuration). Written to a temporary name, then renamed: a kill never leaves half a checkpoint.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.safetensors");
    /** File name of the best checkpoint. */
    public static final String BEST = "best.safetensors";

    private final Path dir;

    public Checkpoints(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    public Path dir() {
        return dir;
    }

    /** The file of the checkpoint after {@code step} steps. */
    public Path stepFile(long step) {
        return dir.resolve(String.format(Locale.ROOT, "step-%08d.safetensors", step));
    }

    /** Step checkpoints, oldest first. */
    public List<Path> stepFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "step-*.safetensors")) {
            s.forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(stepOf(a), stepOf(b)));
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = STEP_FILE.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes a checkpoint (atomically). */
    public void save(Path file, RqTransformer model, TransformerOptimizer optimizer, TrainingState state,
            PretrainConfig config) throws IOException {
        // Every tensor is copied from the device while the file is written, one at a time: held
        // all at once (weights and both moments, as floats and as bytes) a base checkpoint took 7 GB of heap.
        SafetensorsWriter w = new SafetensorsWriter();
        ModelParameters masters = optimizer.masterWeights();
        for (ParameterSpec spec : model.parameters().layout().parameters()) {
            NDArray a = masters.get(spec.name());
            w.addLater("model/" + spec.name(), SafetensorsDtype.F32, spec.shape(), () -> floats(a));
        }
        addMoments(w, "optim/m/", optimizer.firstMoments());
        addMoments(w, "optim/v/", optimizer.secondMoments());
        ObjectNode s = ConfigLoader.JSON.createObjectNode();
        s.put("step", state.step());
        s.put("epoch", state.position().epoch());
        s.put("index", state.position().index());
        s.put("rng_state", Long.toString(state.rngState()));
        s.put("optimizer_steps", optimizer.steps());
        s.put("best_val_loss", Double.isFinite(state.bestValLoss()) ? state.bestValLoss() : null);
        s.put("best_step", state.bestStep());
        s.put("elapsed_seconds", state.elapsedSeconds());
        LossScaler.State scale = optimizer.lossScaler().state();
        s.put("loss_scale", scale.scale());
        s.put("loss_scale_clean_steps", scale.cleanSteps());
        s.put("skipped_steps", scale.skippedSteps());
        w.metadata("format_version", TransformerBundle.FORMAT_VERSION);
        w.metadata("config", TransformerBundle.configJson(model.config(), ConfigLoader.JSON.createObjectNode()).toString());
        w.metadata("training_state", s.toString());
        w.metadata("pretrain_config", ConfigLoader.toTree(config).toString());
        w.write(file);
    }

    private static void addMoments(SafetensorsWriter w, String prefix, Map<String, NDArray> moments) {
        for (Map.Entry<String, NDArray> e : moments.entrySet()) {
            NDArray a = e.getValue();
            w.addLater(prefix + e.getKey(), SafetensorsDtype.F32, a.getShape().getShape(), () -> floats(a));
        }
    }

    /** A float32 tensor's values on the host (the weights and moments of a checkpoint are float32). */
    private static float[] floats(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException(a.getName() + " is " + a.getDataType() + ", checkpoints hold float32");
        }
        return a.toFloatArray();
    }

    /** Keeps the newest {@code keep} step checkpoints, deletes older ones. */
    public void prune(int keep) throws IOException {
        List<Path> files = stepFiles();
        for (int i = 0; i < files.size() - keep; i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    /**
     * A checkpoint's metadata, read without its tensors.
     *
     * @param lossScale the loss scaler's state (null in checkpoints written before loss scaling existed)
     */
    public record Header(TrainingState state, long optimizerSteps, LossScaler.State lossScale, PretrainConfig config) {
    }

    /** Reads a checkpoint's state and configuration. */
    public static Header header(SafetensorsFile f) throws IOException {
        String text = f.metadata().get("training_state");
        String cfg = f.metadata().get("pretrain_config");
        if (text == null || cfg == null) {
            throw new HypnosFormatException(f.file(), "__metadata__.training_state", "missing",
                    "not a pretraining checkpoint");
        }
        JsonNode s = ConfigLoader.JSON.readTree(text);
        JsonNode best = s.get("best_val_loss");
        TrainingState state = new TrainingState(s.path("step").asLong(),
                new DataPosition(s.path("epoch").asLong(), s.path("index").asLong()),
                Long.parseLong(s.path("rng_state").asText()),
                best == null || best.isNull() ? Double.NaN : best.asDouble(), s.path("best_step").asLong(-1),
                s.path("elapsed_seconds").asDouble(0));
        LossScaler.State scale = s.has("loss_scale") ? new LossScaler.State(s.path("loss_scale").asDouble(),
                s.path("loss_scale_clean_steps").asLong(), s.path("skipped_steps").asLong()) : null;
        return new Header(state, s.path("optimizer_steps").asLong(), scale, ConfigLoader.fromJson(cfg));
    }

    /** The model of a checkpoint on a device (float32). */
    public static RqTransformer loadModel(Path file, Device device) throws IOException {
        return RqTransformer.load(file, device);
    }

    /** Restores an optimiser (built for the checkpoint's model) to the checkpoint's moments and step count. */
    public static void restoreOptimizer(SafetensorsFile f, TransformerOptimizer optimizer, long steps, NDManager tmp)
            throws IOException {
        restore(f, "optim/m/", optimizer.firstMoments(), tmp);
        restore(f, "optim/v/", optimizer.secondMoments(), tmp);
        optimizer.setSteps(steps);
    }

    /**
     * Restores an optimiser from a checkpoint: moments, step count and the loss scaler's state
     * (when the checkpoint has one).
     */
    public static void restoreOptimizer(SafetensorsFile f, TransformerOptimizer optimizer, Header header, NDManager tmp)
            throws IOException {
        restoreOptimizer(f, optimizer, header.optimizerSteps(), tmp);
        if (header.lossScale() != null) {
            try {
                optimizer.lossScaler().restore(header.lossScale());
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(f.file(), "__metadata__.training_state.loss_scale",
                        header.lossScale().scale(), e.getMessage(), e);
            }
        }
    }

    private static void restore(SafetensorsFile f, String prefix, Map<String, NDArray> target, NDManager tmp)
            throws IOException {
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            String key = prefix + e.getKey();
            if (!f.contains(key)) {
                throw new HypnosFormatException(f.file(), key, "missing", "optimiser state missing from checkpoint");
            }
            long[] found = f.info(key).shape();
            if (!Arrays.equals(found, e.getValue().getShape().getShape())) {
                throw new HypnosFormatException(f.file(), key, Arrays.toString(found),
                        "expected shape " + e.getValue().getShape());
            }
            e.getValue().set(new NDIndex(":"), tmp.create(f.floats(key), e.getValue().getShape()));
        }
    }

    /**
     * The newest step checkpoint that opens and reads as a checkpoint, or {@code null} if none
     * (a damaged newer file is reported and passed over).
     */
    public Path latestReadable() throws IOException {
        List<Path> files = stepFiles();
        for (int i = files.size() - 1; i >= 0; i--) {
            try (SafetensorsFile f = SafetensorsFile.open(files.get(i))) {
                header(f);
                return files.get(i);
            } catch (IOException | RuntimeException e) {
                LOG.warn("checkpoint {} is unreadable ({}); trying an older one", files.get(i), e.getMessage());
            }
        }
        return null;
    }
}

package ai.hypnos.tokenizer.train;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.tokenizer.io.TokenizerWeights;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: everything a run needs to continue exactly where it stopped, in one
 * safetensors file written atomically.
 *
 * <ul>
 *   <li>the tokenizer in the bundle layout ({@code tok/<signal>/…}, F32, including the
 *       codebooks' EMA state) — so a checkpoint also loads as a tokenizer;
 *   <li>AdamW's moments {@code optim/m/<name>} and {@code optim/v/<name>};
 *   <li>metadata {@code config} (the bundle config entry) and {@code training}: step, total
 *       steps, optimiser step count, the generator's state, each level's dead-code countdown,
 *       the training configuration and the signal type.
 * </ul>
 */
public final class TrainingCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoint() {}

    /** The run state stored next to the tensors. */
    public record RunState(long step, long totalSteps, long rngState, SignalType signal, TrainingConfig training) {}

    /** Tensor of the codebook monitor's window of counts (metrics only; older checkpoints lack it). */
    static final String MONITOR_COUNTS = "monitor/code_counts";

    public static void save(Path file, SignalTokenizer tok, AdamW optimizer, RunState run, CodebookMonitor.Snapshot monitor)
            throws IOException {
        String stem = run.signal().key();
        SafetensorsWriter w = new SafetensorsWriter();
        TokenizerWeights.write(tok, w, "tok/" + stem + "/", SafetensorsDtype.F32);
        for (Map.Entry<String, NDArray> e : optimizer.firstMoments().entrySet()) {
            w.add("optim/m/" + e.getKey(), SafetensorsDtype.F32, e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        for (Map.Entry<String, NDArray> e : optimizer.secondMoments().entrySet()) {
            w.add("optim/v/" + e.getKey(), SafetensorsDtype.F32, e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        int levels = tok.quantizer().levels().size();
        int size = tok.config().codebookSize;
        w.add(MONITOR_COUNTS, SafetensorsDtype.F32, new long[] {monitor.counts().length / ((long) levels * size), levels, size},
                monitor.counts());
        ObjectNode root = JSON.createObjectNode();
        root.set("tokenizers", JSON.createObjectNode().set(stem, TokenizerBundle.configEntry(tok.config(), stem)));
        ObjectNode training = JSON.createObjectNode();
        training.put("step", run.step());
        training.put("total_steps", run.totalSteps());
        training.put("optimizer_steps", optimizer.steps());
        training.put("rng_state", Long.toString(run.rngState()));
        training.put("signal_type", stem);
        ArrayNode countdown = training.putArray("next_unused_check");
        ArrayNode replaced = training.putArray("dead_codes_replaced");
        for (VectorQuantizer q : tok.quantizer().levels()) {
            countdown.add(q.nextUnusedCheck());
            replaced.add(q.replacedCount().toFloatArray()[0]);
        }
        training.put("monitor_recorded", monitor.recorded());
        training.set("training_config", JSON.valueToTree(run.training().toMap()));
        w.metadata("format_version", TokenizerBundle.FORMAT_VERSION);
        w.metadata("config", JSON.writeValueAsString(root));
        w.metadata("training", JSON.writeValueAsString(training));
        w.write(file);
    }

    /** What {@link #open} reads before any tensor: enough to rebuild the tokenizer and the run. */
    public record Header(TokenizerConfig tokenizer, RunState run, long optimizerSteps, int[] nextUnusedCheck,
            float[] deadCodesReplaced, long monitorRecorded) {}

    public static Header header(SafetensorsFile f) throws IOException {
        String text = f.metadata().get("training");
        if (text == null) {
            throw new HypnosFormatException(f.file(), "__metadata__.training", "missing", "not a tokenizer training checkpoint");
        }
        JsonNode t = JSON.readTree(text);
        SignalType signal = SignalType.fromKey(t.path("signal_type").asText());
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = JSON.convertValue(t.path("training_config"), LinkedHashMap.class);
        RunState run = new RunState(t.path("step").asLong(), t.path("total_steps").asLong(),
                Long.parseLong(t.path("rng_state").asText()), signal, TrainingConfig.fromMap(cfg));
        JsonNode c = t.path("next_unused_check");
        int[] countdown = new int[c.size()];
        for (int i = 0; i < countdown.length; i++) {
            countdown[i] = c.get(i).asInt();
        }
        JsonNode r = t.path("dead_codes_replaced");
        float[] replaced = new float[r.size()];
        for (int i = 0; i < replaced.length; i++) {
            replaced[i] = (float) r.get(i).asDouble();
        }
        return new Header(TokenizerBundle.config(f, signal.key()), run, t.path("optimizer_steps").asLong(), countdown,
                replaced, t.path("monitor_recorded").asLong(0));
    }

    /**
     * Restores a tokenizer, optimiser and codebook monitor (built from {@link #header}) to the
     * checkpoint's state. A checkpoint written before the monitor and the dead-code counts were
     * saved restores the training state all the same; only those two metrics then start afresh.
     */
    public static void restore(SafetensorsFile f, Header h, SignalTokenizer tok, AdamW optimizer, CodebookMonitor monitor)
            throws IOException {
        String stem = h.run().signal().key();
        TokenizerWeights.load(tok, f, "tok/" + stem + "/");
        List<VectorQuantizer> levels = tok.quantizer().levels();
        for (int i = 0; i < levels.size() && i < h.nextUnusedCheck().length; i++) {
            levels.get(i).setNextUnusedCheck(h.nextUnusedCheck()[i]);
        }
        for (int i = 0; i < levels.size() && i < h.deadCodesReplaced().length; i++) {
            levels.get(i).replacedCount().set(new NDIndex(":"), h.deadCodesReplaced()[i]);
        }
        if (f.contains(MONITOR_COUNTS)) {
            try {
                monitor.restore(new CodebookMonitor.Snapshot(f.floats(MONITOR_COUNTS), h.monitorRecorded()));
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(f.file(), MONITOR_COUNTS, java.util.Arrays.toString(f.info(MONITOR_COUNTS).shape()),
                        e.getMessage());
            }
        }
        try (NDManager tmp = tok.manager().newSubManager()) {
            restoreMoments(f, "optim/m/", optimizer.firstMoments(), tmp);
            restoreMoments(f, "optim/v/", optimizer.secondMoments(), tmp);
        }
        optimizer.setSteps(h.optimizerSteps());
    }

    private static void restoreMoments(SafetensorsFile f, String prefix, Map<String, NDArray> target, NDManager tmp) throws IOException {
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            String key = prefix + e.getKey();
            if (!f.contains(key)) {
                throw new HypnosFormatException(f.file(), key, "missing", "optimiser state missing from checkpoint");
            }
            long[] found = f.info(key).shape();
            if (!java.util.Arrays.equals(found, e.getValue().getShape().getShape())) {
                throw new HypnosFormatException(f.file(), key, java.util.Arrays.toString(found),
                        "expected shape " + e.getValue().getShape());
            }
            e.getValue().set(new NDIndex(":"), ai.hypnos.nn.HostData.floats(tmp, f.floats(key), e.getValue().getShape()));
        }
    }
}

package ai.hypnos.tokenizer.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.nn.DeviceMemory;
import ai.hypnos.nn.MatmulPeak;
import ai.hypnos.tokenizer.Rng;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import ai.hypnos.tokenizer.train.SignalSet;
import ai.hypnos.tokenizer.train.SyntheticSignals;
import ai.hypnos.tokenizer.train.TokenizerTrainer;
import ai.hypnos.tokenizer.train.TrainingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hypnos bench tokenizer}: for one preset and signal type,
 * <ol>
 *   <li><b>encode</b> a synthetic night (default 8 h of EEG): wall time and seconds of signal
 *       encoded per second ({@link SignalTokenizer#encode(float[])}, chunked, bounded memory);
 *   <li><b>train</b>: median time of a training step on a batch (default 16 × 10 s, DESIGN §11):
 *       forward, EMA codebook updates, L1 + spectral + commitment, backward, clipping, AdamW.
 * </ol>
 * and the same in PyTorch from Python ({@code bench/tokenizer/peer_torch.py}) on the same
 * weights (written to a bundle-layout file), the same night and the same batch shape, in the
 * same run and with the same number of threads. Reports the ratios (target ≤ 1.3) and how many
 * of the peer's tokens equal ours; for both of our workloads also MFU ({@link TokenizerFlops}
 * against the float32 {@link MatmulPeak} measured first) and, on a GPU, the device memory in use.
 */
public final class TokenizerBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TokenizerBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. */
    public record Options(TokenizerPreset preset, SignalType signal, int seconds, int chunkTokens, int batch,
            int trainSeconds, int trainSteps, Device device, long seed, boolean peer, String python, Path peerScript,
            boolean encode, boolean train) {}

    private final Options o;

    public TokenizerBenchmark(Options options) {
        this.o = options;
    }

    public ObjectNode run() throws IOException, InterruptedException {
        ObjectNode r = JSON.createObjectNode();
        TokenizerConfig cfg = o.preset().config(o.signal());
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch before its thread count is asked
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        r.put("preset", o.preset().key());
        r.put("signal", o.signal().key());
        r.put("device", o.device().toString());
        r.put("threads", threads);
        r.set("config", JSON.valueToTree(cfg.toKwargs()));
        // Tokenizers always run in float32: MFU is against the float32 matmul peak of this device, this run.
        double peak = MatmulPeak.gflops(o.device(), DataType.FLOAT32);
        r.put("matmul_peak_n", MatmulPeak.size(o.device(), DataType.FLOAT32));
        r.put("matmul_peak_gflops", peak);
        Path work = Files.createTempDirectory("hypnos-bench-tokenizer");
        try {
            float[] night = SyntheticSignals.generate(o.signal(), cfg.sampleRate, o.seconds(), new Rng(o.seed()));
            Path nightFile = work.resolve("night.npy");
            Npy.write(nightFile, NpyArray.of(night, night.length));
            Path weights = work.resolve("tokenizer.safetensors");
            int[][] ours = null;
            try (SignalTokenizer tok = SignalTokenizer.create(cfg, o.device(), o.seed(), o.chunkTokens())) {
                for (VectorQuantizer q : tok.quantizer().levels()) {
                    q.setInitialized(true); // both sides start from the same codebooks: no k-means in the timed steps
                }
                r.put("parameters", tok.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum());
                TokenizerBundle.save(tok, o.signal().key(), o.signal().key(), weights, SafetensorsDtype.F32, Map.of());
                if (o.encode()) {
                    tok.encode(Arrays.copyOf(night, 60 * cfg.hopLength())); // warm-up
                    long rss0 = residentKb();
                    long t0 = System.nanoTime();
                    ours = tok.encode(night);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    ObjectNode e = r.putObject("encode");
                    e.put("seconds", o.seconds());
                    e.put("chunk_tokens", o.chunkTokens());
                    e.put("wall_s", wall);
                    e.put("signal_seconds_per_s", o.seconds() / wall);
                    double gflop = TokenizerFlops.encodePerSecond(cfg) * o.seconds() / 1e9;
                    e.put("gflop", gflop);
                    e.put("mfu", gflop / wall / peak);
                    e.put("rss_growth_mb", (residentKb() - rss0) / 1024.0);
                    putDeviceMemory(e, o.device());
                    LOG.info("encoded {} s in {} s", o.seconds(), wall);
                }
                if (o.train()) {
                    r.set("train", trainTiming(tok, night, peak));
                }
            }
            if (o.peer()) {
                r.set("peer", peer(weights, nightFile, work, threads, ours));
            }
        } finally {
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return r;
    }

    private ObjectNode trainTiming(SignalTokenizer tok, float[] night, double peak) {
        TrainingConfig tc = o.preset().training().withBatch(o.batch(), o.trainSeconds()).withSchedule(1e-4, 0);
        SignalSet data = SignalSet.of(List.of(night), "benchmark night");
        List<Double> times = new ArrayList<>();
        double loss = Double.NaN;
        try (TokenizerTrainer t = new TokenizerTrainer(tok, o.signal(), data, tc, o.trainSteps() + 1)) {
            for (int s = 0; s <= o.trainSteps(); s++) {
                long t0 = System.nanoTime();
                loss = t.trainStep().loss();
                if (s > 0) { // the first step warms the allocator up
                    times.add((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("batch", o.batch());
        n.put("seconds", o.trainSeconds());
        n.put("steps", times.size());
        n.put("step_s", median(times));
        n.put("loss", loss);
        double gflop = TokenizerFlops.trainingStep(tok.config(), o.batch(), o.trainSeconds()) / 1e9;
        n.put("gflop_per_step", gflop);
        n.put("mfu", gflop / median(times) / peak);
        putDeviceMemory(n, o.device());
        return n;
    }

    /** On a GPU, the device memory in use after the work ({@link DeviceMemory}: an upper bound of its peak). */
    private static void putDeviceMemory(ObjectNode r, Device device) {
        if (device.isGpu()) {
            r.put("device_memory_in_use_mb", DeviceMemory.inUseMb(device));
        }
    }

    private JsonNode peer(Path weights, Path night, Path work, int threads, int[][] ours) throws IOException, InterruptedException {
        Path tokensOut = work.resolve("peer_tokens.npy");
        List<String> cmd = new ArrayList<>(List.of(o.python(), o.peerScript().toString(), "--weights", weights.toString(),
                "--stem", o.signal().key(), "--signal", night.toString(), "--tokens-out", tokensOut.toString(),
                "--batch", String.valueOf(o.batch()), "--train-seconds", String.valueOf(o.trainSeconds()),
                "--train-steps", String.valueOf(o.trainSteps()), "--threads", String.valueOf(threads)));
        if (!o.encode()) {
            cmd.add("--skip-encode");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            ObjectNode skipped = JSON.createObjectNode();
            skipped.put("skipped", "could not start " + o.python() + ": " + e.getMessage());
            return skipped;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            ObjectNode skipped = JSON.createObjectNode();
            skipped.put("skipped", "peer failed: " + err.strip());
            return skipped;
        }
        ObjectNode result = (ObjectNode) JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
        if (ours != null && Files.exists(tokensOut)) {
            long[] theirs = Npy.read(tokensOut).toLongArray();
            int k = ours[0].length;
            long same = 0;
            long sameFirst = 0;
            int n = Math.min(ours.length, theirs.length / k);
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < k; i++) {
                    same += ours[t][i] == theirs[t * k + i] ? 1 : 0;
                }
                sameFirst += ours[t][0] == theirs[t * k] ? 1 : 0;
            }
            result.put("tokens_equal_fraction", same / (double) (n * (long) k));
            result.put("level0_equal_fraction", sameFirst / (double) n);
        }
        return result;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static long residentKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}

package ai.hypnos.transformer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.hypnos.nn.DeviceMemory;
import ai.hypnos.nn.HostData;
import ai.hypnos.nn.MatmulPeak;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TokenBatch;
import ai.hypnos.transformer.TransformerConfig;
import ai.hypnos.transformer.embed.ChunkPass;
import ai.hypnos.transformer.embed.EmbedOptions;
import ai.hypnos.transformer.embed.Embedder;
import ai.hypnos.transformer.masking.ModalityMasker;
import ai.hypnos.transformer.nn.OpCounter;
import ai.hypnos.transformer.stream.StreamOptions;
import ai.hypnos.transformer.stream.StreamingSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The transformer benchmark ({@code hypnos bench transformer}): on one preset with the eight
 * standard modalities, (a) embed a night of random tokens in chunks — wall time, peak memory,
 * GFLOP/s against this machine's matmul peak in the run's precision, measured in the same run
 * (2048³ through DJL);
 * (b) streaming latency per second (median, p99); (c) training throughput (forward + backward of
 * the next-token loss); and, optionally, the same workloads on the same weights in PyTorch
 * ({@code bench/transformer/peer_torch.py}), side by side. Results as JSON.
 */
public final class TransformerBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TransformerBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param preset       model size
     * @param seconds      night length for (a)
     * @param chunkTokens  chunk of embedding inference
     * @param streamSteps  seconds streamed for (b) (after 30 warm-up seconds)
     * @param trainBatch   batch of (c)
     * @param trainSeconds sequence length of (c)
     * @param trainSteps   timed training steps (best is reported; one warm-up step before)
     * @param device       where the model runs
     * @param seed         initialisation and token seed
     * @param save         if not null, the initialised model is written here (published layout)
     * @param peer         run the PyTorch peer
     * @param python       Python with torch for the peer
     * @param peerScript   the peer script
     * @param workloads    which of {@code embed}, {@code stream}, {@code train} to run
     * @param dataType     the weights' and activations' type: FLOAT32 or FLOAT16 (the matmul peak is
     *                     measured in it; the PyTorch peer runs float32 only and is skipped otherwise)
     */
    public record Options(Preset preset, int seconds, int chunkTokens, int streamSteps, int trainBatch,
            int trainSeconds, int trainSteps, Device device, long seed, Path save, boolean peer, String python,
            Path peerScript, java.util.Set<String> workloads, DataType dataType, int chunksPerPass) {

        public Options {
            if (chunksPerPass < 1) {
                throw new IllegalArgumentException("chunksPerPass must be >= 1, got " + chunksPerPass);
            }
            if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
                throw new IllegalArgumentException("the benchmark runs float32 or float16, not " + dataType);
            }
        }

        /** float32 options. */
        public Options(Preset preset, int seconds, int chunkTokens, int streamSteps, int trainBatch, int trainSeconds,
                int trainSteps, Device device, long seed, Path save, boolean peer, String python, Path peerScript,
                java.util.Set<String> workloads) {
            this(preset, seconds, chunkTokens, streamSteps, trainBatch, trainSeconds, trainSteps, device, seed, save,
                    peer, python, peerScript, workloads, DataType.FLOAT32, 1);
        }
    }

    private final Options o;

    public TransformerBenchmark(Options options) {
        this.o = options;
    }

    /** Runs every workload and returns the results as one JSON object. */
    public ObjectNode run() throws IOException, InterruptedException {
        TransformerConfig config = o.preset().config();
        FlopModel flops = new FlopModel(config);
        ObjectNode out = JSON.createObjectNode();
        out.put("preset", o.preset().name().toLowerCase(java.util.Locale.ROOT));
        out.put("device", o.device().toString());
        out.put("data_type", o.dataType().toString());
        out.put("threads", intraOpThreads());
        out.put("parameters", ai.hypnos.transformer.weights.ParameterLayout.of(config).parameterCount());
        double peak = MatmulPeak.gflops(o.device(), o.dataType());
        out.put("matmul_peak_gflops", peak);
        out.put("matmul_peak_n", MatmulPeak.size(o.device(), o.dataType()));
        LOG.info("{} matmul peak ({}^3 through DJL): {} GFLOP/s", o.dataType(), MatmulPeak.size(o.device(),
                o.dataType()), String.format("%.1f", peak));
        Path bundle = o.save();
        boolean peer = o.peer() && o.dataType() == DataType.FLOAT32;
        try (RqTransformer model = RqTransformer.initialize(config, o.device(), o.dataType(), o.seed())) {
            if (bundle == null && peer) {
                bundle = Files.createTempFile("hypnos-bench-", ".safetensors");
                bundle.toFile().deleteOnExit();
            }
            if (bundle != null) {
                model.save(bundle);
                out.put("bundle", bundle.toString());
            }
            if (o.workloads().contains("embed")) {
                out.set("embed", embed(model, flops, peak));
            }
            if (o.workloads().contains("stream")) {
                out.set("stream", stream(model));
            }
            if (o.workloads().contains("train")) {
                out.set("train", train(model, flops, peak));
            }
        }
        if (peer && (o.workloads().contains("embed") || o.workloads().contains("train"))) {
            out.set("peer", peer(bundle, flops, peak));
        } else if (o.peer() && o.dataType() != DataType.FLOAT32) {
            out.putObject("peer").put("skipped", "the PyTorch peer runs float32 only; compare " + o.dataType()
                    + " runs across devices instead");
        }
        return out;
    }

    private ObjectNode embed(RqTransformer model, FlopModel flops, double peak) {
        TokenBatch night = randomNight(model, 1, o.seconds(), o.seed());
        EmbedOptions options = new EmbedOptions(o.chunkTokens());
        Embedder embedder = new Embedder(model);
        int perPass = o.chunksPerPass();
        Double cold = null;
        if (model.parameters().manager().getDevice().isGpu()) {
            // The first pass on a GPU pays for CUDA's allocations and cuBLAS/cuDNN's choices for
            // each new shape; time the second, the steady state of a cohort run.
            long w0 = System.nanoTime();
            embedder.embed(night, options, perPass);
            cold = (System.nanoTime() - w0) / 1e9;
        }
        resetPeaks();
        OpCounter.setEnabled(true);
        OpCounter.reset();
        long t0 = System.nanoTime();
        embedder.embed(night, options, perPass);
        double wall = (System.nanoTime() - t0) / 1e9;
        long ops = OpCounter.reset();
        OpCounter.setEnabled(false);
        double f = flops.embed(o.seconds(), o.chunkTokens(), model.layout().numModalities());
        ObjectNode r = JSON.createObjectNode();
        r.put("seconds", o.seconds());
        r.put("chunk_tokens", o.chunkTokens());
        r.put("wall_s", wall);
        r.put("chunks_per_pass", perPass);
        if (cold != null) {
            r.put("device_only_s", deviceOnly(model, night, options.chunkTokens(), perPass));
            r.put("first_pass_wall_s", cold);
        }
        r.put("modality_seconds_per_s", o.seconds() * (double) model.layout().numModalities() / wall);
        r.put("gflop", f / 1e9);
        r.put("gflops", f / wall / 1e9);
        r.put("mfu", f / wall / 1e9 / peak);
        r.put("peak_rss_mb", peakRssMb());
        putDeviceMemory(r, model);
        r.put("peak_heap_mb", peakHeapMb());
        r.put("ops_per_chunk", ops / (double) ((o.seconds() + o.chunkTokens() - 1) / o.chunkTokens()));
        LOG.info("embed: {} s of 8 modalities in {} s", o.seconds(), String.format("%.2f", wall));
        return r;
    }

    /**
     * The passes of {@link Embedder} without the copy of the embeddings to the host (one scalar
     * per pass is read back to wait for the device): how much of a GPU pass is host work.
     */
    private static double deviceOnly(RqTransformer model, TokenBatch night, int chunk, int perPass) {
        long t0 = System.nanoTime();
        for (ChunkPass pass : ChunkPass.plan(night.seconds(), chunk, perPass)) {
            try (NDManager scope = model.parameters().manager().newSubManager()) {
                model.temporalForward(pass.tokens(night), scope).sum().getFloat();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private ObjectNode stream(RqTransformer model) {
        int m = model.layout().numModalities();
        boolean[] presence = new boolean[m];
        Arrays.fill(presence, true);
        int[] channels = TokenBatch.defaultChannelIds(model.layout());
        TokenBatch tokens = randomNight(model, 1, Math.min(o.streamSteps() + 30, 4096), o.seed() + 1);
        if (o.streamSteps() > 1000) {
            LOG.info("streaming {} s of 8 modalities ...", o.streamSteps());
        }
        double[] ms = new double[o.streamSteps()];
        OpCounter.setEnabled(true);
        long ops;
        double heapGrowth;
        double rssGrowth;
        int heldGrowth;
        try (StreamingSession s = model.stream(new StreamOptions(presence, channels, o.chunkTokens()))) {
            int[] row = new int[tokens.totalK()];
            for (int t = 0; t < 30; t++) {
                s.push(row(tokens, t % tokens.seconds(), row));
            }
            OpCounter.reset();
            System.gc();
            long heap0 = heapUsedBytes();
            double rss0 = currentRssMb();
            int held = s.heldArrays();
            for (int t = 0; t < ms.length; t++) {
                row(tokens, (t + 30) % tokens.seconds(), row);
                long t0 = System.nanoTime();
                s.push(row);
                ms[t] = (System.nanoTime() - t0) / 1e6;
            }
            ops = OpCounter.reset();
            System.gc();
            heapGrowth = (heapUsedBytes() - heap0) / 1048576.0;
            rssGrowth = currentRssMb() - rss0;
            heldGrowth = s.heldArrays() - held;
        }
        OpCounter.setEnabled(false);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        ObjectNode r = JSON.createObjectNode();
        r.put("steps", ms.length);
        r.put("median_ms", sorted[sorted.length / 2]);
        r.put("p99_ms", sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)]);
        r.put("mean_ms", Arrays.stream(ms).average().orElse(0));
        r.put("ops_per_step", ops / (double) ms.length);
        r.put("heap_growth_mb", heapGrowth);
        r.put("rss_growth_mb", rssGrowth);
        r.put("session_arrays_growth", heldGrowth);
        LOG.info("stream: median {} ms per second", String.format("%.2f", sorted[sorted.length / 2]));
        return r;
    }

    private ObjectNode train(RqTransformer model, FlopModel flops, double peak) {
        TokenBatch batch = randomNight(model, o.trainBatch(), o.trainSeconds(), o.seed() + 2);
        ModalityMasker masker = ModalityMasker.fromConfig(model.config());
        SplittableRandom rng = new SplittableRandom(o.seed());
        model.parameters().requireGradients(true);
        resetPeaks();
        double best = Double.POSITIVE_INFINITY;
        long ops = 0;
        float loss = Float.NaN;
        OpCounter.setEnabled(true);
        for (int step = 0; step <= o.trainSteps(); step++) {
            OpCounter.reset();
            long t0 = System.nanoTime();
            try (NDManager m = model.parameters().manager().newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                var out = model.trainingForward(batch, masker.sample(batch.batch(), model.layout().numModalities(),
                        batch.presence(), rng), m);
                // float16: a float32 factor of shape [1] keeps the backward's start in float32 (casts are not
                // differentiable in DJL; promotion is), as fp16 pretraining does with its loss scale
                gc.backward(o.dataType() == DataType.FLOAT32 ? out.loss()
                        : out.loss().mul(HostData.floats(m, new float[] {1f}, new Shape(1))));
                loss = out.lossValue();
            }
            model.parameters().zeroGradients();
            double s = (System.nanoTime() - t0) / 1e9;
            ops = OpCounter.reset();
            if (step > 0) {
                best = Math.min(best, s);
            }
            LOG.info("train step {}: {} s", step, String.format("%.2f", s));
        }
        OpCounter.setEnabled(false);
        model.parameters().requireGradients(false);
        double f = flops.trainingStep(o.trainBatch(), o.trainSeconds());
        int m = model.layout().numModalities();
        ObjectNode r = JSON.createObjectNode();
        r.put("batch", o.trainBatch());
        r.put("seconds", o.trainSeconds());
        r.put("step_s", best);
        r.put("loss", loss);
        r.put("modality_seconds_per_s", o.trainBatch() * o.trainSeconds() * (double) m / best);
        r.put("tokens_per_s", o.trainBatch() * o.trainSeconds() * (double) model.layout().totalK() / best);
        r.put("gflops", f / best / 1e9);
        r.put("mfu", f / best / 1e9 / peak);
        r.put("peak_rss_mb", peakRssMb());
        putDeviceMemory(r, model);
        r.put("ops_per_step", ops);
        return r;
    }

    private JsonNode peer(Path bundle, FlopModel flops, double peak) throws IOException, InterruptedException {
        ObjectNode r = JSON.createObjectNode();
        if (!Files.exists(o.peerScript())) {
            r.put("skipped", "peer script " + o.peerScript() + " not found (run from the repository root)");
            return r;
        }
        TransformerConfig c = o.preset().config();
        for (String attention : List.of("dense", "blockwise")) {
            List<String> cmd = new ArrayList<>(List.of(o.python(), o.peerScript().toString(), bundle.toString(),
                    "--seconds", Integer.toString(o.seconds()), "--chunk", Integer.toString(o.chunkTokens()),
                    "--batch", Integer.toString(o.trainBatch()), "--train-seconds", Integer.toString(o.trainSeconds()),
                    "--steps", Integer.toString(Math.max(1, o.trainSteps())), "--attention", attention,
                    "--threads", Integer.toString(intraOpThreads()),
                    "--workloads", String.join(",", o.workloads().stream().filter(w -> !w.equals("stream")).toList())));
            LOG.info("running peer: {}", String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                r.put("error_" + attention, "peer failed: " + (p.isAlive() ? "timeout" : "exit " + p.exitValue()));
                continue;
            }
            ObjectNode side = r.putObject(attention);
            for (String line : text.strip().split("\n")) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode j = JSON.readTree(line);
                ObjectNode w = (ObjectNode) j;
                if ("embed".equals(j.path("workload").asText())) {
                    double f = flops.embed(o.seconds(), o.chunkTokens(), c.numModalities());
                    w.put("gflops", f / j.get("wall_s").asDouble() / 1e9);
                    w.put("mfu", f / j.get("wall_s").asDouble() / 1e9 / peak);
                    side.set("embed", w);
                } else if ("train".equals(j.path("workload").asText())) {
                    double f = flops.trainingStep(o.trainBatch(), o.trainSeconds());
                    w.put("gflops", f / j.get("step_s").asDouble() / 1e9);
                    w.put("tokens_per_s", o.trainBatch() * o.trainSeconds()
                            * (double) new ModalityLayout(c.modalities()).totalK()
                            / j.get("step_s").asDouble());
                    side.set("train", w);
                }
            }
        }
        return r;
    }

    /** libtorch's intra-op thread count as DJL sets it (its property, else the processor count). */
    static int intraOpThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    /** Uniform random tokens for all modalities, all present, standard channel ids. */
    static TokenBatch randomNight(RqTransformer model, int batch, int seconds, long seed) {
        var layout = model.layout();
        int k = layout.totalK();
        int[] vocab = new int[k];
        for (int i = 0; i < layout.numModalities(); i++) {
            for (int q = 0; q < layout.modality(i).numQuantizers(); q++) {
                vocab[layout.columnOffset(i) + q] = layout.modality(i).codebookSize();
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] tokens = new int[batch * seconds * k];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(vocab[i % k]);
        }
        int m = layout.numModalities();
        boolean[] presence = new boolean[batch * m];
        Arrays.fill(presence, true);
        int[] channels = new int[batch * m];
        int[] def = TokenBatch.defaultChannelIds(layout);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(def, 0, channels, b * m, m);
        }
        return TokenBatch.of(batch, seconds, k, tokens, presence, channels);
    }

    private static int[] row(TokenBatch b, int t, int[] row) {
        for (int c = 0; c < row.length; c++) {
            row[c] = b.token(0, t, c);
        }
        return row;
    }

    /** Resets the process's peak RSS (Linux {@code clear_refs} 5) and the heap pools' peaks. */
    static void resetPeaks() {
        System.gc();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot reset the peak RSS: {}", e.toString());
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Peak resident memory of the process since the last reset (Linux VmHWM), MB; heap and native. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            LOG.debug("no /proc/self/status: {}", e.toString());
        }
        return Double.NaN;
    }

    /** On a GPU, the device memory in use after a workload ({@link DeviceMemory}: an upper bound of its peak). */
    private static void putDeviceMemory(ObjectNode r, RqTransformer model) {
        Device d = model.parameters().manager().getDevice();
        if (d.isGpu()) {
            r.put("device_memory_in_use_mb", DeviceMemory.inUseMb(d));
        }
    }

    /** Current resident memory of the process (Linux VmRSS), MB. */
    static double currentRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            LOG.debug("no /proc/self/status: {}", e.toString());
        }
        return Double.NaN;
    }

    private static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sum of the heap pools' peaks since the last reset, MB (an upper bound of the heap's peak). */
    static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }
}

package ai.hypnos.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.embed.Devices;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.EmbeddingMatrix;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.Precision;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.bundle.RandomBundle;
import ai.hypnos.embed.pipeline.ChunkedEmbedder;
import ai.hypnos.embed.pipeline.ModalityBinding;
import ai.hypnos.embed.stream.EmbeddingStream;
import ai.hypnos.embed.stream.StreamOptions;
import ai.hypnos.nn.MatmulPeak;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.bench.TokenizerFlops;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.bench.FlopModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos bench embed}: the whole embedding pipeline ({@code HypnosModel.embed}, what
 * {@code hypnos embed} runs) on a synthetic night with a randomly initialised bundle of a preset
 * size: load the bundle from disk, then resolve → preprocess → tokenize → chunked transformer
 * over 8 modalities, then a live stream of the same channels. Reports wall time per stage, peak
 * heap and peak RSS (native memory included), useful FLOPs and MFU against matmul peaks measured
 * in the same run (float32 for the tokenizers, the transformer's precision for it; 2048³ on a
 * CPU, 8192³ on a GPU), and the stream's latency per second (median, p99).
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a synthetic night (8 modalities) with a random tiny|small|base bundle: wall time, "
                + "memory, MFU, streaming latency.")
public final class BenchEmbedCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--preset", defaultValue = "small", paramLabel = "tiny|small|base",
            description = "Transformer and tokenizer size (default small).")
    String preset;

    @Option(names = "--seconds", defaultValue = "28800", paramLabel = "N",
            description = "Length of the night in seconds (default 28800 = 8 h).")
    int seconds;

    @Option(names = "--chunk-tokens", defaultValue = "2048", paramLabel = "N", description = "Transformer chunk.")
    int chunkTokens;

    @Option(names = "--stream-seconds", defaultValue = "240", paramLabel = "N",
            description = "Seconds pushed through the live stream (0: skip; latency counted after the first 70 s).")
    int streamSeconds;

    @Option(names = "--tokenizer-chunk", defaultValue = "64", paramLabel = "FRAMES",
            description = "Tokenizer encoding chunk in frames (default 64; larger is faster in batch, slower per "
                    + "streamed second).")
    int tokenizerChunk;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|tf32|fp16")
    String precision;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Preset p = Preset.parse(preset);
        TokenizerPreset tp = TokenizerPreset.fromKey(preset);
        Device dev = Devices.parse(device);
        ObjectNode out = JSON.createObjectNode();
        out.put("preset", p.name().toLowerCase(Locale.ROOT));
        out.put("seconds", seconds);
        out.put("chunk_tokens", chunkTokens);
        out.put("tokenizer_chunk", tokenizerChunk);
        out.put("device", dev.toString());
        out.put("precision", precision);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        // Tokenizers always run in float32; the transformer in the asked precision: one peak each.
        DataType transformerType = Precision.parse(precision).dataType();
        double peak = MatmulPeak.gflops(dev, DataType.FLOAT32);
        double transformerPeak = transformerType == DataType.FLOAT32 ? peak
                : MatmulPeak.gflops(dev, transformerType);
        out.put("matmul_peak_n", MatmulPeak.size(dev, DataType.FLOAT32));
        out.put("matmul_peak_gflops", peak);
        if (transformerType != DataType.FLOAT32) {
            out.put("matmul_peak_gflops_" + transformerType.name().toLowerCase(Locale.ROOT), transformerPeak);
        }

        LoadOptions lo = LoadOptions.defaults().withDevice(dev).withPrecision(Precision.parse(precision))
                .withChunkTokens(chunkTokens).withTokenizerChunkTokens(tokenizerChunk);
        long t0 = System.nanoTime();
        Bundle random = RandomBundle.builder(p::builder, tp).seed(seed).build(dev);
        long paramBytes = 4L * random.model().parameters().count();
        // Writing holds the encoded tensors in memory (about twice the float32 model): small models
        // go through a file and Hypnos.load as a user's would, large ones are used as initialised.
        boolean viaFile = Runtime.getRuntime().maxMemory() > 3 * paramBytes;
        out.put("loaded_from_file", viaFile);
        HypnosModel model;
        Path dir = Files.createTempDirectory("hypnos-bench-embed");
        Path bundleFile = dir.resolve("random-" + preset + ".safetensors");
        try {
            if (viaFile) {
                try (random) {
                    BundleWriter.write(bundleFile, random, SafetensorsDtype.F32);
                }
                out.put("bundle_mb", Files.size(bundleFile) / 1e6);
                t0 = System.nanoTime();
                model = Hypnos.load(bundleFile, lo);
            } else {
                out.put("bundle_mb", paramBytes / 1e6);
                model = new HypnosModel(random, lo);
            }
            out.put("load_s", (System.nanoTime() - t0) / 1e9);
            try (model) {
                embed(model, out, peak, transformerPeak);
                System.out.printf(Locale.ROOT, "embedded in %.2f s (preprocess + tokenize %.2f s, transformer %.2f s)%n",
                        out.get("wall_s").asDouble(), out.get("preprocess_tokenize_s").asDouble(),
                        out.get("transformer_s").asDouble());
                System.out.flush();
                if (streamSeconds > 0) {
                    stream(model, out);
                }
            }
        } finally {
            Files.deleteIfExists(bundleFile);
            Files.deleteIfExists(dir);
        }
        print(out);
        if (json != null) {
            Files.writeString(json, JSON.writeValueAsString(out));
        }
        return 0;
    }

    /**
     * @param peak            float32 matmul peak (the tokenizers')
     * @param transformerPeak matmul peak of the transformer's precision
     */
    private void embed(HypnosModel model, ObjectNode out, double peak, double transformerPeak) throws IOException {
        SyntheticNight night = new SyntheticNight(seconds / 3600.0);
        EmbedOptions eo = model.options().embedDefaults();
        System.gc();
        resetPeaks();
        out.put("rss_at_start_mb", procStatusMb("VmRSS"));
        long t0 = System.nanoTime();
        TokenizedRecording tokens = model.tokenize(night, eo);
        long t1 = System.nanoTime();
        Embeddings e = model.embedTokens(tokens, eo);
        long t2 = System.nanoTime();
        double wall = (t2 - t0) / 1e9;
        double transformerWall = (t2 - t1) / 1e9;
        int m = e.present().size();
        FlopModel fm = new FlopModel(model.bundle().model().config());
        double transformerFlops = fm.embed(e.seconds(), chunkTokens, model.modalities().size());
        double tokenizerFlops = 0;
        for (ModalityBinding b : model.bindings()) {
            if (e.isPresent(b.name())) {
                tokenizerFlops += TokenizerFlops.encodePerSecond(b.tokenizer().config()) * e.seconds();
            }
        }
        out.put("present_modalities", m);
        out.put("embedded_seconds", e.seconds());
        out.put("wall_s", wall);
        out.put("preprocess_tokenize_s", (t1 - t0) / 1e9);
        out.put("transformer_s", transformerWall);
        out.put("modality_seconds_per_s", (double) e.seconds() * m / wall);
        out.put("transformer_gflop", transformerFlops / 1e9);
        out.put("tokenizer_gflop", tokenizerFlops / 1e9);
        // MFU: the time the work would take at each part's peak, over the time it took.
        out.put("mfu", (transformerFlops / transformerPeak + tokenizerFlops / peak) / 1e9 / wall);
        out.put("transformer_mfu", transformerFlops / transformerWall / 1e9 / transformerPeak);
        out.put("peak_heap_mb", peakHeapMb());
        out.put("peak_rss_mb", procStatusMb("VmHWM"));
        out.put("output_mb", (double) e.dim() * e.seconds() * (m + 1) * (e.outputType().numpyName().equals("float16") ? 2 : 4) / 1e6);
        out.put("output_type", e.outputType().numpyName());
        hostWorkPerChunk(model.modalities().size(), e.dim(), e.outputType(), out);
    }

    /**
     * The host's work per transformer chunk, timed alone on a synthetic chunk of this model's
     * shape: widening a float16 output to float32 (what a GPU's fp16 pass costs the host) and the
     * {@code Assembler} (rows in the output type, mean, epochs). On a GPU both overlap the next
     * chunk's device work (docs/gpu.md), so each must stay below the device's time per chunk.
     * Median over the 14 full chunks of an 8-h night, in a second pass after a warm-up pass; the
     * rows go to chunk-sized matrices (a night's are zeroed, so touched, when they are made).
     */
    private void hostWorkPerChunk(int m, int d, OutputType type, ObjectNode out) {
        int n = m * chunkTokens * d;
        int chunks = Math.max(1, 28_800 / chunkTokens);
        float[] z = new float[n];
        ShortBuffer half = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.nativeOrder()).asShortBuffer();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            z[i] = (float) (r.nextDouble() * 4 - 2);
            half.put(i, Float16.fromFloat(z[i]));
        }
        boolean[] presence = new boolean[m];
        Arrays.fill(presence, true);
        EmbeddingMatrix[] rows = new EmbeddingMatrix[m + 1];
        for (int i = 0; i <= m; i++) {
            rows[i] = EmbeddingMatrix.zeros(chunkTokens, d, type);
        }
        ChunkedEmbedder.RowStore store = (index, firstSecond, values, offset, count) ->
                rows[index].set((firstSecond % chunkTokens) * d, values, offset, count);
        double[] widen = new double[chunks];
        double[] assemble = new double[chunks];
        float[] widened = new float[n];
        for (int pass = 0; pass < 2; pass++) {
            ChunkedEmbedder.Assembler a = new ChunkedEmbedder.Assembler(presence, chunks * chunkTokens, d, type, store);
            for (int c = 0; c < chunks; c++) {
                long t0 = System.nanoTime();
                Float16.toFloats(half, widened, 0, n);
                long t1 = System.nanoTime();
                a.accept(c * chunkTokens, chunkTokens, z);
                long t2 = System.nanoTime();
                widen[c] = (t1 - t0) / 1e6;
                assemble[c] = (t2 - t1) / 1e6;
            }
        }
        Arrays.sort(widen);
        Arrays.sort(assemble);
        out.put("host_widen_fp16_ms_per_chunk", widen[chunks / 2]);
        out.put("host_assembler_ms_per_chunk", assemble[chunks / 2]);
    }

    private void stream(HypnosModel model, ObjectNode out) {
        SyntheticNight night = new SyntheticNight(Math.max(streamSeconds, 1) / 3600.0 + 1.0 / 3600);
        StreamOptions.Builder b = StreamOptions.builder();
        for (SignalInfo s : night.signals()) {
            b.channel(s.label(), s.unit(), s.sampleRate());
        }
        double[] ms = new double[streamSeconds];
        long emitted = 0;
        long maxBuffered = 0;
        try (EmbeddingStream s = model.stream(b.build())) {
            for (int t = 0; t < streamSeconds; t++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < night.signals().size(); c++) {
                    SignalInfo si = night.signals().get(c);
                    int n = (int) si.sampleRate();
                    emitted += s.push(si.label(), night.read(c, (long) t * n, n)).size();
                }
                ms[t] = (System.nanoTime() - t0) / 1e6;
                maxBuffered = Math.max(maxBuffered, s.buffered());
            }
            out.put("stream_present", s.present().size());
        }
        int skip = Math.min(70, streamSeconds - 1);
        double[] steady = Arrays.copyOfRange(ms, skip, ms.length);
        Arrays.sort(steady);
        out.put("stream_seconds", streamSeconds);
        out.put("stream_emitted", emitted);
        out.put("stream_median_ms", steady[steady.length / 2]);
        out.put("stream_p99_ms", steady[Math.min(steady.length - 1, (int) Math.ceil(0.99 * steady.length) - 1)]);
        out.put("stream_first_minute_release_ms", ms[Math.min(60, ms.length - 1)]);
        out.put("stream_max_buffered", maxBuffered);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        try {
            // Linux: writing 5 resets the process's peak RSS (VmHWM) to the current RSS.
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux or not allowed: VmHWM then covers the whole process
        }
    }

    private static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / 1e6;
    }

    private static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[1]) / 1e3;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static void print(ObjectNode r) {
        System.out.printf(Locale.ROOT, "embed a synthetic night: preset %s, %d s, chunk %d, tokenizer chunk %d, %s, %s, "
                + "%d cores%n", r.get("preset").asText(), r.get("seconds").asInt(), r.get("chunk_tokens").asInt(),
                r.get("tokenizer_chunk").asInt(),
                r.get("device").asText(), r.get("precision").asText(), r.get("cores").asInt());
        int n = r.get("matmul_peak_n").asInt();
        System.out.printf(Locale.ROOT, "fp32 matmul peak (%d^3 through DJL): %.1f GFLOP/s%n", n,
                r.get("matmul_peak_gflops").asDouble());
        if (r.has("matmul_peak_gflops_float16")) {
            System.out.printf(Locale.ROOT, "fp16 matmul peak: %.1f GFLOP/s (the transformer's MFU is against it)%n",
                    r.get("matmul_peak_gflops_float16").asDouble());
        }
        System.out.printf(Locale.ROOT, "bundle %.1f MB %s in %.2f s%n", r.get("bundle_mb").asDouble(),
                r.get("loaded_from_file").asBoolean() ? "written and loaded" : "initialised in memory",
                r.get("load_s").asDouble());
        System.out.printf(Locale.ROOT, "%-28s %10s%n", "stage", "wall s");
        System.out.printf(Locale.ROOT, "%-28s %10.2f%n", "preprocess + tokenize", r.get("preprocess_tokenize_s").asDouble());
        System.out.printf(Locale.ROOT, "%-28s %10.2f%n", "transformer (chunked)", r.get("transformer_s").asDouble());
        System.out.printf(Locale.ROOT, "%-28s %10.2f  (%d modalities × %d s, %.0f modality-s/s)%n", "total",
                r.get("wall_s").asDouble(), r.get("present_modalities").asInt(), r.get("embedded_seconds").asInt(),
                r.get("modality_seconds_per_s").asDouble());
        System.out.printf(Locale.ROOT, "GFLOP: transformer %.1f, tokenizers %.1f; MFU %.1f %% (transformer stage %.1f %%)%n",
                r.get("transformer_gflop").asDouble(), r.get("tokenizer_gflop").asDouble(),
                100 * r.get("mfu").asDouble(), 100 * r.get("transformer_mfu").asDouble());
        System.out.printf(Locale.ROOT, "peak heap %.0f MB, peak RSS %.0f MB (output arrays %.0f MB; RSS at the start, "
                + "with the model loaded: %.0f MB)%n", r.get("peak_heap_mb").asDouble(), r.get("peak_rss_mb").asDouble(),
                r.get("output_mb").asDouble(), r.get("rss_at_start_mb").asDouble());
        System.out.printf(Locale.ROOT, "host work per %d-s chunk (median, timed alone): float16 widening %.1f ms, "
                + "assembler (%s rows, mean, epochs) %.1f ms%n", r.get("chunk_tokens").asInt(),
                r.get("host_widen_fp16_ms_per_chunk").asDouble(), r.get("output_type").asText(),
                r.get("host_assembler_ms_per_chunk").asDouble());
        if (r.has("stream_median_ms")) {
            System.out.printf(Locale.ROOT, "stream: %d s pushed, %d emitted; per second median %.2f ms, p99 %.2f ms "
                    + "(after 70 s); first-minute release %.1f ms; max buffered %d%n",
                    r.get("stream_seconds").asInt(), r.get("stream_emitted").asInt(),
                    r.get("stream_median_ms").asDouble(), r.get("stream_p99_ms").asDouble(),
                    r.get("stream_first_minute_release_ms").asDouble(), r.get("stream_max_buffered").asInt());
        }
    }
}

package ai.hypnos.cli.bench;

import ai.djl.Device;
import ai.hypnos.embed.Devices;
import ai.hypnos.embed.Precision;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.bench.TransformerBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos bench transformer}: the RQ-Transformer on one preset with the eight standard
 * modalities — embed a night, stream it second by second, train on a batch — and the same
 * architecture in PyTorch on the same weights ({@code bench/transformer/peer_torch.py}).
 * See {@link TransformerBenchmark} for what each figure means.
 */
@Command(name = "transformer", mixinStandardHelpOptions = true,
        description = "RQ-Transformer: embed a night, streaming latency, training throughput; peer PyTorch.")
final class BenchTransformerCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "small", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seconds", defaultValue = "28800", description = "Night length in seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--chunk-tokens", defaultValue = "2048", description = "Seconds per inference chunk (default ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--stream-steps", defaultValue = "300", description = "Seconds streamed for the latency figures (default ${DEFAULT-VALUE}).")
    int streamSteps;

    @Option(names = "--batch", defaultValue = "4", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--train-seconds", defaultValue = "256", description = "Training sequence length (default ${DEFAULT-VALUE}).")
    int trainSeconds;

    @Option(names = "--train-steps", defaultValue = "2", description = "Timed training steps, after one warm-up (default ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|tf32|fp16",
            description = "Arithmetic (default ${DEFAULT-VALUE}); tf32 needs TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 "
                    + "(the hypnos launcher sets it); bf16 is refused (docs/gpu.md).")
    String precision;

    @Option(names = "--seed", defaultValue = "1", description = "Initialisation and token seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", description = "Write the initialised model here, in the published bundle layout.")
    Path save;

    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the PyTorch peer on the same weights (default: on; --no-peer skips it).")
    boolean peer;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-script", defaultValue = "bench/transformer/peer_torch.py", description = "Peer script (default ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--workloads", defaultValue = "embed,stream,train", split = ",",
            description = "Which of embed, stream, train to run (default ${DEFAULT-VALUE}).")
    java.util.Set<String> workloads;

    @Option(names = "--chunks-per-pass", defaultValue = "1", paramLabel = "N",
            description = "Full chunks embedded as one batch (default ${DEFAULT-VALUE}, what the embedding API does).")
    int chunksPerPass;

    @Override
    public Integer call() throws Exception {
        Precision p = Precision.parse(precision);
        Device d = Devices.parse(device);
        TransformerBenchmark.Options o = new TransformerBenchmark.Options(Preset.parse(preset), seconds, chunkTokens,
                streamSteps, batch, trainSeconds, trainSteps, d, seed, save, peer, python, peerScript, workloads,
                p.dataType(), chunksPerPass);
        ObjectNode r = new TransformerBenchmark(o).run();
        r.put("precision", p.name().toLowerCase(Locale.ROOT));
        if (p == Precision.TF32) {
            r.put("tf32_override", Precision.tf32OverrideSet());
        }
        if (json) {
            System.out.println(r);
            return 0;
        }
        print(r);
        return 0;
    }

    private static void print(ObjectNode r) {
        System.out.printf(Locale.ROOT, "%nhypnos bench transformer: preset %s (%,d parameters), %s, %d threads%n",
                r.get("preset").asText(), r.get("parameters").asLong(), r.get("device").asText(), r.get("threads").asInt());
        double peak = r.get("matmul_peak_gflops").asDouble();
        System.out.printf(Locale.ROOT, "%s matmul peak (%d^3 through DJL): %.1f GFLOP/s%n", r.get("precision").asText(),
                r.get("matmul_peak_n").asInt(), peak);
        if (r.has("tf32_override") && !r.get("tf32_override").asBoolean()) {
            System.out.println("note: " + Precision.TF32_ENV + " is not set: CUDA matmuls run in full float32");
        }
        JsonNode peer = r.path("peer");
        if (peer.has("skipped")) {
            System.out.println("peer: " + peer.get("skipped").asText());
        }
        JsonNode e = r.get("embed");
        if (e != null) {
            System.out.printf(Locale.ROOT, "%n(a) embed a night: 8 modalities x %,d s, chunks of %d%n", e.get("seconds").asInt(),
                    e.get("chunk_tokens").asInt());
            System.out.printf(Locale.ROOT, "%-34s %9s %9s %7s %11s%n", "implementation", "wall s", "GFLOP/s", "MFU", "peak RSS MB");
            System.out.printf(Locale.ROOT, "%-34s %9.2f %9.1f %6.1f%% %11.0f%n", "hypnos (Java, DJL)", e.get("wall_s").asDouble(),
                    e.get("gflops").asDouble(), 100 * e.get("mfu").asDouble(), e.get("peak_rss_mb").asDouble());
            double best = Double.NaN;
            for (String a : new String[] {"dense", "blockwise"}) {
                JsonNode pe = peer.path(a).path("embed");
                if (!pe.isMissingNode()) {
                    System.out.printf(Locale.ROOT, "%-34s %9.2f %9.1f %6.1f%% %11.0f%n",
                            "PyTorch " + pe.get("torch").asText() + " (" + a + ")", pe.get("wall_s").asDouble(),
                            pe.get("gflops").asDouble(), 100 * pe.get("mfu").asDouble(), pe.get("peak_rss_mb").asDouble());
                    best = Double.isNaN(best) ? pe.get("wall_s").asDouble() : Math.min(best, pe.get("wall_s").asDouble());
                }
            }
            if (!Double.isNaN(best)) {
                System.out.printf(Locale.ROOT, "ratio Java / best PyTorch: %.2f (target <= 1.3)%n", e.get("wall_s").asDouble() / best);
            }
            System.out.printf(Locale.ROOT, "ops per chunk: %.0f%n", e.get("ops_per_chunk").asDouble());
            if (e.has("device_memory_in_use_mb")) {
                System.out.printf(Locale.ROOT, "device memory in use after the pass (CUDA context + libtorch's cache): %.0f MB%n",
                        e.get("device_memory_in_use_mb").asDouble());
            }
            System.out.printf(Locale.ROOT, "chunks per pass: %d%n", e.get("chunks_per_pass").asInt());
            if (e.has("device_only_s")) {
                System.out.printf(Locale.ROOT, "the same passes without copying embeddings to the host: %.2f s%n",
                        e.get("device_only_s").asDouble());
            }
            if (e.has("first_pass_wall_s")) {
                System.out.printf(Locale.ROOT, "timed after one warm-up pass (GPU); the first pass took %.2f s%n",
                        e.get("first_pass_wall_s").asDouble());
            }
        }
        JsonNode s = r.get("stream");
        if (s != null) {
            System.out.printf(Locale.ROOT, "%n(b) streaming, 8 modalities: median %.2f ms, p99 %.2f ms per second of data "
                    + "(%,d s; %.0f ops per step)%n", s.get("median_ms").asDouble(), s.get("p99_ms").asDouble(),
                    s.get("steps").asInt(), s.get("ops_per_step").asDouble());
            System.out.printf(Locale.ROOT, "    memory over the stream: session arrays %+d, heap %+.1f MB, resident %+.1f MB%n",
                    s.get("session_arrays_growth").asInt(), s.get("heap_growth_mb").asDouble(), s.get("rss_growth_mb").asDouble());
        }
        JsonNode t = r.get("train");
        if (t != null) {
            System.out.printf(Locale.ROOT, "%n(c) training step, batch %d x %d s x 8 modalities (forward + backward)%n",
                    t.get("batch").asInt(), t.get("seconds").asInt());
            System.out.printf(Locale.ROOT, "%-34s %9s %12s %9s %7s%n", "implementation", "step s", "tokens/s", "GFLOP/s", "MFU");
            System.out.printf(Locale.ROOT, "%-34s %9.2f %,12.0f %9.1f %6.1f%%%n", "hypnos (Java, DJL)", t.get("step_s").asDouble(),
                    t.get("tokens_per_s").asDouble(), t.get("gflops").asDouble(), 100 * t.get("mfu").asDouble());
            double best = Double.NaN;
            for (String a : new String[] {"dense", "blockwise"}) {
                JsonNode pt = peer.path(a).path("train");
                if (!pt.isMissingNode()) {
                    System.out.printf(Locale.ROOT, "%-34s %9.2f %,12.0f %9.1f %6.1f%%%n", "PyTorch (" + a + ")",
                            pt.get("step_s").asDouble(), pt.get("tokens_per_s").asDouble(), pt.get("gflops").asDouble(),
                            100 * pt.get("gflops").asDouble() / peak);
                    best = Double.isNaN(best) ? pt.get("step_s").asDouble() : Math.min(best, pt.get("step_s").asDouble());
                }
            }
            if (!Double.isNaN(best)) {
                System.out.printf(Locale.ROOT, "ratio Java / best PyTorch: %.2f (target <= 1.3)%n", t.get("step_s").asDouble() / best);
            }
            System.out.printf(Locale.ROOT, "ops per step: %d; tokens = codes predicted (batch x seconds x sum K)%n",
                    t.get("ops_per_step").asLong());
            if (t.has("device_memory_in_use_mb")) {
                System.out.printf(Locale.ROOT, "device memory in use after the steps (CUDA context + libtorch's cache): %.0f MB%n",
                        t.get("device_memory_in_use_mb").asDouble());
            }
        }
        if (r.has("bundle")) {
            System.out.println("model written to " + r.get("bundle").asText());
        }
    }
}

package ai.hypnos.cli.bench;

import ai.hypnos.core.modality.SignalType;
import ai.hypnos.embed.Devices;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.bench.TokenizerBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos bench tokenizer}: encode a night and time a training step for one preset, with
 * the same tokenizer in PyTorch side by side ({@code bench/tokenizer/peer_torch.py}). See
 * {@link TokenizerBenchmark}.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "RVQ tokenizer: encode throughput and training step time; peer PyTorch on the same weights.")
final class BenchTokenizerCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "small", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--signal", defaultValue = "eeg", description = "Signal type (default ${DEFAULT-VALUE}).")
    String signal;

    @Option(names = "--seconds", defaultValue = "28800", description = "Night length in seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--chunk-tokens", defaultValue = "64", description = "Frames per encoding chunk (default ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--batch", defaultValue = "16", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--train-seconds", defaultValue = "10", description = "Training window in seconds (default ${DEFAULT-VALUE}).")
    int trainSeconds;

    @Option(names = "--train-steps", defaultValue = "3", description = "Timed training steps after one warm-up (default ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "1", description = "Weights and night seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the PyTorch peer (default: on; --no-peer skips it).")
    boolean peer;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-script", defaultValue = "bench/tokenizer/peer_torch.py", description = "Peer script (default ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--workloads", defaultValue = "encode,train", split = ",", description = "encode, train (default ${DEFAULT-VALUE}).")
    java.util.Set<String> workloads;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TokenizerBenchmark.Options o = new TokenizerBenchmark.Options(TokenizerPreset.fromKey(preset), SignalType.fromKey(signal),
                seconds, chunkTokens, batch, trainSeconds, trainSteps, Devices.parse(device), seed, peer, python, peerScript,
                workloads.contains("encode"), workloads.contains("train"));
        ObjectNode r = new TokenizerBenchmark(o).run();
        if (json) {
            System.out.println(r);
            return 0;
        }
        System.out.printf(Locale.ROOT, "%nhypnos bench tokenizer: preset %s, %s (%,d parameters), %s, %d threads%n",
                r.get("preset").asText(), r.get("signal").asText(), r.get("parameters").asLong(), r.get("device").asText(),
                r.get("threads").asInt());
        System.out.printf(Locale.ROOT, "fp32 matmul peak (%d^3 through DJL): %.1f GFLOP/s; MFU below is against it%n",
                r.get("matmul_peak_n").asInt(), r.get("matmul_peak_gflops").asDouble());
        JsonNode peerNode = r.path("peer");
        if (peerNode.has("skipped")) {
            System.out.println("peer: " + peerNode.get("skipped").asText());
        }
        JsonNode e = r.get("encode");
        if (e != null) {
            System.out.printf(Locale.ROOT, "%n(a) encode %,d s of signal (chunks of %d s)%n", e.get("seconds").asInt(), e.get("chunk_tokens").asInt());
            System.out.printf(Locale.ROOT, "%-28s %9s %14s%n", "implementation", "wall s", "signal s / s");
            System.out.printf(Locale.ROOT, "%-28s %9.2f %,14.0f   (%.1f GFLOP, MFU %.1f %%)%n", "hypnos (Java, DJL)",
                    e.get("wall_s").asDouble(), e.get("signal_seconds_per_s").asDouble(), e.get("gflop").asDouble(),
                    100 * e.get("mfu").asDouble());
            JsonNode pe = peerNode.path("encode");
            if (!pe.isMissingNode()) {
                System.out.printf(Locale.ROOT, "%-28s %9.2f %,14.0f%n", "PyTorch " + peerNode.get("torch").asText(),
                        pe.get("wall_s").asDouble(), pe.get("seconds").asDouble() / pe.get("wall_s").asDouble());
                System.out.printf(Locale.ROOT, "ratio Java / PyTorch: %.2f (target <= 1.3); tokens equal: %.4f (level 0: %.4f)%n",
                        e.get("wall_s").asDouble() / pe.get("wall_s").asDouble(), peerNode.path("tokens_equal_fraction").asDouble(),
                        peerNode.path("level0_equal_fraction").asDouble());
            }
        }
        JsonNode t = r.get("train");
        if (t != null) {
            System.out.printf(Locale.ROOT, "%n(b) training step, batch %d x %d s (median of %d)%n", t.get("batch").asInt(),
                    t.get("seconds").asInt(), t.get("steps").asInt());
            System.out.printf(Locale.ROOT, "%-28s %9s%n", "implementation", "step s");
            System.out.printf(Locale.ROOT, "%-28s %9.3f   (%.2f GFLOP, MFU %.1f %%)%n", "hypnos (Java, DJL)",
                    t.get("step_s").asDouble(), t.get("gflop_per_step").asDouble(), 100 * t.get("mfu").asDouble());
            JsonNode pt = peerNode.path("train");
            if (!pt.isMissingNode()) {
                System.out.printf(Locale.ROOT, "%-28s %9.3f%n", "PyTorch", pt.get("step_s").asDouble());
                System.out.printf(Locale.ROOT, "ratio Java / PyTorch: %.2f (target <= 1.3)%n", t.get("step_s").asDouble() / pt.get("step_s").asDouble());
            }
        }
        return 0;
    }
}

package ai.hypnos.cli.bench;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.recording.InMemoryRecording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hypnos bench preprocess}: the whole preprocessing of a night, ours against scipy.
 *
 * <p>Both sides generate the same synthetic night from a seeded formula ({@link #synth}, equal to
 * {@code synth} in {@code bench/preprocess/peer_scipy.py}): 8 modalities, EEG/EOG/EMG at 256 Hz,
 * ECG at 512 Hz, belts at 10 Hz. Ours: the night as an in-memory recording, channel resolution,
 * then {@link Preprocessor#run} (resample, causal filters, EMA z-score, soft clip) on 1 thread
 * and on {@code --threads}; best of {@code --repeat} runs, the first (cold JIT) run shown too.
 * With {@code --peers}, the peer script runs the same pipeline in scipy in another process, and
 * the outputs are compared (values at ~1000 indices per modality, sums).
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Preprocess a synthetic 8-modality night (resample, filters, EMA z-score, soft clip); peer scipy.")
final class BenchPreprocessCommand implements Callable<Integer> {

    /** The benchmark night: modality, source rate, label in the in-memory recording, seed. */
    private static final Object[][] NIGHT = {
        {Modality.EEG_C3, 256, "C3-M2", 1}, {Modality.EEG_C4, 256, "C4-M1", 2},
        {Modality.EOG_E1, 256, "E1-M2", 3}, {Modality.EOG_E2, 256, "E2-M1", 4},
        {Modality.EMG_CHIN, 256, "Chin1-Chin2", 5}, {Modality.ECG, 512, "ECG", 6},
        {Modality.RESP_ABD, 10, "ABD", 7}, {Modality.RESP_THX, 10, "THX", 8}};

    @Option(names = "--hours", defaultValue = "8", description = "Length of the night (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs per measurement; the best is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--threads", description = "Threads for the parallel run (default: available processors).")
    Integer threads;

    @Option(names = "--notch", defaultValue = "50", description = "Notch frequency (default ${DEFAULT-VALUE}).")
    double notch;

    @Option(names = "--peers", description = "Also run the scipy peer on the same night and compare outputs.")
    boolean peers;

    @Option(names = "--peer-script", defaultValue = "bench/preprocess/peer_scipy.py", description = "Peer script (default ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--python", defaultValue = "python3", description = "Python with numpy and scipy (default ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws Exception {
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int seconds = (int) Math.round(hours * 3600);
        System.out.printf(Locale.ROOT, "generating a %.2f-hour night, 8 modalities (EEG/EOG/EMG 256 Hz, ECG 512 Hz, belts 10 Hz)%n", hours);
        InMemoryRecording.Builder b = InMemoryRecording.builder();
        long inputSamples = 0;
        for (Object[] row : NIGHT) {
            int fs = (int) row[1];
            double[] x = synth(seconds * fs, fs, (int) row[3]);
            inputSamples += x.length;
            b.signal((String) row[2], "uV", fs, x);
        }
        ChannelResolution channels = ChannelResolver.defaults().resolve(b.build());
        if (channels.present().size() != NIGHT.length) {
            throw new IllegalStateException("benchmark night resolved to " + channels.present() + ", expected all 8 modalities");
        }
        PreprocessOptions base = PreprocessOptions.defaults().withNotchHz(notch);
        Timing one = time(new Preprocessor(base.withThreads(1)), channels);
        Timing many = time(new Preprocessor(base.withThreads(parallel)), channels);
        JsonNode peer = peers ? runPeer() : null;

        System.out.printf(Locale.ROOT, "%nhypnos bench preprocess: %.2f h night, %,d input samples, best of %d%n", hours, inputSamples, repeat);
        System.out.printf(Locale.ROOT, "%-28s %9s %9s %9s%n", "implementation", "best s", "first s", "cpu s");
        System.out.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f%n", "hypnos (Java), 1 thread", one.best, one.first, one.cpu);
        System.out.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f%n", "hypnos (Java), " + parallel + " threads", many.best, many.first, many.cpu);
        if (peer != null) {
            double best = Double.POSITIVE_INFINITY;
            double first = Double.NaN;
            double cpu = Double.NaN;
            for (JsonNode r : peer.get("runs")) {
                double w = r.get("wall_s").asDouble();
                if (Double.isNaN(first)) {
                    first = w;
                }
                if (w < best) {
                    best = w;
                    cpu = r.get("cpu_s").asDouble();
                }
            }
            System.out.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f%n", "scipy " + peer.path("scipy").asText() + " (peer)", best, first, cpu);
            System.out.printf(Locale.ROOT, "ratio Java/scipy (best): %.2f with %d threads, %.2f with 1 thread%n",
                    many.best / best, parallel, one.best / best);
            compare(many.outputs, peer.get("outputs"));
        }
        return 0;
    }

    /** Wall times of {@code repeat} runs of the whole night, the first kept apart (cold JIT). */
    private Timing time(Preprocessor p, ChannelResolution channels) throws IOException {
        Timing t = new Timing();
        t.best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < Math.max(1, repeat); i++) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Map<Modality, float[]> out = p.process(channels);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            if (i == 0) {
                t.first = wall;
            }
            if (wall < t.best) {
                t.best = wall;
                t.cpu = cpu;
            }
            t.outputs = out;
        }
        return t;
    }

    private static final class Timing {
        double best;
        double first;
        double cpu;
        Map<Modality, float[]> outputs;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private JsonNode runPeer() throws IOException, InterruptedException {
        if (!Files.exists(peerScript)) {
            System.err.println("peer script " + peerScript + " not found (run from the repository root or pass --peer-script)");
            return null;
        }
        List<String> cmd = List.of(python, peerScript.toString(), "--hours", Double.toString(hours),
                "--notch", Double.toString(notch), "--repeats", Integer.toString(Math.max(1, repeat)));
        System.out.println("running peer: " + String.join(" ", cmd));
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(1, TimeUnit.HOURS) || proc.exitValue() != 0) {
            System.err.println("peer script failed (" + (proc.isAlive() ? "timeout" : "exit " + proc.exitValue()) + ")");
            return null;
        }
        String last = out.strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }

    /** Compares our outputs with the peer's checks: same lengths, values at its indices, sums. */
    private static void compare(Map<Modality, float[]> ours, JsonNode theirs) {
        List<String> problems = new ArrayList<>();
        double worst = 0;
        for (Map.Entry<Modality, float[]> e : ours.entrySet()) {
            JsonNode c = theirs.get(e.getKey().key());
            float[] y = e.getValue();
            if (c == null || c.get("n").asInt() != y.length) {
                problems.add(e.getKey().key() + ": length " + y.length + " vs " + (c == null ? "missing" : c.get("n").asInt()));
                continue;
            }
            JsonNode idx = c.get("indices");
            JsonNode val = c.get("values");
            for (int k = 0; k < idx.size(); k++) {
                worst = Math.max(worst, Math.abs(y[idx.get(k).asInt()] - val.get(k).asDouble()));
            }
            double sum = 0;
            for (float v : y) {
                sum += v;
            }
            if (Math.abs(sum - c.get("sum").asDouble()) > 1e-4 * y.length) {
                problems.add(e.getKey().key() + ": sum " + sum + " vs " + c.get("sum").asDouble());
            }
        }
        System.out.printf(Locale.ROOT, "outputs vs scipy: largest difference at the compared indices %.2e%s%n", worst,
                problems.isEmpty() ? "; lengths and sums agree" : "; MISMATCH " + problems);
    }

    /**
     * The benchmark signal (same formula as the peer's {@code synth}): rhythms, line noise,
     * drift, splitmix64 noise and 1-s bursts every 90 s.
     */
    static double[] synth(int n, double fs, long seed) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / fs;
            double u = noise(seed, i);
            double v = 40.0
                    + 30.0 * Math.sin(2 * Math.PI * 1.3 * t)
                    + 12.0 * Math.sin(2 * Math.PI * 10.5 * t + 0.4)
                    + 8.0 * Math.sin(2 * Math.PI * 50.0 * t)
                    + 6.0 * Math.sin(2 * Math.PI * 60.0 * t)
                    + 20.0 * Math.sin(2 * Math.PI * 0.03 * t)
                    + 15.0 * u;
            if (Math.floor(t) % 90.0 == 89.0) {
                v += 500.0 * u;
            }
            x[i] = v;
        }
        return x;
    }

    private static double noise(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
    }
}

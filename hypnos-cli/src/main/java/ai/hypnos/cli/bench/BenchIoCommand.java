package ai.hypnos.cli.bench;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.edf.EdfWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hypnos bench io}: how fast EDF files are read into float arrays.
 *
 * <p>Writes a synthetic night (default 8 h, 16 channels: 6 × 256 Hz, 4 × 128 Hz, 4 × 32 Hz,
 * 2 × 1 Hz) with {@link EdfWriter}, or uses {@code --file}. Then, best of {@code --repeat}
 * runs, each opening the file afresh: all channels read to float arrays
 * ({@link EdfRecording#readAllFloats()}), and one channel ({@link EdfRecording#readFloats(int)}).
 * Speeds are file megabytes (10^6 bytes) per second, with the file in the page cache. The heap
 * needed for the one-channel read is measured in a fresh JVM ({@link HeapProbe}). With
 * {@code --peers} the peer script (MNE-Python's {@code read_raw_edf(preload=True)} and a plain
 * numpy memory-mapped decode) runs on the same file and the table shows them side by side.
 */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "EDF read speed (all channels / one channel to float arrays), peak heap, peers MNE and numpy.")
final class BenchIoCommand implements Callable<Integer> {

    @Option(names = "--file", description = "EDF file to read; written (synthetic night) if it does not exist. Default: a temporary file.")
    Path file;

    @Option(names = "--hours", defaultValue = "8", description = "Length of the synthetic night (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--repeat", defaultValue = "5", description = "Runs per measurement; the best is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--signal", defaultValue = "0", description = "Channel for the one-channel read (default ${DEFAULT-VALUE}: a 256-Hz EEG).")
    int signal;

    @Option(names = "--peers", description = "Also run the peer script (MNE, numpy) on the same file.")
    boolean peers;

    @Option(names = "--peer-script", defaultValue = "bench/io/peer_io.py", description = "Peer script (default ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with numpy and mne (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-repeat", defaultValue = "3", description = "Runs per peer measurement (default ${DEFAULT-VALUE}).")
    int peerRepeat;

    @Option(names = "--no-heap-probe", description = "Skip the fresh-JVM heap measurement.")
    boolean noHeapProbe;

    @Option(names = "--keep", description = "Keep the synthetic file written to a temporary folder.")
    boolean keep;

    /** One line of the table. */
    record Row(String name, double allSeconds, double oneSeconds, String note) {
    }

    @Override
    public Integer call() throws Exception {
        Path tempDir = null;
        Path edf = file;
        if (edf == null) {
            tempDir = Files.createTempDirectory("hypnos-bench-io");
            edf = tempDir.resolve("synthetic-night.edf");
        }
        try {
            double writeSeconds = Double.NaN;
            if (!Files.exists(edf)) {
                System.out.printf(Locale.ROOT, "writing a synthetic %.1f-hour night (16 channels) to %s%n", hours, edf);
                long t0 = System.nanoTime();
                EdfWriter.write(edf, new SyntheticNight(hours));
                writeSeconds = (System.nanoTime() - t0) / 1e9;
            }
            long bytes = Files.size(edf);
            List<Row> rows = new ArrayList<>();
            rows.add(measureJava(edf));
            if (peers) {
                rows.addAll(runPeers(edf));
            }
            String heap = noHeapProbe ? null : heapProbe(edf);
            print(edf, bytes, writeSeconds, rows, heap);
            return 0;
        } finally {
            if (tempDir != null && !keep) {
                Files.deleteIfExists(edf);
                Files.deleteIfExists(tempDir);
            }
        }
    }

    private Row measureJava(Path edf) throws IOException {
        double all = Double.POSITIVE_INFINITY;
        double one = Double.POSITIVE_INFINITY;
        String label;
        try (EdfRecording rec = EdfReader.open(edf)) {
            label = rec.signals().get(signal).label() + ", " + fmt(rec.signals().get(signal).sampleRate()) + " Hz";
        }
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            try (EdfRecording rec = EdfReader.open(edf)) {
                float[][] x = rec.readAllFloats();
                if (x.length == 0) {
                    throw new IOException(edf + " has no signals to read");
                }
            }
            all = Math.min(all, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            try (EdfRecording rec = EdfReader.open(edf)) {
                rec.readFloats(signal);
            }
            one = Math.min(one, (System.nanoTime() - t0) / 1e9);
        }
        return new Row("hypnos (Java EdfReader)", all, one, "one channel = " + label);
    }

    private List<Row> runPeers(Path edf) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(peerScript)) {
            System.err.println("peer script " + peerScript + " not found (run from the repository root or pass --peer-script)");
            return rows;
        }
        List<String> cmd = List.of(python, peerScript.toString(), edf.toString(),
                "--signal", Integer.toString(signal), "--repeat", Integer.toString(peerRepeat));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("{")) {
                    JsonNode n = json.readTree(line);
                    rows.add(new Row(n.path("name").asText(), n.path("all_s").asDouble(Double.NaN),
                            n.path("one_s").asDouble(Double.NaN), n.path("note").asText("")));
                }
            }
        }
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            System.err.println("peer script exited with " + (p.isAlive() ? "a timeout" : "code " + p.exitValue()));
        }
        return rows;
    }

    /** Runs {@link HeapProbe} in a fresh JVM capped at the acceptance bound; returns its JSON line or a failure note. */
    private String heapProbe(Path edf) throws IOException, InterruptedException {
        long samples;
        try (EdfRecording rec = EdfReader.open(edf)) {
            samples = rec.signals().get(signal).sampleCount();
        }
        long bound = 2 * 4 * samples + (32L << 20);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + Math.max(bound >> 20, 8) + "m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), HeapProbe.class.getName(), edf.toString(),
                Integer.toString(signal));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code = p.waitFor();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
        if (code != 0 || !last.startsWith("{")) {
            return "{\"failed\": true, \"bound_bytes\": " + bound + ", \"output\": " + new ObjectMapper().writeValueAsString(out) + "}";
        }
        return last.substring(0, last.length() - 1) + ", \"bound_bytes\": " + bound + "}";
    }

    private void print(Path edf, long bytes, double writeSeconds, List<Row> rows, String heap) throws IOException {
        double mb = bytes / 1e6;
        System.out.printf(Locale.ROOT, "%nhypnos bench io: %s (%.1f MB), best of %d (peers: best of %d)%n",
                edf.getFileName(), mb, repeat, peerRepeat);
        if (!Double.isNaN(writeSeconds)) {
            System.out.printf(Locale.ROOT, "write (EdfWriter, synthetic source): %.2f s, %.0f MB/s%n", writeSeconds, mb / writeSeconds);
        }
        System.out.printf(Locale.ROOT, "%-34s %10s %10s   %10s %10s%n", "reader", "all ch. s", "MB/s", "one ch. s", "MB/s");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-34s %10.3f %10.0f   %10.3f %10.0f   %s%n",
                    r.name(), r.allSeconds(), mb / r.allSeconds(), r.oneSeconds(), mb / r.oneSeconds(), r.note());
        }
        System.out.println("(MB/s = file size / time; every run opens the file, parses header and annotations, and decodes to float32)");
        if (heap != null) {
            JsonNode h = new ObjectMapper().readTree(heap);
            if (h.path("failed").asBoolean(false)) {
                System.out.printf(Locale.ROOT, "one-channel heap: FAILED under -Xmx = bound %.1f MB: %s%n",
                        h.path("bound_bytes").asLong() / 1048576.0, h.path("output").asText());
            } else {
                System.out.printf(Locale.ROOT, "one-channel heap (fresh JVM, -Xmx = bound = 2 x float array + 32 MB = %.1f MiB): "
                                + "peak %.1f MiB above the %.1f MiB baseline; float array %.1f MiB; allocated %.1f MiB%n",
                        h.path("bound_bytes").asLong() / 1048576.0, h.path("peak_above_baseline_bytes").asLong() / 1048576.0,
                        h.path("baseline_bytes").asLong() / 1048576.0, h.path("array_bytes").asLong() / 1048576.0,
                        h.path("allocated_bytes").asLong() / 1048576.0);
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

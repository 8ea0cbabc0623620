package ai.hypnos.examples;

import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.stream.EmbeddingStream;
import ai.hypnos.embed.stream.StreamOptions;
import ai.hypnos.embed.stream.StreamedSecond;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streams a recording as if it arrived live from an amplifier: every second, one second of
 * samples of each channel is pushed into an {@link EmbeddingStream}, which answers with the
 * embeddings of every second that became complete. Prints how long each second took.
 *
 * <pre>
 * StreamRecording [BUNDLE [RECORDING [SECONDS [MODALITIES]]]]
 * </pre>
 *
 * Without arguments it streams 3 minutes of a synthetic night through a random {@code tiny}
 * bundle. {@code MODALITIES} (comma-separated, e.g. {@code eeg_c3,ecg}) limits the stream to
 * those modalities; by default every modality the channels carry is embedded.
 *
 * <p>The stream is causal and KV-cached: memory stays flat however long it runs, and its output
 * equals batch embedding of the same samples ({@code HypnosModel.embed}). With the default
 * start-up the rolling normaliser first collects one minute of signal (its initial statistics,
 * exactly as batch preprocessing computes them), so the first 60 seconds come out together when
 * the minute is complete, then one second per second.
 */
public final class StreamRecording {
    private StreamRecording() {
    }

    /**
     * What a stream produced.
     *
     * @param seconds    every emitted second, in order
     * @param latencyMs  for each pushed second of input, the milliseconds the push took
     * @param emittedPer for each pushed second of input, how many seconds of embeddings came back
     */
    public record Result(List<StreamedSecond> seconds, double[] latencyMs, int[] emittedPer) {
        /** The q-quantile of the push latencies of the seconds that emitted exactly one second (steady state). */
        public double steadyLatencyMs(double q) {
            double[] steady = new double[latencyMs.length];
            int n = 0;
            for (int i = 0; i < latencyMs.length; i++) {
                if (emittedPer[i] == 1) {
                    steady[n++] = latencyMs[i];
                }
            }
            if (n == 0) {
                return Double.NaN;
            }
            double[] sorted = Arrays.copyOf(steady, n);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(q * n) - 1; // nearest-rank quantile
            return sorted[Math.max(0, Math.min(n - 1, rank))];
        }
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("hypnos-stream");
        Path bundle = args.length > 0 ? Path.of(args[0]) : TinyBundle.write(work.resolve("tiny.safetensors"), 7);
        Path recording = args.length > 1 ? Path.of(args[1]) : DemoNight.write(work, 3, 42).recording();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        List<String> modalities = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        run(bundle, recording, seconds, modalities, System.out);
    }

    /**
     * Streams at most {@code maxSeconds} seconds of {@code recording}.
     *
     * @param modalities the modalities to embed (empty: all that the channels carry)
     */
    public static Result run(Path bundle, Path recording, int maxSeconds, List<String> modalities, PrintStream log)
            throws IOException {
        LoadOptions options = ExampleLoadOptions.get();
        try (HypnosModel model = Hypnos.load(bundle, options);
                Recording rec = Recordings.open(recording)) {
            // Declare the live channels as the amplifier names them; they are resolved to
            // modalities exactly as a file's labels would be (re-referencing included).
            StreamOptions.Builder b = StreamOptions.builder()
                    .embedOptions(model.options().embedDefaults().withModalities(modalities));
            for (SignalInfo s : rec.signals()) {
                b.channel(s.label(), s.unit(), s.sampleRate());
            }
            int total = (int) Math.min(maxSeconds, Math.floor(rec.durationSeconds()));
            List<StreamedSecond> out = new ArrayList<>();
            double[] latency = new double[total];
            int[] emitted = new int[total];

            try (EmbeddingStream stream = model.stream(b.build())) {
                log.println("streaming " + stream.present() + " from " + recording.getFileName());
                for (int t = 0; t < total; t++) {
                    // One second of every channel, as an acquisition loop would deliver it.
                    long t0 = System.nanoTime();
                    int before = out.size();
                    for (int i = 0; i < rec.signals().size(); i++) {
                        out.addAll(stream.push(rec.signals().get(i).label(), oneSecond(rec, i, t)));
                    }
                    latency[t] = (System.nanoTime() - t0) / 1e6;
                    emitted[t] = out.size() - before;
                    if (emitted[t] > 0 && (t < 65 || t % 30 == 0)) {
                        StreamedSecond last = out.get(out.size() - 1);
                        log.printf(Locale.ROOT, "t=%3d s: %2d second(s) out, latest #%d, |mean| = %.3f, %.1f ms%n", t,
                                emitted[t], last.second(), norm(last.mean()), latency[t]);
                    }
                }
                // Flush what the filters and tokenizers still hold (the stream then matches batch).
                out.addAll(stream.finish());
            }
            Result r = new Result(out, latency, emitted);
            log.printf(Locale.ROOT, "%d seconds embedded; steady-state latency per second: median %.1f ms, p99 %.1f ms%n",
                    out.size(), r.steadyLatencyMs(0.5), r.steadyLatencyMs(0.99));
            return r;
        }
    }

    /** Samples of signal {@code i} in second {@code t} (rates that are not whole numbers get the rounded share). */
    private static double[] oneSecond(Recording rec, int i, int t) throws IOException {
        double fs = rec.signals().get(i).sampleRate();
        long from = Math.round(t * fs);
        long to = Math.round((t + 1) * fs);
        return rec.read(i, from, (int) (to - from));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}

package ai.hypnos.examples;

import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.generate.Generated;
import ai.hypnos.transformer.generate.SamplingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Imputes a missing modality from the others: the recording is tokenized without the target
 * (even if the file has it), the model samples the target's tokens second by second given
 * everything else, and the target's tokenizer decodes them to a waveform, written as EDF+.
 *
 * <pre>
 * GenerateModality [BUNDLE [RECORDING [MODALITY [SECONDS [OUT.edf]]]]]
 * </pre>
 *
 * Without arguments it imputes 30 seconds of ECG of a synthetic night with a random {@code tiny}
 * bundle (whose "ECG" is noise in the right format: a trained bundle is needed for a real one).
 * Generation samples every second level by level, so it is much slower than embedding: the
 * example imputes the first {@code SECONDS} of the recording (default 30).
 *
 * <p>The generated signal is in the model's preprocessed units (rolling z-score at the
 * tokenizer's rate, e.g. 128 Hz for ECG), so the example compares it with the real signal after
 * the same preprocessing.
 */
public final class GenerateModality {
    private GenerateModality() {
    }

    /**
     * What was generated.
     *
     * @param generated   tokens and decoded waveform
     * @param real        the file's own signal of the target after preprocessing ({@code null} if the file lacks it)
     * @param correlation Pearson correlation of generated and real over their common length (NaN without a real one)
     */
    public record Result(Generated generated, float[] real, double correlation) {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("hypnos-generate");
        Path bundle = args.length > 0 ? Path.of(args[0]) : TinyBundle.write(work.resolve("tiny.safetensors"), 7);
        Path recording = args.length > 1 ? Path.of(args[1]) : DemoNight.write(work, 2, 42).recording();
        String target = args.length > 2 ? args[2] : "ecg";
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 30;
        Path out = args.length > 4 ? Path.of(args[4]) : work.resolve(target + "-imputed.edf");
        run(bundle, recording, target, seconds, out, 0, System.out);
    }

    /**
     * Imputes {@code target} over the first {@code seconds} of {@code recording} from its other
     * modalities and writes it to {@code out}.
     *
     * @param seed sampling seed: the same seed gives the same signal
     */
    public static Result run(Path bundle, Path recording, String target, double seconds, Path out, long seed,
            PrintStream log) throws IOException {
        try (HypnosModel model = Hypnos.load(bundle, ExampleLoadOptions.get());
                Recording file = Recordings.open(recording)) {
            Recording rec = firstSeconds(file, seconds);
            EmbedOptions options = model.options().embedDefaults();
            // The reference's sampling defaults: temperature 0.7, nucleus 0.95.
            SamplingOptions sampling = SamplingOptions.defaults(seed);

            long t0 = System.nanoTime();
            Generated g = model.impute(rec, List.of(target), options, sampling);
            float[] wave = g.waveforms().get(target);
            int rate = g.sampleRates().get(target);
            log.printf(Locale.ROOT, "imputed %s from the other modalities: %d s, %d samples at %d Hz in %.2f s%n", target,
                    g.tokens().length, wave.length, rate, (System.nanoTime() - t0) / 1e9);

            // One EDF+ signal labelled "<channel> (generated)", unit "z"; written atomically.
            LocalDateTime start = rec.startTime() != null ? rec.startTime() : LocalDateTime.of(2000, 1, 1, 0, 0);
            EdfWriter.write(out, g.toRecording(start));
            log.println("wrote " + out);

            // The real signal through the same preprocessing, for comparison (absent if the file lacks it).
            float[] real = model.preprocess(rec, options.withModalities(List.of(target))).signals().get(target);
            double r = Double.NaN;
            if (real != null) {
                r = correlation(wave, real);
                log.printf(Locale.ROOT, "generated: rms %.3f; real (preprocessed): rms %.3f; correlation %.3f%n", rms(wave),
                        rms(real), r);
            }
            return new Result(g, real, r);
        }
    }

    /** The first {@code seconds} of every signal of a recording, in memory (labels, units and rates kept). */
    static Recording firstSeconds(Recording r, double seconds) throws IOException {
        InMemoryRecording.Builder b = InMemoryRecording.builder().source(r.source());
        if (r.startTime() != null) {
            b.start(r.startTime());
        }
        for (int i = 0; i < r.signals().size(); i++) {
            SignalInfo s = r.signals().get(i);
            b.signal(s.label(), s.unit(), s.sampleRate(), r.readSeconds(i, 0, Math.min(seconds, r.durationSeconds())));
        }
        return b.build();
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return Math.sqrt(s / Math.max(1, x.length));
    }

    /** Pearson correlation over the common length. */
    static double correlation(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}

package ai.hypnos.examples;

import ai.hypnos.embed.EmbeddingMatrix;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Embeds one night: loads a bundle, turns a recording into one embedding per second per present
 * modality, prints the shapes and saves everything as an NPZ file that numpy reads.
 *
 * <pre>
 * EmbedNight [BUNDLE [RECORDING [OUT.npz]]]
 * </pre>
 *
 * Without arguments it writes a random {@code tiny} bundle and a 10-minute synthetic night into
 * a temporary folder and embeds that, so it runs anywhere in a few seconds.
 *
 * <p>What {@code embed} does (DESIGN §3–§6): find the eight Hypnos channels among the file's
 * labels (the channel-resolution report says which label fed which modality), preprocess each
 * (resample, causal filters, rolling z-score), tokenize it one second at a time, run the
 * transformer, and return {@code [S, D]} per modality, their mean, 30-s epoch averages and the
 * tokens.
 */
public final class EmbedNight {
    private EmbedNight() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("hypnos-embed-night");
        Path bundle = args.length > 0 ? Path.of(args[0]) : TinyBundle.write(work.resolve("tiny.safetensors"), 7);
        Path recording = args.length > 1 ? Path.of(args[1]) : DemoNight.write(work, 10, 42).recording();
        Path out = args.length > 2 ? Path.of(args[2]) : work.resolve("night-embeddings.npz");
        run(bundle, recording, out, System.out);
    }

    /**
     * Embeds {@code recording} with the bundle and writes the NPZ.
     *
     * @return the embeddings (also saved to {@code out})
     */
    public static Embeddings run(Path bundle, Path recording, Path out, PrintStream log) throws IOException {
        // float32 output on the device of -Dhypnos.device (default cpu).
        LoadOptions options = ExampleLoadOptions.get();
        // The model holds native (libtorch) memory: close it, here with try-with-resources.
        try (HypnosModel model = Hypnos.load(bundle, options)) {
            log.printf(Locale.ROOT, "model: %d modalities %s, embedding width D = %d%n",
                    model.modalities().size(), model.modalities(), model.embedDim());

            long t0 = System.nanoTime();
            Embeddings e = model.embed(recording);
            log.printf(Locale.ROOT, "embedded %s in %.2f s%n", recording.getFileName(), (System.nanoTime() - t0) / 1e9);

            // How the file's channels were matched to the modalities (debug cohort quirks with this).
            e.report().ifPresent(log::println);

            // One [S, D] matrix per present modality: row t is the embedding of second t.
            for (String name : e.present()) {
                log.printf(Locale.ROOT, "  %-9s %s%n", name, shape(e.matrix(name)));
            }
            log.printf(Locale.ROOT, "  %-9s %s   (mean over the present modalities)%n", "mean", shape(e.mean()));
            log.printf(Locale.ROOT, "  %-9s %s   (mean over whole 30-s epochs)%n", "epochs", shape(e.epochs()));
            log.printf(Locale.ROOT, "  %-9s [%d, %d]   (the tokens the transformer read)%n", "tokens", e.seconds(),
                    e.totalK());

            // Keys: one per present modality, mean, epochs, tokens, presence, modalities, channel_ids, report.
            e.writeNpz(out);
            log.println("saved " + out + "  (python: np.load(path)['mean'])");
            return e;
        }
    }

    private static String shape(EmbeddingMatrix m) {
        return "[" + m.rows() + ", " + m.cols() + "]";
    }
}

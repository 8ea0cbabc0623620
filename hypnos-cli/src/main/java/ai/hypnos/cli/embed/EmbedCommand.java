package ai.hypnos.cli.embed;

import ai.hypnos.embed.EmbeddingSummary;
import ai.hypnos.embed.HypnosModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hypnos embed}: embeddings of one recording, or of a whole cohort.
 *
 * <p>One recording: {@code hypnos embed REC.edf --model BUNDLE --out emb.npz} writes (atomically)
 * one {@code [S, D]} array per present modality under its name, {@code mean} {@code [S, D]},
 * {@code epochs} {@code [floor(S/30), D]}, {@code tokens} {@code [S, ΣK]} int64,
 * {@code presence} {@code [M]} bool, {@code modalities} {@code [M]} str, {@code channel_ids}
 * {@code [M]} int64 and {@code report} (the channel-resolution report as JSON); see
 * {@code docs/embedding.md}.
 *
 * <p>A cohort: {@code hypnos embed --cohort DIR|MANIFEST --model BUNDLE --out DIR} embeds every
 * recording (a folder is searched for EDF/BDF/WFDB files; a manifest lists one path per line or
 * has a {@code path} column) into {@code DIR/<name>.npz}, with a progress bar, and writes
 * {@code DIR/embed-report.tsv}; a recording that fails is reported and skipped.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a recording (or a cohort) with a Hypnos bundle: per-modality 1 Hz embeddings, their "
                + "mean, 30-s epochs, tokens and presence, as NPZ.")
public final class EmbedCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "REC",
            description = "Recording: EDF/EDF+/BDF/BDF+ file or WFDB record (.hea).")
    Path recording;

    @Option(names = "--cohort", paramLabel = "DIR|MANIFEST",
            description = "Embed every recording of a folder or manifest instead of one recording.")
    Path cohort;

    @Option(names = "--out", required = true, paramLabel = "emb.npz|DIR",
            description = "Output NPZ (one recording) or output folder (--cohort).")
    Path out;

    @Mixin
    ModelOptions model;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Cohort: recordings embedded in parallel by one shared model (default 1).")
    int threads;

    @Option(names = "--skip-existing", description = "Cohort: keep outputs that already exist.")
    boolean skipExisting;

    @Override
    public Integer call() throws Exception {
        if ((recording == null) == (cohort == null)) {
            throw new IllegalArgumentException("give either one recording (REC) or --cohort DIR|MANIFEST");
        }
        try (HypnosModel m = model.load()) {
            if (cohort != null) {
                return new CohortEmbedding(m, threads, skipExisting).run(cohort, out);
            }
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a folder; give the NPZ file to write");
            }
            long t0 = System.nanoTime();
            EmbeddingSummary e = m.embedToNpz(recording, out);
            System.out.printf(Locale.ROOT, "%s: %d s × %d, present %s, %s -> %s (%.1f s)%n", recording.getFileName(),
                    e.seconds(), e.dim(), e.present(), e.outputType().numpyName(), out,
                    (System.nanoTime() - t0) / 1e9);
            e.notes().forEach(n -> System.out.println("note: " + n));
            e.report().ifPresent(r -> r.warnings().forEach(w -> System.out.println("warning: " + w)));
            return 0;
        }
    }
}

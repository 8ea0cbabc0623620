package ai.hypnos.cli.embed;

import ai.hypnos.embed.EmbeddingSummary;
import ai.hypnos.embed.HypnosModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds every recording of a cohort folder or manifest with one model, writing one NPZ per
 * recording and a TSV report ({@code path, status, seconds, present, output, message}); failures
 * are reported and skipped.
 */
final class CohortEmbedding {
    private static final Logger LOG = LoggerFactory.getLogger(CohortEmbedding.class);
    private static final List<String> EXTENSIONS = List.of(".edf", ".bdf", ".rec", ".hea");

    private final HypnosModel model;
    private final int threads;
    private final boolean skipExisting;

    CohortEmbedding(HypnosModel model, int threads, boolean skipExisting) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.model = model;
        this.threads = threads;
        this.skipExisting = skipExisting;
    }

    private record Row(Path recording, String status, int seconds, String present, Path output, String message) {
        String tsv() {
            return recording + "\t" + status + "\t" + (seconds < 0 ? "" : seconds) + "\t" + present + "\t"
                    + (output == null ? "" : output.getFileName()) + "\t" + message.replace('\t', ' ').replace('\n', ' ');
        }
    }

    /** Runs the cohort; 0 when every recording was embedded (or skipped as existing), else 1. */
    int run(Path cohort, Path outDir) throws Exception {
        List<Path> recordings = list(cohort);
        if (recordings.isEmpty()) {
            throw new IllegalArgumentException("no recordings (" + EXTENSIONS + ") found in " + cohort);
        }
        Files.createDirectories(outDir);
        Path root = Files.isDirectory(cohort) ? cohort : cohort.toAbsolutePath().getParent();
        List<Path> outputs = outputNames(recordings, root, outDir);
        List<Row> rows = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("embed").setInitialMax(recordings.size())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rec", 1).build()) {
            List<Future<Row>> futures = new ArrayList<>();
            for (int i = 0; i < recordings.size(); i++) {
                Path rec = recordings.get(i);
                Path target = outputs.get(i);
                futures.add(pool.submit(() -> {
                    Row r = one(rec, target);
                    bar.step();
                    return r;
                }));
            }
            for (Future<Row> f : futures) {
                rows.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        StringBuilder tsv = new StringBuilder("path\tstatus\tseconds\tpresent\toutput\tmessage\n");
        rows.forEach(r -> tsv.append(r.tsv()).append('\n'));
        Path report = outDir.resolve("embed-report.tsv");
        Files.writeString(report, tsv.toString(), StandardCharsets.UTF_8);
        long failed = rows.stream().filter(r -> r.status().equals("failed")).count();
        System.out.printf(Locale.ROOT, "%d recordings: %d embedded, %d skipped, %d failed; report %s%n", rows.size(),
                rows.stream().filter(r -> r.status().equals("ok")).count(),
                rows.stream().filter(r -> r.status().equals("skipped")).count(), failed, report);
        rows.stream().filter(r -> r.status().equals("failed"))
                .forEach(r -> System.err.println("failed: " + r.recording() + ": " + r.message()));
        return failed == 0 ? 0 : 1;
    }

    private Row one(Path rec, Path target) {
        if (skipExisting && Files.exists(target)) {
            return new Row(rec, "skipped", -1, "", target, "output exists");
        }
        try {
            EmbeddingSummary e = model.embedToNpz(rec, target);
            return new Row(rec, "ok", e.seconds(), String.join(",", e.present()), target, String.join("; ", e.notes()));
        } catch (Exception | OutOfMemoryError ex) {
            LOG.warn("{}: {}", rec, ex.toString());
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return new Row(rec, "failed", -1, "", null, msg);
        }
    }

    /** Recordings of a folder (recursively, sorted) or a manifest. */
    static List<Path> list(Path cohort) throws IOException {
        if (Files.isDirectory(cohort)) {
            try (Stream<Path> s = Files.walk(cohort)) {
                return s.filter(Files::isRegularFile).filter(CohortEmbedding::isRecording).sorted().toList();
            }
        }
        if (!Files.isRegularFile(cohort)) {
            throw new IllegalArgumentException("--cohort " + cohort + " is neither a folder nor a manifest file");
        }
        Path base = cohort.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(cohort, StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        int column = -1;
        String sep = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (column < 0 && sep == null && (line.contains(",") || line.contains("\t"))) {
                sep = line.contains("\t") ? "\t" : ",";
                List<String> head = List.of(line.split(sep, -1));
                for (String name : List.of("path", "recording", "edf", "file")) {
                    int c = head.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList().indexOf(name);
                    if (c >= 0) {
                        column = c;
                        break;
                    }
                }
                if (column < 0) {
                    throw new IllegalArgumentException(cohort + " line " + (i + 1) + ": a table manifest needs a "
                            + "'path' column, header is " + head);
                }
                continue;
            }
            String cell = sep == null ? line : line.split(sep, -1)[column].strip();
            Path p = Path.of(cell);
            out.add(p.isAbsolute() ? p : base.resolve(p));
        }
        return out;
    }

    private static boolean isRecording(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** {@code <relative path with / → __, extension → .npz>}, unique within the cohort. */
    private static List<Path> outputNames(List<Path> recordings, Path root, Path outDir) {
        Set<String> used = new HashSet<>();
        List<Path> out = new ArrayList<>();
        for (Path r : recordings) {
            Path abs = r.toAbsolutePath().normalize();
            Path rel = abs.startsWith(root.toAbsolutePath().normalize())
                    ? root.toAbsolutePath().normalize().relativize(abs) : abs.getFileName();
            String name = rel.toString().replace('/', '_').replace('\\', '_');
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String candidate = stem + ".npz";
            for (int k = 2; !used.add(candidate); k++) {
                candidate = stem + "-" + k + ".npz";
            }
            out.add(outDir.resolve(candidate));
        }
        return out;
    }
}

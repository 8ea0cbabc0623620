package ai.hypnos.cli.embed;

import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.EmbedOptions;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
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
 *
 * <p>Outputs are named {@code <recording file name without extension>.npz}, the name
 * {@code hypnos probe --embeddings} looks for. Recordings of different folders that share a file
 * name get their relative path instead ({@code site-a_n1.npz}), with a warning, since a probe
 * manifest could not tell them apart. A folder scan skips annotation-only EDF+ files (hypnograms
 * stored as EDF), which hold no signal to embed. A manifest's {@code notch} column (50 or 60),
 * where a row gives one, overrides {@code --notch} for that recording: cohorts that mix sites
 * mix mains frequencies.
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

    /** A recording to embed and, from a manifest's {@code notch} column, its mains frequency (0: the default). */
    record Item(Path recording, double notchHz) {
    }

    private record Row(Path recording, String status, int seconds, String present, Path output, String message) {
        String tsv() {
            return recording + "\t" + status + "\t" + (seconds < 0 ? "" : seconds) + "\t" + present + "\t"
                    + (output == null ? "" : output.getFileName()) + "\t" + message.replace('\t', ' ').replace('\n', ' ');
        }
    }

    /** Runs the cohort; 0 when every recording was embedded (or skipped as existing), else 1. */
    int run(Path cohort, Path outDir) throws Exception {
        List<Item> items = list(cohort);
        List<Row> rows = new ArrayList<>();
        if (Files.isDirectory(cohort)) {
            List<Item> withSignals = new ArrayList<>();
            for (Item it : items) {
                if (annotationOnly(it.recording())) {
                    rows.add(new Row(it.recording(), "skipped", -1, "", null, "annotation-only file: no signal to embed"));
                } else {
                    withSignals.add(it);
                }
            }
            items = withSignals;
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no recordings (" + EXTENSIONS + ") found in " + cohort);
        }
        List<Path> recordings = items.stream().map(Item::recording).toList();
        Files.createDirectories(outDir);
        Path root = Files.isDirectory(cohort) ? cohort : cohort.toAbsolutePath().getParent();
        List<Path> outputs = outputNames(recordings, root, outDir);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("embed").setInitialMax(recordings.size())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rec", 1).build()) {
            List<Future<Row>> futures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                Path target = outputs.get(i);
                futures.add(pool.submit(() -> {
                    Row r = one(item, target);
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

    private Row one(Item item, Path target) {
        Path rec = item.recording();
        if (skipExisting && Files.exists(target)) {
            return new Row(rec, "skipped", -1, "", target, "output exists");
        }
        try {
            EmbedOptions options = model.options().embedDefaults();
            if (item.notchHz() > 0) {
                options = options.withNotchHz(item.notchHz());
            }
            EmbeddingSummary e = model.embedToNpz(rec, options, target);
            return new Row(rec, "ok", e.seconds(), String.join(",", e.present()), target, String.join("; ", e.notes()));
        } catch (Exception | OutOfMemoryError ex) {
            LOG.warn("{}: {}", rec, ex.toString());
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return new Row(rec, "failed", -1, "", null, msg);
        }
    }

    /** Recordings of a folder (recursively, sorted) or a manifest. */
    static List<Item> list(Path cohort) throws IOException {
        if (Files.isDirectory(cohort)) {
            try (Stream<Path> s = Files.walk(cohort)) {
                return s.filter(Files::isRegularFile).filter(CohortEmbedding::isRecording).sorted()
                        .map(p -> new Item(p, 0)).toList();
            }
        }
        if (!Files.isRegularFile(cohort)) {
            throw new IllegalArgumentException("--cohort " + cohort + " is neither a folder nor a manifest file");
        }
        Path base = cohort.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(cohort, StandardCharsets.UTF_8);
        List<Item> out = new ArrayList<>();
        int column = -1;
        int notchColumn = -1;
        String sep = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (column < 0 && sep == null && (line.contains(",") || line.contains("\t"))) {
                sep = line.contains("\t") ? "\t" : ",";
                List<String> head = List.of(line.split(sep, -1));
                List<String> names = head.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
                notchColumn = names.indexOf("notch");
                for (String name : List.of("path", "recording", "edf", "file")) {
                    int c = names.indexOf(name);
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
            String[] cells = sep == null ? new String[] {line} : line.split(sep, -1);
            if (column >= cells.length) {
                throw new IllegalArgumentException(cohort + " line " + (i + 1) + ": no cell in column " + (column + 1)
                        + " (the recording's path)");
            }
            Path p = Path.of(cells[column].strip());
            String notch = notchColumn >= 0 && notchColumn < cells.length ? cells[notchColumn].strip() : "";
            out.add(new Item(p.isAbsolute() ? p : base.resolve(p), notchHz(notch, cohort, i + 1)));
        }
        return out;
    }

    /** A manifest's {@code notch} cell: empty or 0 for the default, else 50 or 60. */
    private static double notchHz(String cell, Path manifest, int line) {
        if (cell.isEmpty()) {
            return 0;
        }
        double hz;
        try {
            hz = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            hz = -1;
        }
        if (hz != 0 && hz != 50 && hz != 60) {
            throw new IllegalArgumentException(manifest + " line " + line + ": notch must be 50, 60, 0 or empty (Hz), got '"
                    + cell + "'");
        }
        return hz;
    }

    /**
     * Whether a file opens as a recording with no ordinary signal (an EDF+ holding only
     * annotations). A file that does not open is not skipped: embedding it reports why.
     */
    private static boolean annotationOnly(Path p) {
        try (Recording r = Recordings.open(p)) {
            return r.signals().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isRecording(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /**
     * {@code <file name without extension>.npz}; where two recordings share that name, their
     * relative paths with {@code /} → {@code _} instead, kept unique within the cohort. A
     * recording whose file name is unique always gets {@code <stem>.npz}, since that is the name
     * hypnos probe pairs with it: those names are reserved before any clashing recording is named
     * (else {@code a/n1.edf}, sorted first, would take {@code a_n1.npz} from {@code a_n1.edf}).
     */
    static List<Path> outputNames(List<Path> recordings, Path root, Path outDir) {
        Map<String, Long> stems = recordings.stream()
                .collect(Collectors.groupingBy(r -> stem(r.getFileName().toString()), Collectors.counting()));
        Path base = root.toAbsolutePath().normalize();
        Set<String> used = new HashSet<>();
        String[] names = new String[recordings.size()];
        for (int i = 0; i < names.length; i++) {
            String stem = stem(recordings.get(i).getFileName().toString());
            if (stems.get(stem) == 1) {
                names[i] = stem + ".npz";
                used.add(names[i]);
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                continue;
            }
            Path r = recordings.get(i);
            Path abs = r.toAbsolutePath().normalize();
            Path rel = abs.startsWith(base) ? base.relativize(abs) : abs.getFileName();
            String stem = stem(rel.toString().replace('/', '_').replace('\\', '_'));
            String candidate = stem + ".npz";
            for (int k = 2; !used.add(candidate); k++) {
                candidate = stem + "-" + k + ".npz";
            }
            names[i] = candidate;
            LOG.warn("{}: another recording of the cohort has the same file name, so its output is {}; "
                    + "hypnos probe looks for <file name>.npz and will not find it", r, candidate);
        }
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            out.add(outDir.resolve(n));
        }
        return out;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}

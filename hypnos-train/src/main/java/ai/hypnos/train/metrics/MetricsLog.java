package ai.hypnos.train.metrics;

import ai.hypnos.core.io.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of a run, as rows of named numbers keyed by step, in three files of the run folder:
 * {@code metrics.jsonl} (every row, {@code "kind": "train"} or {@code "val"}), {@code metrics.csv}
 * (training rows) and {@code val-metrics.csv} (validation rows). Each row is flushed as it is
 * written, so a killed run loses at most the row being written.
 *
 * <p>Opening the log of a resumed run drops the rows after the step it resumes from (they belong
 * to the part of the interrupted run that is redone), so the files always tell one history.
 */
public final class MetricsLog implements AutoCloseable {
    /** A row: its kind, step and values in column order. */
    public record Row(String kind, long step, Map<String, Double> values) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String JSONL = "metrics.jsonl";
    public static final String TRAIN_CSV = "metrics.csv";
    public static final String VAL_CSV = "val-metrics.csv";

    private final Path dir;
    private final List<String> trainColumns;
    private final List<String> valColumns;
    private final List<Row> rows = new ArrayList<>();
    private final Writer jsonl;
    private final Writer trainCsv;
    private final Writer valCsv;

    private MetricsLog(Path dir, List<String> trainColumns, List<String> valColumns) throws IOException {
        this.dir = dir;
        this.trainColumns = List.copyOf(trainColumns);
        this.valColumns = List.copyOf(valColumns);
        this.jsonl = append(dir.resolve(JSONL));
        this.trainCsv = append(dir.resolve(TRAIN_CSV));
        this.valCsv = append(dir.resolve(VAL_CSV));
    }

    /**
     * Opens the log of a run that has completed {@code keepUpToStep} steps: rows of later steps
     * are dropped from the files, earlier ones are kept (and returned by {@link #rows()}).
     *
     * @param trainColumns value names of training rows (CSV columns after {@code step})
     * @param valColumns   value names of validation rows
     */
    public static MetricsLog open(Path dir, long keepUpToStep, List<String> trainColumns, List<String> valColumns)
            throws IOException {
        Files.createDirectories(dir);
        List<Row> kept = new ArrayList<>();
        Path jsonl = dir.resolve(JSONL);
        if (Files.isRegularFile(jsonl)) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                Row r = parse(line);
                if (r != null && r.step() <= keepUpToStep) {
                    kept.add(r);
                }
            }
        }
        rewrite(dir, kept, trainColumns, valColumns);
        MetricsLog log = new MetricsLog(dir, trainColumns, valColumns);
        log.rows.addAll(kept);
        return log;
    }

    private static Row parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.has("step") || !n.has("kind")) {
                return null;
            }
            Map<String, Double> v = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("kind") && !e.getKey().equals("step")) {
                    v.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN);
                }
            });
            return new Row(n.get("kind").asText(), n.get("step").asLong(), v);
        } catch (IOException e) {
            return null; // a line cut short by a kill
        }
    }

    private static void rewrite(Path dir, List<Row> kept, List<String> trainColumns, List<String> valColumns)
            throws IOException {
        StringBuilder j = new StringBuilder();
        StringBuilder t = new StringBuilder(header(trainColumns));
        StringBuilder v = new StringBuilder(header(valColumns));
        for (Row r : kept) {
            j.append(jsonLine(r));
            if (r.kind().equals("train")) {
                t.append(csvLine(r, trainColumns));
            } else {
                v.append(csvLine(r, valColumns));
            }
        }
        write(dir.resolve(JSONL), j.toString());
        write(dir.resolve(TRAIN_CSV), t.toString());
        write(dir.resolve(VAL_CSV), v.toString());
    }

    private static void write(Path file, String text) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write(text.getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
    }

    private static Writer append(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), StandardCharsets.UTF_8));
    }

    private static String header(List<String> columns) {
        return "step," + String.join(",", columns) + "\n";
    }

    private static String jsonLine(Row r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", r.kind());
        o.put("step", r.step());
        r.values().forEach((k, x) -> {
            if (Double.isFinite(x)) {
                o.put(k, x);
            } else {
                o.putNull(k);
            }
        });
        return o + "\n";
    }

    private static String csvLine(Row r, List<String> columns) {
        StringBuilder b = new StringBuilder(Long.toString(r.step()));
        for (String c : columns) {
            Double x = r.values().get(c);
            b.append(',');
            if (x != null && Double.isFinite(x)) {
                b.append(x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString(x.longValue())
                        : String.format(Locale.ROOT, "%.7g", x));
            }
        }
        return b.append('\n').toString();
    }

    /** Appends a training row. */
    public void train(long step, Map<String, Double> values) throws IOException {
        add(new Row("train", step, new LinkedHashMap<>(values)), trainCsv, trainColumns);
    }

    /** Appends a validation row. */
    public void validation(long step, Map<String, Double> values) throws IOException {
        add(new Row("val", step, new LinkedHashMap<>(values)), valCsv, valColumns);
    }

    private void add(Row r, Writer csv, List<String> columns) throws IOException {
        rows.add(r);
        jsonl.write(jsonLine(r));
        jsonl.flush();
        csv.write(csvLine(r, columns));
        csv.flush();
    }

    /** Every row so far (kept from before a resume, then this run's), in order. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        jsonl.close();
        trainCsv.close();
        valCsv.close();
    }
}

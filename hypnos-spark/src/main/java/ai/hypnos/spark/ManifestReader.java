package ai.hypnos.spark;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.cohort.SubjectSplitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads a cohort manifest with Spark (CSV with a header, or Parquet) from any Hadoop file system
 * and resolves it the way {@code Cohort.fromManifest} does for the single-machine builder, so that
 * both write the same shard metadata:
 * <ul>
 *   <li>columns {@code subject,recording,annotations,site,notch,split} (others are ignored);</li>
 *   <li>paths relative to the manifest's folder, absolute paths and URIs kept;</li>
 *   <li>recording id = file name without extension, unique in the cohort;</li>
 *   <li>a subject stays in one split; an empty split is the {@link SubjectSplitter}'s, unless
 *       another night of the subject names one.</li>
 * </ul>
 * The driver holds these rows (metadata: a few MB for 20,000 nights), never signal data.
 */
final class ManifestReader {
    private static final List<String> COLUMNS = Arrays.asList(CohortManifest.HEADER.split(","));

    private ManifestReader() {
    }

    /** The recordings of a manifest, in manifest order. */
    static List<RecordingTask> read(SparkSession spark, String uri, SubjectSplitter splitter) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path manifest = new Path(uri);
        FileSystem fs = manifest.getFileSystem(conf);
        manifest = fs.makeQualified(manifest);
        java.nio.file.Path where = java.nio.file.Path.of(manifest.toString());
        if (!fs.exists(manifest)) {
            throw new HypnosFormatException(where, "file", "missing", "no such manifest");
        }
        boolean parquet = fs.getFileStatus(manifest).isDirectory()
                || manifest.getName().toLowerCase(Locale.ROOT).endsWith(".parquet");
        Dataset<Row> df = parquet ? spark.read().parquet(manifest.toString())
                : spark.read().option("header", "true").option("mode", "FAILFAST").csv(manifest.toString());
        List<String> missing = COLUMNS.stream().filter(c -> !Arrays.asList(df.columns()).contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new HypnosFormatException(where, "columns", Arrays.toString(df.columns()),
                    "missing column(s) " + missing + "; a manifest has " + CohortManifest.HEADER);
        }
        List<Row> rows = df.select(COLUMNS.stream().map(c -> functions.col(c).cast("string")).toArray(
                org.apache.spark.sql.Column[]::new)).collectAsList();
        return resolve(rows, manifest, fs, where, splitter);
    }

    private static List<RecordingTask> resolve(List<Row> rows, Path manifest, FileSystem fs, java.nio.file.Path where,
            SubjectSplitter splitter) throws HypnosFormatException {
        Map<String, Split> given = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String subject = text(rows.get(i), 0);
            String split = text(rows.get(i), 5);
            if (subject.isBlank()) {
                throw new HypnosFormatException(where, "row " + (i + 1) + " subject", subject, "subject id is empty");
            }
            if (split.isBlank()) {
                continue;
            }
            Split s;
            try {
                s = Split.parse(split);
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(where, "row " + (i + 1) + " split", split, e.getMessage());
            }
            Split before = given.putIfAbsent(subject, s);
            if (before != null && before != s) {
                throw new HypnosFormatException(where, "row " + (i + 1) + " split", split, "subject '" + subject
                        + "' already has nights in " + before.key() + ": a subject must stay in one split");
            }
        }
        List<RecordingTask> out = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String field = "row " + (i + 1);
            String subject = text(r, 0);
            String recording = text(r, 1);
            if (recording.isBlank()) {
                throw new HypnosFormatException(where, field + " recording", "", "recording path is empty");
            }
            int notch;
            try {
                notch = Integer.parseInt(text(r, 4).strip());
            } catch (NumberFormatException e) {
                throw new HypnosFormatException(where, field + " notch", text(r, 4), "not an integer");
            }
            if (notch <= 0) {
                throw new HypnosFormatException(where, field + " notch", notch, "notch frequency must be positive");
            }
            Path rec = resolve(manifest, fs, recording);
            String annotations = text(r, 2).isBlank() ? "" : resolve(manifest, fs, text(r, 2)).toString();
            String id = idOf(rec.getName());
            String clash = ids.putIfAbsent(id, recording);
            if (clash != null) {
                throw new HypnosFormatException(where, field + " recording", recording, "recording id '" + id
                        + "' is used twice: " + clash + " and " + recording
                        + " (ids are file names without extension and must be unique)");
            }
            Split split = given.computeIfAbsent(subject, splitter::splitOf);
            out.add(new RecordingTask(id, subject, recording, rec.toString(), annotations, text(r, 3), notch, split.key()));
        }
        return out;
    }

    /** A manifest path: relative to the manifest's folder unless absolute or a URI. */
    private static Path resolve(Path manifest, FileSystem fs, String value) {
        Path p = new Path(value);
        if (p.toUri().getScheme() != null) {
            return p;
        }
        return p.isAbsolute() ? fs.makeQualified(p) : new Path(manifest.getParent(), p);
    }

    /** What {@code CohortEntry.idOf} gives for a file name. */
    static String idOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String text(Row r, int i) {
        return r.isNullAt(i) ? "" : r.getString(i);
    }
}

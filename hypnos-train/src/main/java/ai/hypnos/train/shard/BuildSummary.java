package ai.hypnos.train.shard;

import ai.hypnos.core.io.AtomicFile;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a shard build did with every recording: built, already finished (skipped), or failed
 * with the reason. Written next to the shards as {@code shards-summary.json} and
 * {@code shards-summary.csv}.
 *
 * @param outcomes one per recording, in cohort order
 */
public record BuildSummary(List<Outcome> outcomes) {

    /** What happened to one recording. */
    public enum Status {
        BUILT, FINISHED_BEFORE, FAILED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param id      recording id
     * @param source  the recording as the manifest names it
     * @param status  outcome
     * @param seconds tokens per modality (0 when failed)
     * @param reason  why it failed, else empty
     * @param wallSeconds time spent on it in this run
     */
    public record Outcome(String id, String source, Status status, int seconds, String reason, double wallSeconds) {
    }

    public BuildSummary {
        outcomes = List.copyOf(outcomes);
    }

    public long count(Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }

    /** The failed recordings. */
    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.status() == Status.FAILED).toList();
    }

    /** Hours of recordings tokenized in this run. */
    public double builtHours() {
        return outcomes.stream().filter(o -> o.status() == Status.BUILT).mapToDouble(Outcome::seconds).sum() / 3600.0;
    }

    /** One line for people: "12 built, 3 already finished, 1 failed". */
    public String headline() {
        return count(Status.BUILT) + " built, " + count(Status.FINISHED_BEFORE) + " already finished, "
                + count(Status.FAILED) + " failed";
    }

    /** Writes {@code shards-summary.json} and {@code shards-summary.csv} into {@code dir}. */
    public void write(Path dir) throws IOException {
        ObjectNode root = ShardMetadata.JSON.createObjectNode();
        root.put("built", count(Status.BUILT));
        root.put("finished_before", count(Status.FINISHED_BEFORE));
        root.put("failed", count(Status.FAILED));
        ArrayNode rows = root.putArray("recordings");
        for (Outcome o : outcomes) {
            ObjectNode r = rows.addObject();
            r.put("id", o.id());
            r.put("source", o.source());
            r.put("status", o.status().key());
            r.put("seconds", o.seconds());
            r.put("reason", o.reason());
            r.put("wall_seconds", Math.round(o.wallSeconds() * 1000) / 1000.0);
        }
        try (AtomicFile f = AtomicFile.create(dir.resolve(ShardFiles.SUMMARY_JSON))) {
            f.stream().write(ShardMetadata.bytes(root));
            f.commit();
        }
        try (AtomicFile f = AtomicFile.create(dir.resolve(ShardFiles.SUMMARY_CSV))) {
            Writer w = new OutputStreamWriter(f.stream(), StandardCharsets.UTF_8);
            w.write("id,source,status,seconds,wall_seconds,reason\n");
            for (Outcome o : outcomes) {
                w.write(String.join(",", csv(o.id()), csv(o.source()), o.status().key(), Integer.toString(o.seconds()),
                        String.format(Locale.ROOT, "%.3f", o.wallSeconds()), csv(o.reason())) + "\n");
            }
            w.flush();
            f.commit();
        }
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n")
                ? "\"" + v.replace("\"", "\"\"").replace("\n", " ") + "\"" : v;
    }
}

package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embed mode through the command line ({@code hypnos spark embed}, the hand-over a user types) in
 * {@code local[2]}, from a Parquet manifest: every NPZ equals, byte for byte, the one
 * {@code hypnos embed REC --model … --notch <row's notch> --dtype float32 --out …} writes.
 */
@Order(2)
class EmbedJobTest {
    @TempDir
    static Path root;
    static TestCohort cohort;
    static SparkSession spark;
    static Path parquetManifest;

    @BeforeAll
    static void cohortAndAParquetManifest() throws IOException {
        cohort = TestCohort.shared();
        spark = TestSpark.session();
        // The same rows as Parquet, in the cohort folder (paths are relative to the manifest's folder).
        parquetManifest = cohort.dir().resolve("manifest.parquet");
        if (!Files.exists(parquetManifest)) {
            spark.read().option("header", "true").csv(cohort.manifest().toString()).repartition(1).write()
                    .parquet(parquetManifest.toString());
        }
    }

    @Test
    void npzFilesAreByteIdenticalToHypnosEmbeds() throws IOException {
        Path out = root.resolve("embeddings");
        Cli run = Cli.run("spark", "embed", "--master", "local[2]", "--manifest", parquetManifest.toString(),
                "--model", cohort.bundle().toString(), "--out", out.toString(), "--dtype", "float32");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("embed: 6 recordings: 5 ok, 0 skipped, 1 failed"), run.out());
        assertTrue(run.out().contains("failed: " + cohort.corrupt() + ": HypnosFormatException"), run.out());

        CohortManifest manifest = CohortManifest.read(cohort.manifest());
        int compared = 0;
        for (CohortManifest.Entry e : manifest.entries()) {
            Path rec = manifest.recordingPath(e);
            String id = ManifestReader.idOf(rec.getFileName().toString());
            if (id.equals(cohort.corrupt())) {
                assertTrue(Files.notExists(out.resolve(id + ".npz")));
                continue;
            }
            Path reference = root.resolve("reference-" + id + ".npz");
            Cli single = Cli.run("embed", rec.toString(), "--model", cohort.bundle().toString(), "--notch",
                    Integer.toString(e.notch()), "--dtype", "float32", "--out", reference.toString());
            assertEquals(0, single.code(), single.err());
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(out.resolve(id + ".npz")), id);
            compared++;
        }
        assertEquals(5, compared);

        Path statusRoot = out.resolve(StatusTable.FOLDER);
        Map<String, Row> status = new java.util.TreeMap<>();
        for (Row r : spark.read().parquet(statusRoot.resolve("*").toString()).collectAsList()) {
            status.put(r.getAs("recording"), r);
        }
        assertEquals("failed", status.get(cohort.corrupt()).getAs("status"));
        Row partial = status.get(cohort.partial());
        assertEquals("ok", partial.getAs("status"));
        assertEquals(List.of("eeg_c3", "eeg_c4", "ecg"), partial.getList(partial.fieldIndex("present")));
        int totalK;
        try (TokenizerSet set = TokenizerSet.open(cohort.bundle(), Device.cpu())) {
            totalK = set.layout().totalK();
        }
        assertEquals(Math.round(TestCohort.HOURS * 3600) * totalK, (long) partial.getAs("tokens"), "S × ΣK");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
        }
    }
}

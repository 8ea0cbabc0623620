package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's acceptance for token shards, in {@code local[2]}: six nights (one corrupt, one with
 * missing modalities) → five shards byte-identical to the single-machine builder's, the corrupt
 * night in the status table with its reason; a job killed midway (a separate JVM halted after two
 * recordings) and rerun finishes without redoing the finished recordings and leaves no partial file.
 */
@Order(1) // first: its separate JVM starts Spark before this JVM does
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenizeJobTest {
    @TempDir
    static Path root;
    static TestCohort cohort;
    static Path single;
    static BuildSummary singleSummary;

    @BeforeAll
    static void cohortAndTheSingleMachineShards() throws IOException {
        cohort = TestCohort.shared();
        single = root.resolve("single");
        try (TokenizerSet set = TokenizerSet.open(cohort.bundle(), Device.cpu())) {
            singleSummary = new ShardBuilder(set).buildAll(
                    Cohort.fromManifest(cohort.manifest(), SubjectSplitter.defaults()), single, 2);
        }
        assertEquals(5, singleSummary.count(BuildSummary.Status.BUILT), singleSummary.outcomes().toString());
    }

    @Test
    @Order(2)
    void shardsAreByteIdenticalToTheSingleMachineBuildersAndFailuresAreListed() throws IOException {
        Path out = root.resolve("spark-shards");
        TestSpark.session();
        int loadsBefore = ExecutorCache.loads();
        // The tokenizers named by a file: URI: another cache key than the other tests' plain path.
        TokenizeJob job = TokenizeJob.of(cohort.manifest().toString(), cohort.bundle().toUri().toString(),
                out.toString());
        JobReport r = SparkJobs.tokenize(job, SparkRunOptions.defaults().withMaster("local[2]"));
        assertEquals(6, r.recordings());
        assertEquals(5, r.ok(), r.toString());
        assertEquals(1, r.failed());
        assertEquals(1, ExecutorCache.loads() - loadsBefore, "tokenizers are loaded once per executor JVM");

        assertSameShards(single, out);
        assertTrue(Files.isRegularFile(out.resolve(ShardFiles.LAYOUT_FILE)));
        assertArrayEquals(Files.readAllBytes(single.resolve(ShardFiles.LAYOUT_FILE)),
                Files.readAllBytes(out.resolve(ShardFiles.LAYOUT_FILE)), "shards-layout.json");

        Map<String, Row> status = status(r);
        assertEquals(6, status.size());
        Row bad = status.get(cohort.corrupt());
        assertEquals("failed", bad.getAs("status"));
        String singleReason = singleSummary.failures().get(0).reason();
        assertEquals(singleReason, bad.getAs("error"), "the single-machine builder's reason");
        assertTrue(singleReason.contains("corrupt-night.edf"), singleReason);
        for (String id : status.keySet()) {
            if (!id.equals(cohort.corrupt())) {
                Row row = status.get(id);
                assertEquals("ok", row.getAs("status"), id);
                assertNull(row.getAs("error"));
                int seconds = row.getAs("seconds");
                assertEquals(Math.round(TestCohort.HOURS * 3600), seconds, id);
                assertTrue(((String) row.getAs("channel_resolution")).contains("\"entries\""), id);
                assertTrue((double) row.getAs("duration_s") > 0);
                assertNotNull(row.getAs("executor"));
            }
        }
        List<String> partial = status.get(cohort.partial()).getList(status.get(cohort.partial()).fieldIndex("present"));
        assertEquals(List.of("eeg_c3", "eeg_c4", "ecg"), partial, "only EEG and ECG present");

        // Rerun: every shard is finished, nothing is rebuilt, the corrupt night fails again.
        Map<String, FileTime> times = mtimes(out);
        JobReport again = SparkJobs.tokenize(job, SparkRunOptions.defaults());
        assertEquals(5, again.skipped(), again.toString());
        assertEquals(0, again.ok());
        assertEquals(1, again.failed());
        assertEquals(times, mtimes(out), "finished shards were rewritten");
        assertEquals(0, ExecutorCache.loads() - loadsBefore - 1, "nothing to build: no model loaded");
    }

    @Test
    @Order(1)
    void aKilledJobRerunFinishesWithoutRedoingFinishedRecordingsAndLeavesNoPartialFile() throws Exception {
        Path out = root.resolve("killed-shards");
        // Before this JVM starts Spark: the two start-ups would compete for the cores.
        Process child = childJob(out, 2);
        assertTrue(child.waitFor(240, TimeUnit.SECONDS), "the child job did not end");
        assertEquals(HaltAfterTasks.STATUS, child.exitValue(),
                "the child was not halted midway: " + Files.readString(root.resolve("child.log")));

        // After the kill: some shards finished, the others absent or unfinished; every file under
        // its final name is complete (equal to the single-machine builder's).
        Set<String> finished = finished(out);
        assertTrue(finished.size() >= 2 && finished.size() < 5, "finished after the kill: " + finished);
        for (String name : visibleShardFiles(out)) {
            assertArrayEquals(Files.readAllBytes(single.resolve(name)), Files.readAllBytes(out.resolve(name)),
                    name + " is partial");
        }
        Map<String, FileTime> times = mtimes(out);

        TestSpark.session();
        JobReport r = SparkJobs.tokenize(job(out), SparkRunOptions.defaults());
        assertEquals(finished.size(), r.skipped(), r.toString());
        assertEquals(5 - finished.size(), r.ok());
        assertEquals(1, r.failed());
        Map<String, Row> status = status(r);
        for (String id : finished) {
            assertEquals("skipped", status.get(id).getAs("status"), id);
            assertTrue(((String) status.get(id).getAs("reason")).startsWith("finished before"));
            for (String suffix : List.of(ShardFiles.TOKENS, ShardFiles.PRESENCE, ShardFiles.METADATA)) {
                assertEquals(times.get(id + suffix), Files.getLastModifiedTime(out.resolve(id + suffix)),
                        id + suffix + " was redone");
            }
        }
        assertSameShards(single, out);
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> leftovers = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), leftovers, "temporary files left");
        }
        try (Stream<Path> s = Files.list(out.resolve(StatusTable.FOLDER))) {
            List<Path> tables = s.toList();
            assertEquals(1, tables.size(), "the killed run's unfinished status folder is removed: " + tables);
            assertTrue(Files.exists(tables.get(0).resolve("_SUCCESS")));
        }
    }

    private static TokenizeJob job(Path out) {
        return TokenizeJob.of(cohort.manifest().toString(), cohort.bundle().toString(), out.toString());
    }

    /** The job in a separate JVM, halted (like kill -9) once {@code after} recordings are done. */
    private static Process childJob(Path out, int after) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dhypnos.test.haltAfterTasks=" + after);
        cmd.addAll(List.of(System.getProperty("spark.module.options", "").split(" ")));
        cmd.removeIf(String::isBlank);
        cmd.addAll(List.of("-cp", classpath, HypnosSparkJob.class.getName(), "tokenize", "--master", "local[2]",
                "--manifest", cohort.manifest().toString(), "--tokenizers", cohort.bundle().toString(),
                "--out", out.toString(), "--conf", "spark.ui.enabled=false",
                // A halted JVM cannot clean up Spark's scratch folders: keep them in the test's folder.
                "--conf", "spark.local.dir=" + root.resolve("child-spark-local"),
                "--conf", "spark.extraListeners=" + HaltAfterTasks.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(root.resolve("child.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static void assertSameShards(Path expected, Path actual) throws IOException {
        List<String> want = visibleShardFiles(expected);
        assertEquals(15, want.size(), "5 shards of 3 files");
        assertEquals(want, visibleShardFiles(actual));
        for (String name : want) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)), name);
        }
    }

    /** The per-recording files (not hidden, not the folder-level ones), sorted. */
    static List<String> visibleShardFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.startsWith("shards-")).sorted().toList();
        }
    }

    private static Set<String> finished(Path out) throws IOException {
        try (TokenizerSet set = TokenizerSet.open(cohort.bundle(), Device.cpu())) {
            return ShardFiles.ids(out).stream()
                    .filter(id -> ShardFiles.isFinished(out, id, set.layout(), set.identities()))
                    .collect(Collectors.toSet());
        }
    }

    private static Map<String, FileTime> mtimes(Path dir) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        for (String n : visibleShardFiles(dir)) {
            out.put(n, Files.getLastModifiedTime(dir.resolve(n)));
        }
        return out;
    }

    static Map<String, Row> status(JobReport r) {
        Map<String, Row> out = new TreeMap<>();
        for (Row row : TestSpark.session().read().parquet(r.statusUri()).collectAsList()) {
            assertEquals(r.runId(), row.getAs("run_id"));
            out.put(row.getAs("recording"), row);
        }
        return out;
    }
}

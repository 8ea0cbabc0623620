package ai.hypnos.spark;

import ai.djl.Device;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.ShardSetInfo;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of a run: read the manifest, prepare the output folder, spread the recordings
 * over the executors one per task, write the status table, read back the counts.
 *
 * <p>Data flow: the driver holds the manifest rows (metadata) and, at the end, three columns of
 * the status table (recording, status, error); executors read the recordings, hold one night per running task, and write
 * their outputs straight to the output file system. The only things that travel between them are
 * the task descriptions, the Hadoop configuration (broadcast once) and one small status row per
 * recording (through a shuffle into the one task that writes the status table).
 */
final class CohortJob {
    private static final Logger LOG = LoggerFactory.getLogger(CohortJob.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int REPORTED_FAILURES = 50;

    private CohortJob() {
    }

    static JobReport tokenize(TokenizeJob job, SparkRunOptions run) throws IOException {
        long t0 = System.nanoTime();
        try (Session s = Session.open(run, "hypnos tokenize")) {
            SparkSession spark = s.spark();
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            List<RecordingTask> tasks = ManifestReader.read(spark, job.manifest(), job.splits());
            Path out = qualified(job.out(), conf);
            FileSystem fs = prepare(out, conf);
            // The layout and tokenizer identities every shard must match; the tokenizers are small
            // (weights, no signal data) and load once more on each executor.
            byte[] layout;
            try (TokenizerSet set = TokenizerSet.open(LocalCopies.bundle(job.tokenizers(), conf), Device.cpu())) {
                layout = layoutFile(new ShardSetInfo(set.layout(), set.identities(), sourceName(job.tokenizers(), conf)));
            }
            HadoopOutputs.write(fs, new Path(out, ShardFiles.LAYOUT_FILE), layout);
            HadoopOutputs.write(fs, new Path(out, ShardFiles.MANIFEST), manifestFile(tasks));
            String runId = runId(spark);
            TokenizeWork work = new TokenizeWork(runId, out.toString(), job.tokenizers(), job.device(), job.aliases(),
                    new String(layout, StandardCharsets.UTF_8));
            return execute(spark, tasks, work, runId, statusUri(run, out, runId), run, t0);
        }
    }

    static JobReport embed(EmbedJob job, SparkRunOptions run) throws IOException {
        long t0 = System.nanoTime();
        try (Session s = Session.open(run, "hypnos embed")) {
            SparkSession spark = s.spark();
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            List<RecordingTask> tasks = ManifestReader.read(spark, job.manifest(), SubjectSplitter.defaults());
            Path bundle = qualified(job.model(), conf);
            if (!bundle.getFileSystem(conf).exists(bundle)) {
                throw new java.io.FileNotFoundException("no model bundle at " + bundle
                        + " (a .safetensors file or a folder holding hypnos.safetensors)");
            }
            Path out = qualified(job.out(), conf);
            prepare(out, conf);
            String runId = runId(spark);
            EmbedWork work = new EmbedWork(runId, out.toString(), bundle.toString(), job.device(), job.precision(),
                    job.dtype(), job.chunkTokens(), job.aliases());
            return execute(spark, tasks, work, runId, statusUri(run, out, runId), run, t0);
        }
    }

    /** Runs the recordings, one per task, and writes the status table. */
    private static JobReport execute(SparkSession spark, List<RecordingTask> tasks, RecordingWork work, String runId,
            String statusUri, SparkRunOptions run, long t0) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("the manifest lists no recordings");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = run.partitions() > 0 ? Math.min(run.partitions(), tasks.size()) : tasks.size();
        Broadcast<SerializableWritable<Configuration>> hadoop =
                jsc.broadcast(new SerializableWritable<>(spark.sparkContext().hadoopConfiguration()));
        // parallelize cuts the list into equal consecutive slices: with one slice per recording,
        // every task gets exactly one (repartition would hash them and leave some tasks two).
        JavaRDD<Row> rows = jsc.parallelize(tasks, slices).map(t -> work.process(t, hadoop.value().value()).toRow());
        LOG.info("{}: {} recordings in {} tasks, run {}", work.mode(), tasks.size(), slices, runId);
        ProgressListener progress = new ProgressListener(work.mode(), slices);
        spark.sparkContext().addSparkListener(progress);
        try {
            // One shuffle gathers the small status rows into a single Parquet file; the
            // recordings themselves are processed in the parallel stage before it.
            spark.createDataFrame(rows, StatusTable.SCHEMA).repartition(1).write().mode(SaveMode.ErrorIfExists)
                    .parquet(statusUri);
        } finally {
            spark.sparkContext().removeSparkListener(progress);
            hadoop.destroy();
        }
        // The table is one small row per recording: read back the three columns the report needs.
        long ok = 0;
        long skipped = 0;
        long failed = 0;
        List<JobReport.Failure> failures = new ArrayList<>();
        for (Row r : spark.read().parquet(statusUri).select("recording", "status", "error").collectAsList()) {
            switch (r.getString(1)) {
                case StatusRow.OK -> ok++;
                case StatusRow.SKIPPED -> skipped++;
                default -> {
                    failed++;
                    failures.add(new JobReport.Failure(r.getString(0), r.getString(2)));
                }
            }
        }
        failures.sort(java.util.Comparator.comparing(JobReport.Failure::recording));
        failures = failures.subList(0, Math.min(REPORTED_FAILURES, failures.size()));
        JobReport report = new JobReport(work.mode(), runId, statusUri, tasks.size(), ok, skipped, failed,
                (System.nanoTime() - t0) / 1e9, failures);
        LOG.info(report.headline());
        return report;
    }

    /**
     * How long a temporary output file or unfinished status folder must have been left untouched
     * before a run removes it. Younger ones may belong to another run writing into the same
     * {@code --out} right now (a single file is written in seconds, a status table in minutes),
     * so removing them would break that run.
     */
    static final java.time.Duration STALE_AFTER = java.time.Duration.ofHours(1);

    /**
     * Creates the output folder and removes what interrupted runs left in it: temporary files
     * and status folders without {@code _SUCCESS}, both only when older than {@link #STALE_AFTER}
     * (see there; younger leftovers are removed by a later run).
     */
    static FileSystem prepare(Path out, Configuration conf) throws IOException {
        FileSystem fs = HadoopOutputs.fileSystem(out, conf);
        fs.mkdirs(out);
        long cutoff = System.currentTimeMillis() - STALE_AFTER.toMillis();
        int stale = HadoopOutputs.removeTemporaryFiles(fs, out, cutoff);
        if (stale > 0) {
            LOG.info("removed {} partial file(s) left in {} by an interrupted run", stale, out);
        }
        int tables = StatusTable.removeUnfinished(fs, new Path(out, StatusTable.FOLDER), cutoff);
        if (tables > 0) {
            LOG.info("removed {} unfinished status table(s) of interrupted runs", tables);
        }
        return fs;
    }

    private static Path qualified(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        return p.getFileSystem(conf).makeQualified(p);
    }

    /** {@code yyyyMMdd-HHmmss-<application id>} (UTC): sortable and unique per application. */
    private static String runId(SparkSession spark) {
        return RUN_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + spark.sparkContext().applicationId();
    }

    private static String statusUri(SparkRunOptions run, Path out, String runId) {
        return run.statusUri() != null ? run.statusUri() : new Path(new Path(out, StatusTable.FOLDER), runId).toString();
    }

    /**
     * The tokenizer source as the single-machine builder records it (absolute local path), or
     * the URI of a remote bundle.
     */
    private static String sourceName(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            return Paths.get(fs.makeQualified(p).toUri()).toAbsolutePath().normalize().toString();
        }
        return fs.makeQualified(p).toString();
    }

    /** {@code shards-layout.json}'s bytes, as {@link ShardSetInfo#write} writes them. */
    private static byte[] layoutFile(ShardSetInfo info) throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("hypnos-spark-layout-");
        try {
            info.write(dir);
            return Files.readAllBytes(dir.resolve(ShardFiles.LAYOUT_FILE));
        } finally {
            try (Stream<java.nio.file.Path> s = Files.list(dir)) {
                for (java.nio.file.Path f : s.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The cohort as resolved (absolute URIs, splits filled in), in the manifest's CSV format. */
    private static byte[] manifestFile(List<RecordingTask> tasks) {
        StringBuilder b = new StringBuilder(ai.hypnos.core.synth.CohortManifest.HEADER).append('\n');
        for (RecordingTask t : tasks) {
            b.append(String.join(",", t.subject(), t.recording(), t.annotations(), t.site(), Integer.toString(t.notch()),
                    t.split())).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Spark session of a run: the active one (a notebook's, a test's, spark-submit's) or a new
     * one on the run's master, {@code local[*]} by default; a session it created is stopped at
     * the end, and in local mode the models cached in this JVM are released with it.
     */
    private record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        static Session open(SparkRunOptions run, String appName) {
            boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
            SparkSession.Builder b = SparkSession.builder().appName(appName);
            if (!existing) {
                String master = run.master() != null ? run.master() : System.getProperty("spark.master", "local[*]");
                b.master(master);
            } else if (run.master() != null) {
                LOG.info("a Spark session is already running; --master {} is not applied to it", run.master());
            }
            run.conf().forEach(b::config);
            return new Session(b.getOrCreate(), !existing);
        }

        @Override
        public void close() {
            if (owned) {
                boolean local = spark.sparkContext().isLocal();
                spark.stop();
                if (local) {
                    ExecutorCache.closeAll();
                }
            }
        }
    }
}

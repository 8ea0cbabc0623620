package ai.hypnos.spark;

import ai.djl.Device;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.bundle.RandomBundle;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.transformer.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: token-shard throughput on Spark {@code local[N]} against the single-machine
 * builder with N threads, same cohort, same JVM, same run. Spark's fixed start-up (session and
 * first action) is measured apart from the job. Both outputs are compared byte for byte.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark: shard building in local[N] vs the single-machine builder on N threads "
                + "(synthetic nights, random tokenizers).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--nights", defaultValue = "6", description = "Synthetic nights (default 6).")
    int nights;

    @Option(names = "--hours", defaultValue = "1.0", description = "Hours per night (default 1.0).")
    double hours;

    @Option(names = "--threads", defaultValue = "2", description = "Builder threads = local[N] (default 2).")
    int threads;

    @Option(names = "--tokenizer-preset", defaultValue = "small", description = "tiny, small or base (default small).")
    String preset;

    @Option(names = "--repeat", defaultValue = "2",
            description = "Alternate runs of each (default 2); the fastest is reported.")
    int repeat;

    @Option(names = "--seed", defaultValue = "42", description = "Cohort seed.")
    long seed;

    @Option(names = "--work", description = "Work folder (default: a temporary one, deleted afterwards).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("hypnos-spark-bench-");
        try {
            return run(dir);
        } finally {
            if (work == null) {
                deleteTree(dir);
            }
        }
    }

    private int run(Path dir) throws IOException {
        System.out.printf(Locale.ROOT, "cohort: %d nights of %.2f h (synthetic, all sites), %s tokenizers, %d threads%n",
                nights, hours, preset, threads);
        SyntheticCohort.generate(new CohortSpec(nights, hours, seed, List.of(Site.values()), false), dir.resolve("cohort"));
        Path manifest = dir.resolve("cohort/manifest.csv");
        Path bundle = dir.resolve("tokenizers.safetensors");
        TokenizerPreset tp = TokenizerPreset.valueOf(preset.toUpperCase(Locale.ROOT));
        try (Bundle b = RandomBundle.builder(Preset.TINY::builder, tp).seed(seed).build(Device.cpu())) {
            BundleWriter.write(bundle, b, SafetensorsDtype.F32);
        }
        Cohort cohort = Cohort.fromManifest(manifest, SubjectSplitter.defaults());
        double recordedHours = nights * hours;

        // Warm-up of both (JIT, libtorch, Spark's class loading and code generation: Spark's fixed
        // start-up is the session plus a one-night job), then the two alternately, `repeat` times;
        // the fastest run of each is the least disturbed by other load on the machine.
        Path warmManifest = dir.resolve("cohort/warm-up.csv");
        Files.write(warmManifest, Files.readAllLines(manifest).subList(0, 2));
        double[] single = new double[repeat];
        double[] job = new double[repeat];
        double[] stage = new double[repeat];
        List<String> rss = List.of();
        boolean same = true;
        try (TokenizerSet set = TokenizerSet.open(bundle, Device.cpu())) {
            new ShardBuilder(set).buildOne(cohort.entries().get(0));
            long t1 = System.nanoTime();
            SparkSession spark = SparkSession.builder().master("local[" + threads + "]").appName("hypnos spark bench")
                    .config("spark.ui.enabled", "false").getOrCreate();
            try {
                SparkJobs.tokenize(TokenizeJob.of(warmManifest.toString(), bundle.toString(),
                        dir.resolve("warm-up").toString()), SparkRunOptions.defaults());
                double startup = (System.nanoTime() - t1) / 1e9;
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    BuildSummary s = new ShardBuilder(set).buildAll(cohort, dir.resolve("single-" + i), threads);
                    single[i] = (System.nanoTime() - t0) / 1e9;
                    if (s.count(BuildSummary.Status.BUILT) != nights) {
                        throw new IllegalStateException("single-machine build failed: " + s.headline());
                    }
                    JobReport r = SparkJobs.tokenize(TokenizeJob.of(manifest.toString(), bundle.toString(),
                            dir.resolve("spark-" + i).toString()), SparkRunOptions.defaults());
                    if (r.ok() != nights) {
                        throw new IllegalStateException("Spark job failed: " + r.headline());
                    }
                    job[i] = r.seconds();
                    List<Row> rows = spark.read().parquet(r.statusUri()).orderBy("started")
                            .select("started", "duration_s", "executor_rss_mib").collectAsList();
                    double first = rows.get(0).getTimestamp(0).getTime() / 1e3;
                    double last = rows.stream().mapToDouble(x -> x.getTimestamp(0).getTime() / 1e3 + x.getDouble(1))
                            .max().orElse(first);
                    stage[i] = last - first;
                    rss = rows.stream().map(x -> x.isNullAt(2) ? "?" : String.format(Locale.ROOT, "%.0f", x.getDouble(2)))
                            .toList();
                    same &= sameFiles(dir.resolve("single-" + i), dir.resolve("spark-" + i));
                }
                print(startup, single, job, stage, rss, same, recordedHours);
            } finally {
                spark.stop();
                ExecutorCache.closeAll();
            }
        }
        return same ? 0 : 1;
    }

    private void print(double startup, double[] single, double[] job, double[] stage, List<String> rss, boolean same,
            double recordedHours) {
        double s = Arrays.stream(single).min().orElseThrow();
        double j = Arrays.stream(job).min().orElseThrow();
        double st = Arrays.stream(stage).min().orElseThrow();
        double nights8 = recordedHours / 8.0;
        System.out.printf(Locale.ROOT, "runs (s): single %s, Spark job %s, its recording stage %s%n", Arrays.toString(single),
                Arrays.toString(job), Arrays.toString(stage));
        System.out.printf(Locale.ROOT, "%-40s %9s %14s %12s%n", "fastest of " + repeat, "wall s", "8-h nights/h",
                "per core");
        row("single-machine builder, " + threads + " threads", s, nights8);
        row("Spark local[" + threads + "], job", j, nights8);
        row("Spark local[" + threads + "], recording stage", st, nights8);
        row("Spark local[" + threads + "], job + start-up", j + startup, nights8);
        System.out.printf(Locale.ROOT, "Spark fixed start-up (session + warm-up job on one night): %.1f s%n", startup);
        System.out.printf(Locale.ROOT, "overhead beyond start-up: job %+.1f %%, recording stage %+.1f %%%n",
                100 * (j / s - 1), 100 * (st / s - 1));
        System.out.println("executor RSS after each recording (MiB, last run, task order): " + rss);
        System.out.println("outputs byte-identical: " + (same ? "yes" : "NO"));
    }

    private void row(String name, double seconds, double eightHourNights) {
        double perHour = eightHourNights / (seconds / 3600);
        System.out.printf(Locale.ROOT, "%-40s %9.1f %14.1f %12.1f%n", name, seconds, perHour, perHour / threads);
    }

    private static boolean sameFiles(Path a, Path b) throws IOException {
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".npy")
                    || (p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("shards-")))
                    .toList()) {
                Path q = b.resolve(p.getFileName());
                if (!Files.exists(q) || !Arrays.equals(Files.readAllBytes(p), Files.readAllBytes(q))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package ai.hypnos.cli.bench;

import ai.djl.Device;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.embed.Devices;
import ai.hypnos.embed.Precision;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.nn.DeviceMemory;
import ai.hypnos.nn.MatmulPeak;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.cohort.SubjectSplitter;
import ai.hypnos.train.metrics.MetricsLog;
import ai.hypnos.train.metrics.ProcessMemory;
import ai.hypnos.train.pretrain.ConfigLoader;
import ai.hypnos.train.pretrain.Pretrainer;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.TokenShard;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.transformer.bench.FlopModel;
import ai.hypnos.transformer.nn.OpCounter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos bench train}: the training pipeline's throughput on synthetic nights.
 * <ol>
 *   <li>shard building, one recording at a time: wall and process-CPU seconds per recorded hour,
 *       turned into nights (8 h) per hour per core (from CPU time, so libtorch's intra-op threads
 *       are counted);</li>
 *   <li>pretraining on those shards for a preset: tokens (modality-seconds) per second of the
 *       whole loop (data, masks, forward, backward, AdamW; the final checkpoint is timed apart,
 *       with the run's last step), MFU against the matmul peak of the run's precision measured
 *       first, the model's NDArray ops per step (counted on the last step), device memory in use
 *       on a GPU, peak resident memory, and resident
 *       memory at every step of a longer run (first, middle, last and the least-squares slope
 *       in MiB per 100 steps): flat means no leak.</li>
 * </ol>
 * Tokenizers are freshly initialised ones of the chosen preset (training does not change their
 * speed). Prints one JSON line per figure.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training pipeline: shard building (nights/hour/core), pretraining tokens/s, peak and flat memory.")
final class BenchTrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--nights", defaultValue = "2", description = "Synthetic nights (default ${DEFAULT-VALUE}).")
    int nights;

    @Option(names = "--hours", defaultValue = "0.5", description = "Hours per night (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--tokenizer-preset", defaultValue = "small", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String tokenizerPreset;

    @Option(names = "--preset", defaultValue = "small", description = "Transformer preset (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--batch", defaultValue = "4", description = "Windows per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--context", defaultValue = "256", description = "Seconds per window (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--steps", defaultValue = "5", description = "Timed pretraining steps, after 2 warm-up steps and before a last step that also writes "
                    + "the checkpoint, timed on its own (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--memory-steps", defaultValue = "0",
            description = "Steps of the memory-flatness run with the tiny preset (0: skip; default ${DEFAULT-VALUE}).")
    int memorySteps;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|tf32|fp16",
            description = "Pretraining arithmetic (default ${DEFAULT-VALUE}; docs/gpu.md). Tokenizers stay float32.")
    String precision;

    @Option(names = "--work", description = "Working folder (default: a temporary folder, deleted after).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Precision.parse(precision); // refuse bf16 and typos before minutes of cohort building
        Path dir = work != null ? work : Files.createTempDirectory("hypnos-bench-train");
        try {
            Cohort cohort = cohort(dir.resolve("cohort"));
            Path shards = dir.resolve("shards");
            shardBuilding(cohort, tokenizers(dir.resolve("tokenizers")), shards);
            // The timed run logs only at its end; the memory run logs (and samples RSS) every step.
            pretraining(shards, dir.resolve("run"), preset, batch, context, steps + 2, steps + 2);
            if (memorySteps > 0) {
                pretraining(shards, dir.resolve("memory"), "tiny", batch, Math.min(context, 64), memorySteps, 1);
            }
        } finally {
            if (work == null) {
                delete(dir);
            }
        }
        return 0;
    }

    private Cohort cohort(Path dir) throws IOException {
        SyntheticCohort.generate(new CohortSpec(nights, hours, 7, List.of(Site.values()), false), dir);
        // Every night trains: a benchmark has no use for held-out ones.
        List<CohortEntry> all = new ArrayList<>();
        for (CohortEntry e : Cohort.fromManifest(dir.resolve("manifest.csv"), SubjectSplitter.defaults()).entries()) {
            all.add(new CohortEntry(e.id(), e.subject(), e.source(), e.path(), e.annotations(), e.site(), e.notch(),
                    Split.TRAIN));
        }
        return Cohort.of(all);
    }

    private Path tokenizers(Path dir) throws IOException {
        TokenizerPreset p = TokenizerPreset.fromKey(tokenizerPreset);
        for (SignalType t : SignalType.values()) {
            try (SignalTokenizer tok = SignalTokenizer.create(p.config(t), Device.cpu(), 1)) {
                TokenizerBundle.save(tok, t.key(), t.key(), dir.resolve(t.key() + ".safetensors"), SafetensorsDtype.F32,
                        Map.of());
            }
        }
        return dir;
    }

    private void shardBuilding(Cohort cohort, Path tokenizers, Path out) throws IOException {
        try (TokenizerSet set = TokenizerSet.open(tokenizers, ai.hypnos.train.pretrain.PretrainConfig.parseDevice(device))) {
            ShardBuilder builder = new ShardBuilder(set);
            double wall = 0;
            double cpu = 0;
            long seconds = 0;
            List<CohortEntry> entries = cohort.entries();
            for (int i = 0; i < entries.size(); i++) {
                long w0 = System.nanoTime();
                long c0 = cpuNanos();
                TokenShard shard = builder.buildOne(entries.get(i));
                ShardFiles.write(out, shard);
                if (i > 0 || entries.size() == 1) { // the first one pays the engine's start-up
                    wall += (System.nanoTime() - w0) / 1e9;
                    cpu += (cpuNanos() - c0) / 1e9;
                    seconds += shard.seconds();
                }
            }
            new ai.hypnos.train.shard.ShardSetInfo(set.layout(), set.identities(), tokenizers.toString()).write(out);
            double hoursDone = seconds / 3600.0;
            ObjectNode r = JSON.createObjectNode();
            r.put("bench", "shard_building");
            r.put("tokenizer_preset", tokenizerPreset);
            r.put("layout", set.layout().toString());
            r.put("recorded_hours", hoursDone);
            r.put("wall_s_per_recorded_hour", wall / hoursDone);
            r.put("cpu_s_per_recorded_hour", cpu / hoursDone);
            r.put("nights_per_hour_per_core", 3600.0 / (8 * cpu / hoursDone));
            r.put("nights_per_hour_wall", 3600.0 / (8 * wall / hoursDone));
            r.put("peak_rss_mib", ProcessMemory.peakRssMiB());
            System.out.println(r);
        }
    }

    private void pretraining(Path shards, Path run, String preset, int batch, int context, int steps, int logEvery)
            throws IOException {
        List<String> sets = List.of("run_dir=" + run, "shards=" + shards, "model.preset=" + preset,
                "devices=[" + device + "]", "data.batch_size=" + batch, "data.context_seconds=" + context,
                "optim.steps=" + (steps + 1), "optim.warmup_steps=1", "eval.windows=0", "checkpoint.every=0",
                "log.every=" + logEvery, "log.plot=false", "bundle.save=false", "precision=" + precision);
        // Timed: from the end of step 2 to the end of step `steps` (logged, so its losses and
        // gradient norm come back to the host: the device has finished its work). The run's last
        // step also writes the final checkpoint; it is timed on its own, not as a training step.
        Device dev = Devices.parse(device);
        double peak = MatmulPeak.gflops(dev, Precision.parse(precision).dataType());
        long[] timing = new long[4];
        double[] deviceMemoryMb = {Double.NaN};
        double gflopPerStep;
        long ops;
        try (Pretrainer p = Pretrainer.open(ConfigLoader.load(null, sets), false)) {
            gflopPerStep = new FlopModel(p.model().config()).trainingStep(batch, context) / 1e9;
            p.run(step -> {
                if (step == 2) {
                    timing[0] = System.nanoTime();
                    timing[1] = cpuNanos();
                } else if (step == steps) {
                    timing[2] = System.nanoTime();
                    timing[3] = cpuNanos();
                    deviceMemoryMb[0] = DeviceMemory.inUseMb(dev); // NaN on a CPU; an upper bound of the peak on a GPU
                    // The model's ops are counted on the last step only (counting walks every block's arrays).
                    OpCounter.reset();
                    OpCounter.setEnabled(true);
                }
            });
        } finally {
            ops = OpCounter.reset();
            OpCounter.setEnabled(false);
        }
        double lastStep = (System.nanoTime() - timing[2]) / 1e9;
        double wall = (timing[2] - timing[0]) / 1e9;
        double cpu = (timing[3] - timing[1]) / 1e9;
        long tokens = (long) batch * context * 8 * (steps - 2);
        ObjectNode r = JSON.createObjectNode();
        r.put("bench", logEvery == 1 ? "pretraining_memory" : "pretraining");
        r.put("preset", preset);
        r.put("precision", precision);
        r.put("batch", batch);
        r.put("context_seconds", context);
        r.put("timed_steps", steps - 2);
        r.put("seconds_per_step", wall / (steps - 2));
        r.put("cpu_seconds_per_step", cpu / (steps - 2));
        r.put("tokens_per_s", tokens / wall);
        r.put("gflop_per_step", gflopPerStep);
        r.put("matmul_peak_gflops", peak);
        r.put("mfu", gflopPerStep * (steps - 2) / wall / peak);
        r.put("model_ops_per_step", ops);
        if (!Double.isNaN(deviceMemoryMb[0])) {
            r.put("device_memory_in_use_mb", deviceMemoryMb[0]);
        }
        r.put("last_step_with_checkpoint_s", lastStep);
        r.put("peak_rss_mib", ProcessMemory.peakRssMiB());
        if (logEvery == 1) {
            List<Double> rss = new ArrayList<>();
            try (MetricsLog log = MetricsLog.open(run, Long.MAX_VALUE, List.of(), List.of())) {
                for (MetricsLog.Row row : log.rows()) {
                    Double v = row.values().get("rss_mib");
                    if (row.kind().equals("train") && v != null) {
                        rss.add(v);
                    }
                }
            }
            // Skip the first tenth: allocators and caches warm up there.
            List<Double> tail = rss.subList(rss.size() / 10, rss.size());
            r.put("rss_first_mib", tail.get(0));
            r.put("rss_middle_mib", tail.get(tail.size() / 2));
            r.put("rss_last_mib", tail.get(tail.size() - 1));
            r.put("rss_slope_mib_per_100_steps", 100 * slope(tail));
            r.put("rss_file", run.resolve(MetricsLog.TRAIN_CSV).toString());
        }
        System.out.println(r);
        System.out.flush();
    }

    private static double slope(List<Double> y) {
        int n = y.size();
        double mx = (n - 1) / 2.0;
        double my = y.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mx) * (y.get(i) - my);
            sxx += (i - mx) * (i - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

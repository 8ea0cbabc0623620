package ai.hypnos.cli.bench;

import ai.hypnos.core.synth.NightFiles;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SyntheticNight;
import ai.hypnos.core.recording.SignalInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos bench synth}: time to generate one synthetic night per site on one thread (wall
 * and CPU time), and to write its files (EDF+, NSRR XML, EDF+ hypnogram, ground-truth NPZ).
 * There is no peer implementation to compare with; the target is under 10 s per 8-hour night.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Time the synthetic PSG generator: one night per site, generation and file writing.")
final class BenchSynthCommand implements Callable<Integer> {

    @Option(names = "--hours", defaultValue = "8", description = "Night length (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--repeat", defaultValue = "2", description = "Runs per site; the best is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--sites", split = ",", description = "Sites (default: all).")
    List<String> sites;

    @Option(names = "--write", negatable = true, defaultValue = "true", description = "Also time writing the files (default ${DEFAULT-VALUE}).")
    boolean write;

    @Override
    public Integer call() throws Exception {
        List<Site> chosen = new ArrayList<>();
        if (sites == null || sites.isEmpty()) {
            chosen.addAll(List.of(Site.values()));
        } else {
            for (String s : sites) {
                chosen.add(Site.fromKey(s));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // warm-up: compile the hot loops before timing
        SyntheticNight.generate(SubjectProfile.typical("warmup", Site.AASM), 0.25, 1);
        System.out.printf(Locale.ROOT, "%-6s %12s %12s %12s %10s %14s%n", "site", "generate s", "cpu s", "write s",
                "MB", "samples/s");
        for (Site site : chosen) {
            double bestWall = Double.MAX_VALUE;
            double bestCpu = Double.MAX_VALUE;
            double bestWrite = Double.MAX_VALUE;
            long samples = 0;
            long bytes = 0;
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                SyntheticNight night = SyntheticNight.generate(SubjectProfile.typical("bench", site), hours, 42 + r);
                bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e9);
                bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
                samples = 0;
                for (SignalInfo s : night.recording().signals()) {
                    samples += s.sampleCount();
                }
                if (write) {
                    Path dir = Files.createTempDirectory("hypnos-bench-synth");
                    try {
                        long w0 = System.nanoTime();
                        NightFiles.write(night, dir);
                        bestWrite = Math.min(bestWrite, (System.nanoTime() - w0) / 1e9);
                        bytes = size(dir);
                    } finally {
                        delete(dir);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-6s %12.2f %12.2f %12s %10.1f %14.3g%n", site.key(), bestWall, bestCpu,
                    write ? String.format(Locale.ROOT, "%.2f", bestWrite) : "-", bytes / 1e6, samples / bestWall);
        }
        return 0;
    }

    private static long size(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

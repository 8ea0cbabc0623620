package ai.hypnos.cli.synth;

import ai.hypnos.core.synth.AfSpec;
import ai.hypnos.core.synth.AfWindows;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos synth af --windows N --seconds 30 --seed S --out DIR}: labelled daytime ECG
 * windows (AF, sinus rhythm, other arrhythmias) as EDF+ files with {@code labels.csv} and
 * {@code truth.npz} (see docs/synthetic-data.md).
 */
@Command(name = "af", mixinStandardHelpOptions = true,
        description = "Generate labelled ECG windows (AF / sinus / other arrhythmia) for the AF probe.")
final class SynthAfCommand implements Callable<Integer> {

    @Option(names = "--windows", required = true, paramLabel = "N", description = "Number of windows.")
    int windows;

    @Option(names = "--seconds", defaultValue = "30", paramLabel = "S", description = "Window length in seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--af-fraction", defaultValue = "0.3333333333", paramLabel = "P", description = "Share of AF windows (default 1/3).")
    double afFraction;

    @Option(names = "--other-fraction", defaultValue = "0.3333333333", paramLabel = "P",
            description = "Share of windows with another arrhythmia (default 1/3); the rest are sinus rhythm.")
    double otherFraction;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        List<String> ids = AfWindows.generate(new AfSpec(windows, seconds, seed, afFraction, otherFraction), out);
        System.out.printf(Locale.ROOT, "wrote %d windows of %.0f s to %s in %.1f s; labels %s%n", ids.size(), seconds, out,
                (System.nanoTime() - t0) / 1e9, out.resolve("labels.csv"));
        return 0;
    }
}

package ai.hypnos.cli.synth;

import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos synth cohort --subjects N --hours H --seed S --out DIR}: one EDF+ night per
 * subject with NSRR XML, EDF+ hypnogram and ground truth, plus {@code manifest.csv} and
 * {@code subjects.csv} (see docs/synthetic-data.md).
 */
@Command(name = "cohort", mixinStandardHelpOptions = true,
        description = "Generate a synthetic PSG cohort (EDF+, NSRR XML, EDF+ hypnogram, ground truth NPZ, manifest).")
final class SynthCohortCommand implements Callable<Integer> {

    @Option(names = "--subjects", required = true, paramLabel = "N", description = "Number of subjects (one night each).")
    int subjects;

    @Option(names = "--hours", defaultValue = "8", paramLabel = "H", description = "Hours per night (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--sites", split = ",", paramLabel = "SITE",
            description = "Sites to draw subjects from, in turn: shhs, mesa, aasm, raw (default: all).")
    List<String> sites;

    @Option(names = "--no-faults", description = "Clean, complete recordings (no missing channels, hum, pops, flat stretches).")
    boolean noFaults;

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
        CohortSpec spec = new CohortSpec(subjects, hours, seed, chosen, !noFaults);
        long t0 = System.nanoTime();
        CohortManifest m = SyntheticCohort.generate(spec, out);
        System.out.printf(Locale.ROOT, "wrote %d nights of %.2f h to %s in %.1f s; manifest %s%n",
                m.entries().size(), hours, out, (System.nanoTime() - t0) / 1e9, m.file());
        return 0;
    }
}

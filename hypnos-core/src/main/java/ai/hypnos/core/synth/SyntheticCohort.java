package ai.hypnos.core.synth;

import ai.hypnos.core.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a synthetic cohort on disk: per subject the files of {@link NightFiles}, then
 * {@code manifest.csv} ({@link CohortManifest}) and {@code subjects.csv} (each subject's traits,
 * for experiments that regress on them).
 *
 * <pre>{@code
 * CohortManifest m = SyntheticCohort.generate(CohortSpec.of(20, 8, 42), Path.of("cohort"));
 * }</pre>
 *
 * <p>Subjects are drawn in turn from the spec's sites; each subject's traits and night have their
 * own seeds derived from the cohort seed, so subject {@code k} is the same whatever the cohort
 * size. Splits are subject-wise: 70 % train, 15 % validation, 15 % test (at least one
 * validation and one test subject from three subjects on), in a seeded shuffled order.
 */
public final class SyntheticCohort {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticCohort.class);

    private SyntheticCohort() {
    }

    /** The id of subject {@code k} (0-based): {@code sub-0001}... */
    public static String subjectId(int k) {
        return String.format(Locale.ROOT, "sub-%04d", k + 1);
    }

    /** The profile of subject {@code k} of a cohort. */
    public static SubjectProfile subject(CohortSpec spec, int k) {
        Site site = spec.sites().get(k % spec.sites().size());
        SynthRandom rng = new SynthRandom(spec.seed()).fork("subject").fork(k);
        return SubjectProfile.sample(subjectId(k), site, rng, spec.faults());
    }

    /** The night seed of subject {@code k}. */
    public static long nightSeed(CohortSpec spec, int k) {
        return new SynthRandom(spec.seed()).fork("night").fork(k).nextLong();
    }

    /** The split of each subject (index order). */
    public static String[] splits(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SynthRandom rng = new SynthRandom(seed).fork("splits");
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int test = n >= 3 ? Math.max(1, (int) Math.round(0.15 * n)) : 0;
        int val = n >= 3 ? Math.max(1, (int) Math.round(0.15 * n)) : 0;
        String[] split = new String[n];
        for (int r = 0; r < n; r++) {
            split[order[r]] = r < test ? "test" : r < test + val ? "val" : "train";
        }
        return split;
    }

    /** Generates the cohort into {@code outDir} and returns its manifest (already written). */
    public static CohortManifest generate(CohortSpec spec, Path outDir) throws IOException {
        String[] split = splits(spec.subjects(), spec.seed());
        List<CohortManifest.Entry> entries = new ArrayList<>();
        List<String> subjectRows = new ArrayList<>();
        for (int k = 0; k < spec.subjects(); k++) {
            long t0 = System.nanoTime();
            SubjectProfile p = subject(spec, k);
            SyntheticNight night = SyntheticNight.generate(p, spec.hours(), nightSeed(spec, k));
            NightFiles files = NightFiles.write(night, outDir);
            entries.add(new CohortManifest.Entry(p.id(), relative(outDir, files.recording()),
                    relative(outDir, files.annotations()), p.site().key(), p.site().mainsHz(), split[k]));
            subjectRows.add(subjectRow(p, night, files, outDir, split[k]));
            LOG.info("subject {}/{} {} ({}, age {}): {} s", k + 1, spec.subjects(), p.id(), p.site().key(), p.age(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        }
        CohortManifest manifest = new CohortManifest(outDir.resolve("manifest.csv"), entries);
        manifest.write();
        writeSubjects(outDir.resolve("subjects.csv"), subjectRows);
        return manifest;
    }

    private static String relative(Path dir, Path file) {
        return dir.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }

    /** Header of {@code subjects.csv}. */
    public static final String SUBJECTS_HEADER = "subject,site,split,age,ahi,af,alpha_hz,slow_wave_gain,spindle_density,"
            + "resting_hr,has_eog,has_belts,hum_uv,flat_channel,hypnogram,truth";

    private static String subjectRow(SubjectProfile p, SyntheticNight night, NightFiles files, Path dir, String split) {
        SubjectProfile.Faults f = p.faults();
        return String.join(",", p.id(), p.site().key(), split, fmt(p.age()), fmt(p.breathing().ahi()),
                p.cardio().af().name().toLowerCase(Locale.ROOT), fmt(p.eeg().alphaHz()), fmt(p.eeg().slowWaveGain()),
                fmt(p.eeg().spindleDensity()), fmt(p.cardio().restingHr()), Boolean.toString(f.hasEog()),
                Boolean.toString(f.hasBelts()), fmt(f.humMicrovolts()),
                f.flatChannel() == null ? "" : f.flatChannel().name().toLowerCase(Locale.ROOT),
                relative(dir, files.hypnogram()), relative(dir, files.truth()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void writeSubjects(Path file, List<String> rows) throws IOException {
        try (AtomicFile out = AtomicFile.create(file)) {
            Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            w.write(SUBJECTS_HEADER + "\n");
            for (String r : rows) {
                w.write(r + "\n");
            }
            w.flush();
            out.commit();
        }
    }
}

package ai.hypnos.train.cohort;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.synth.CohortManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nights of a cohort with their subject-wise splits, read from a manifest CSV
 * ({@code subject,recording,annotations,site,notch,split}, the format of
 * {@link CohortManifest}) or found by scanning a folder of EDF files with their NSRR XML
 * scorings.
 *
 * <p>Guarantees, checked when a cohort is made: recording ids are unique, and no subject has
 * nights in two splits. Rows without a split get one from a {@link SubjectSplitter} (by subject,
 * so all nights of a subject still agree).
 */
public final class Cohort {
    private static final Logger LOG = LoggerFactory.getLogger(Cohort.class);

    private final List<CohortEntry> entries;

    private Cohort(List<CohortEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * A cohort of the given nights.
     *
     * @throws IllegalArgumentException if two nights share an id or a subject spans two splits
     */
    public static Cohort of(List<CohortEntry> entries) {
        Map<String, CohortEntry> ids = new HashMap<>();
        Map<String, CohortEntry> subjects = new HashMap<>();
        for (CohortEntry e : entries) {
            CohortEntry clash = ids.putIfAbsent(e.id(), e);
            if (clash != null) {
                throw new IllegalArgumentException("recording id '" + e.id() + "' is used twice: " + clash.source()
                        + " and " + e.source() + " (ids are file names without extension and must be unique)");
            }
            CohortEntry first = subjects.putIfAbsent(e.subject(), e);
            if (first != null && first.split() != e.split()) {
                throw new IllegalArgumentException("subject '" + e.subject() + "' is in two splits: " + first.source()
                        + " in " + first.split().key() + ", " + e.source() + " in " + e.split().key());
            }
        }
        return new Cohort(entries);
    }

    /**
     * Reads a manifest. Paths are relative to the manifest's folder (absolute ones are kept);
     * an empty {@code annotations} means none; an empty {@code split} is filled by
     * {@code splitter} (unless another night of the subject names one).
     *
     * @throws HypnosFormatException for a malformed file or a subject in two splits
     */
    public static Cohort fromManifest(Path csv, SubjectSplitter splitter) throws IOException {
        CohortManifest m = CohortManifest.read(csv);
        Map<String, Split> given = new HashMap<>();
        int line = 1;
        for (CohortManifest.Entry e : m.entries()) {
            line++;
            if (e.subject().isBlank()) {
                throw new HypnosFormatException(csv, "row " + line + " subject", e.subject(), "subject id is empty");
            }
            if (e.split().isBlank()) {
                continue;
            }
            Split s;
            try {
                s = Split.parse(e.split());
            } catch (IllegalArgumentException ex) {
                throw new HypnosFormatException(csv, "row " + line + " split", e.split(), ex.getMessage());
            }
            Split before = given.putIfAbsent(e.subject(), s);
            if (before != null && before != s) {
                throw new HypnosFormatException(csv, "row " + line + " split", e.split(), "subject '" + e.subject()
                        + "' already has nights in " + before.key() + ": a subject must stay in one split");
            }
        }
        List<CohortEntry> out = new ArrayList<>();
        line = 1;
        for (CohortManifest.Entry e : m.entries()) {
            line++;
            if (e.recording().isBlank()) {
                throw new HypnosFormatException(csv, "row " + line + " recording", "", "recording path is empty");
            }
            Path rec = m.recordingPath(e);
            Path ann = e.annotations().isBlank() ? null : m.annotationsPath(e);
            Split split = given.computeIfAbsent(e.subject(), splitter::splitOf);
            try {
                out.add(new CohortEntry(CohortEntry.idOf(rec), e.subject(), e.recording(), rec, ann, e.site(), e.notch(),
                        split));
            } catch (IllegalArgumentException ex) {
                throw new HypnosFormatException(csv, "row " + line, String.join(",", e.subject(), e.recording()),
                        ex.getMessage());
            }
        }
        try {
            Cohort c = of(out);
            c.logCounts(csv.toString());
            return c;
        } catch (IllegalArgumentException ex) {
            throw new HypnosFormatException(csv, "recording", null, ex.getMessage());
        }
    }

    /**
     * Finds the EDF files under a folder (recursively) and pairs each with its scoring: NSRR
     * naming ({@code shhs1-200001.edf} with {@code shhs1-200001-nsrr.xml}, anywhere under the
     * folder) or a same-named {@code .xml}. Subjects are derived from NSRR names
     * ({@link #subjectOf(String)}); splits come from {@code splitter}.
     *
     * @param notch mains frequency of the cohort (NSRR cohorts are American: 60)
     */
    public static Cohort scan(Path dir, int notch, SubjectSplitter splitter) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such cohort folder: " + dir);
        }
        List<Path> edfs = new ArrayList<>();
        Map<String, Path> xmls = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                String name = p.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".edf") || lower.endsWith(".bdf")) {
                    edfs.add(p);
                } else if (lower.endsWith("-nsrr.xml")) {
                    xmls.put(name.substring(0, name.length() - "-nsrr.xml".length()), p);
                } else if (lower.endsWith(".xml")) {
                    xmls.putIfAbsent(name.substring(0, name.length() - ".xml".length()), p);
                }
            }
        }
        List<CohortEntry> out = new ArrayList<>();
        for (Path edf : edfs) {
            String id = CohortEntry.idOf(edf);
            String subject = subjectOf(id);
            String source = dir.toAbsolutePath().relativize(edf.toAbsolutePath()).toString().replace('\\', '/');
            out.add(new CohortEntry(id, subject, source, edf, xmls.get(id), "", notch, splitter.splitOf(subject)));
        }
        if (out.isEmpty()) {
            throw new IOException("no .edf files under " + dir);
        }
        out.sort(Comparator.comparing(CohortEntry::id));
        long unscored = out.stream().filter(e -> e.annotations() == null).count();
        if (unscored > 0) {
            LOG.info("{} of {} recordings under {} have no scoring file (fine for pretraining)", unscored, out.size(), dir);
        }
        Cohort c = of(out);
        c.logCounts(dir.toString());
        return c;
    }

    /**
     * The subject of an NSRR-style recording name: the study (first dash-separated part without
     * its trailing visit digits) and the last part: {@code shhs1-200001} and {@code shhs2-200001}
     * are subject {@code shhs-200001}; {@code mesa-sleep-0001} is {@code mesa-0001};
     * {@code cfs-visit5-800002} is {@code cfs-800002}. A name without a dash is its own subject.
     */
    public static String subjectOf(String recordingId) {
        int first = recordingId.indexOf('-');
        int last = recordingId.lastIndexOf('-');
        if (first < 0 || last == recordingId.length() - 1) {
            return recordingId;
        }
        String study = recordingId.substring(0, first).replaceFirst("\\d+$", "");
        if (study.isEmpty()) {
            study = recordingId.substring(0, first);
        }
        return study + "-" + recordingId.substring(last + 1);
    }

    private void logCounts(String where) {
        Map<Split, long[]> counts = splitCounts();
        LOG.info("cohort {}: {} recordings of {} subjects; train {}/{}, val {}/{}, test {}/{} (recordings/subjects)",
                where, entries.size(), entries.stream().map(CohortEntry::subject).distinct().count(),
                counts.get(Split.TRAIN)[0], counts.get(Split.TRAIN)[1], counts.get(Split.VAL)[0], counts.get(Split.VAL)[1],
                counts.get(Split.TEST)[0], counts.get(Split.TEST)[1]);
    }

    /** Per split: {recordings, subjects}. */
    public Map<Split, long[]> splitCounts() {
        Map<Split, long[]> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<CohortEntry> in = entries(s);
            out.put(s, new long[] {in.size(), in.stream().map(CohortEntry::subject).distinct().count()});
        }
        return out;
    }

    /** Every night, in manifest (or, for scans, id) order. */
    public List<CohortEntry> entries() {
        return entries;
    }

    /** The nights of one split. */
    public List<CohortEntry> entries(Split split) {
        return entries.stream().filter(e -> e.split() == split).toList();
    }

    /** Number of nights. */
    public int size() {
        return entries.size();
    }

    /**
     * Writes this cohort as a manifest CSV (atomically) with paths relative to the manifest's
     * folder where possible, so that {@link #fromManifest} reads it back unchanged.
     */
    public void writeManifest(Path csv) throws IOException {
        Path base = csv.toAbsolutePath().getParent();
        List<CohortManifest.Entry> rows = new ArrayList<>();
        for (CohortEntry e : entries) {
            rows.add(new CohortManifest.Entry(e.subject(), relative(base, e.path()),
                    e.annotations() == null ? "" : relative(base, e.annotations()), e.site(), e.notch(), e.split().key()));
        }
        new CohortManifest(csv, rows).write();
    }

    private static String relative(Path base, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path b = base.normalize();
        return abs.getRoot().equals(b.getRoot()) ? b.relativize(abs).toString().replace('\\', '/') : abs.toString();
    }

    /** Subjects per split, for reports. */
    public Map<Split, List<String>> subjects() {
        Map<Split, List<String>> out = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            out.put(s, entries(s).stream().map(CohortEntry::subject).distinct().sorted().toList());
        }
        return out;
    }
}

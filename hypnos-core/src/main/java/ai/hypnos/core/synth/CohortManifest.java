package ai.hypnos.core.synth;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cohort manifest: one row per night, CSV with the header
 * {@code subject,recording,annotations,site,notch,split}. Paths are relative to the manifest's
 * folder; {@code notch} is the site's mains frequency (50 or 60) and {@code split} is
 * {@code train}, {@code val} or {@code test} (subject-wise).
 *
 * @param file    where the manifest is (or will be) stored
 * @param entries the rows
 */
public record CohortManifest(Path file, List<Entry> entries) {
    /** The header line. */
    public static final String HEADER = "subject,recording,annotations,site,notch,split";

    /**
     * One night.
     *
     * @param subject     subject id
     * @param recording   EDF path, relative to the manifest folder
     * @param annotations NSRR XML path, relative to the manifest folder
     * @param site        site key
     * @param notch       mains frequency for the notch filter
     * @param split       train, val or test
     */
    public record Entry(String subject, String recording, String annotations, String site, int notch, String split) {
    }

    public CohortManifest {
        entries = List.copyOf(entries);
    }

    /** The absolute path of an entry's recording. */
    public Path recordingPath(Entry e) {
        return file.toAbsolutePath().getParent().resolve(e.recording());
    }

    /** The absolute path of an entry's annotations. */
    public Path annotationsPath(Entry e) {
        return file.toAbsolutePath().getParent().resolve(e.annotations());
    }

    /** Writes the manifest (atomically). */
    public void write() throws IOException {
        try (AtomicFile out = AtomicFile.create(file)) {
            Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            w.write(HEADER + "\n");
            for (Entry e : entries) {
                w.write(String.join(",", e.subject(), e.recording(), e.annotations(), e.site(),
                        Integer.toString(e.notch()), e.split()) + "\n");
            }
            w.flush();
            out.commit();
        }
    }

    /** Reads a manifest with the header above (fields may not contain commas). */
    public static CohortManifest read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new HypnosFormatException(file, "header", lines.isEmpty() ? "" : lines.get(0), "expected '" + HEADER + "'");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 6) {
                throw new HypnosFormatException(file, "line " + (i + 1), line, "expected 6 comma-separated fields");
            }
            int notch;
            try {
                notch = Integer.parseInt(f[4].strip());
            } catch (NumberFormatException ex) {
                throw new HypnosFormatException(file, "line " + (i + 1) + " notch", f[4], "not an integer");
            }
            out.add(new Entry(f[0], f[1], f[2], f[3], notch, f[5]));
        }
        return new CohortManifest(file, out);
    }
}

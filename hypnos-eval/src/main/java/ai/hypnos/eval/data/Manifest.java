package ai.hypnos.eval.data;

import ai.hypnos.core.HypnosFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cohort manifest: a CSV file with a header row and the columns
 * {@code subject,recording,annotations,site,notch,split} (any order; {@code site},
 * {@code notch} and {@code split} may be absent or empty). Fields may be quoted ({@code "a,b"},
 * {@code ""} for a quote). Relative paths are resolved against the manifest's directory.
 *
 * <p>{@code recording} names the recording file (EDF…); its embeddings are looked up as
 * {@code <embeddings dir>/<recording file name without extension>.npz}. {@code annotations}
 * names the label file (see {@link LabelFiles}). {@code split} is {@code train}, {@code val} or
 * {@code test} for fixed splits.
 */
public final class Manifest {
    /**
     * One recording of the cohort.
     *
     * @param subject     subject id (several recordings may share it)
     * @param recording   path of the recording (resolved)
     * @param annotations path of the label file (resolved), or {@code null}
     * @param site        acquisition site, or empty
     * @param notch       mains frequency for the notch filter (50/60), or 0 when unknown
     * @param split       {@code train}/{@code val}/{@code test}, or empty
     */
    public record Entry(String subject, Path recording, Path annotations, String site, int notch, String split) {
        /** Recording id: the file name without its extension. */
        public String recordingId() {
            String n = recording.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }
    }

    private final Path file;
    private final List<Entry> entries;

    private Manifest(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    public Path file() {
        return file;
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * Reads a manifest.
     *
     * @throws HypnosFormatException naming the line and column on malformed rows
     */
    public static Manifest read(Path file) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null) {
                throw new HypnosFormatException(file, "header", "", "empty manifest");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> header = parseLine(headerLine, file, 1);
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                col.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
            }
            for (String required : List.of("subject", "recording")) {
                if (!col.containsKey(required)) {
                    throw new HypnosFormatException(file, "header", headerLine, "missing column '" + required
                            + "' (expected subject,recording,annotations,site,notch,split)");
                }
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = parseLine(line, file, lineNo);
                String subject = field(f, col, "subject");
                String recording = field(f, col, "recording");
                if (subject.isEmpty() || recording.isEmpty()) {
                    throw new HypnosFormatException(file, "line " + lineNo, line, "subject and recording must not be empty");
                }
                String ann = field(f, col, "annotations");
                String notchText = field(f, col, "notch");
                int notch = 0;
                if (!notchText.isEmpty()) {
                    try {
                        notch = (int) Math.round(Double.parseDouble(notchText));
                    } catch (NumberFormatException e) {
                        throw new HypnosFormatException(file, "line " + lineNo + " notch", notchText, "expected 50, 60 or empty");
                    }
                }
                String split = field(f, col, "split").toLowerCase(Locale.ROOT);
                out.add(new Entry(subject, base.resolve(recording).normalize(),
                        ann.isEmpty() ? null : base.resolve(ann).normalize(), field(f, col, "site"), notch, split));
            }
        }
        if (out.isEmpty()) {
            throw new HypnosFormatException(file, "rows", 0, "manifest lists no recordings");
        }
        return new Manifest(file, out);
    }

    private static String field(List<String> fields, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= fields.size() ? "" : fields.get(i).trim();
    }

    /** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
    static List<String> parseLine(String line, Path file, int lineNo) throws HypnosFormatException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new HypnosFormatException(file, "line " + lineNo, line, "unterminated quoted field");
        }
        out.add(cur.toString());
        return out;
    }
}

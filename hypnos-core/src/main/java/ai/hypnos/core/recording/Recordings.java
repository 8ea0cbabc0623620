package ai.hypnos.core.recording;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.wfdb.WfdbReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens any supported recording by its type: EDF, EDF+ and BDF/BDF+ files through
 * {@link EdfReader}, PhysioNet WFDB records through {@link WfdbReader}.
 *
 * <pre>{@code
 * try (Recording rec = Recordings.open(Path.of(args[0]))) {   // night.edf, night.bdf or 100.hea
 *     System.out.println(rec.format() + ", " + rec.signals().size() + " signals");
 * }
 * }</pre>
 *
 * <p>The type comes from the extension ({@code .edf}, {@code .rec}, {@code .bdf}, {@code .hea});
 * a WFDB signal or annotation file ({@code 100.dat}, {@code 100.atr}) or a record name without
 * extension opens the record whose {@code .hea} lies beside it; any other name is recognised by
 * its first bytes (EDF's {@code "0       "}, BDF's {@code 0xFF "BIOSEMI"}). Anything else is a
 * {@link HypnosFormatException} that says what is supported.
 */
public final class Recordings {
    private Recordings() {
    }

    /** The recording in {@code file}; the caller closes it. */
    public static Recording open(Path file) throws IOException {
        return switch (typeOf(file)) {
            case EDF -> EdfReader.open(file);
            case WFDB -> WfdbReader.open(header(file));
        };
    }

    /** The kinds of recording files this class opens. */
    public enum Type { EDF, WFDB }

    /**
     * What {@link #open} would open the file as.
     *
     * @throws HypnosFormatException if the type is not supported
     */
    public static Type typeOf(Path file) throws IOException {
        String name = file.getFileName().toString();
        String ext = extension(name);
        switch (ext) {
            case "edf", "bdf", "rec" -> {
                requireFile(file);
                return Type.EDF;
            }
            case "hea" -> {
                requireFile(file);
                return Type.WFDB;
            }
            default -> {
            }
        }
        if (Files.isRegularFile(header(file)) && (ext.isEmpty() || !Files.isRegularFile(file) || isWfdbCompanion(ext))) {
            return Type.WFDB;
        }
        requireFile(file);
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (n == 8 && head[0] == '0' && allSpaces(head)) {
            return Type.EDF;
        }
        if (n == 8 && (head[0] & 0xff) == 0xff && new String(head, 1, 7, java.nio.charset.StandardCharsets.US_ASCII).equals("BIOSEMI")) {
            return Type.EDF;
        }
        String hint = ext.equals("xml") ? " (an NSRR annotation file: read it with ai.hypnos.core.annotation.NsrrXml)" : "";
        throw new HypnosFormatException(file, "type", ext.isEmpty() ? printable(head, n) : "." + ext,
                "unknown recording type" + hint + "; supported: EDF/EDF+ (.edf), BDF/BDF+ (.bdf), WFDB records (.hea)");
    }

    /** The WFDB header beside a record file: {@code 100.dat} → {@code 100.hea}. */
    private static Path header(Path file) {
        String name = file.getFileName().toString();
        String ext = extension(name);
        if (ext.equals("hea")) {
            return file;
        }
        String stem = isWfdbCompanion(ext) ? name.substring(0, name.length() - ext.length() - 1) : name;
        return file.resolveSibling(stem + ".hea");
    }

    private static boolean isWfdbCompanion(String ext) {
        return switch (ext) {
            case "dat", "atr", "qrs", "ecg", "apn", "st", "xyz" -> true;
            default -> false;
        };
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static void requireFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new HypnosFormatException(file, "type", "directory", "not a recording file");
        }
    }

    private static boolean allSpaces(byte[] b) {
        for (int i = 1; i < b.length; i++) {
            if (b[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}

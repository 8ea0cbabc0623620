package ai.hypnos.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file (recording, annotation, array, weight bundle) that does not follow its format.
 *
 * <p>The message always names the file, the field and the offending value, so that a user with
 * a cohort of thousands of nights can find and fix the one bad file. Readers throw this instead
 * of letting an index or allocation error escape from a lying header.
 */
public class HypnosFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;
    private final String value;

    /**
     * @param file    the file being read (may be {@code null} for in-memory data)
     * @param field   the header field, tensor or record that is wrong
     * @param value   the value found (printed verbatim, truncated if very long)
     * @param problem what is wrong with it, in words
     */
    public HypnosFormatException(Path file, String field, Object value, String problem) {
        this(file, field, value, problem, null);
    }

    public HypnosFormatException(Path file, String field, Object value, String problem, Throwable cause) {
        super(format(file, field, value, problem), cause);
        this.file = file;
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    private static String format(Path file, String field, Object value, String problem) {
        String shown = value == null ? "null" : String.valueOf(value);
        if (shown.length() > 120) {
            shown = shown.substring(0, 117) + "...";
        }
        return (file == null ? "<memory>" : file.toString()) + ": field '" + field + "' = '" + shown + "': " + problem;
    }

    /** The file that failed, or {@code null} for in-memory data. */
    public Path file() {
        return file;
    }

    /** The header field, tensor or record that is wrong. */
    public String field() {
        return field;
    }

    /** The offending value as found in the file. */
    public String value() {
        return value;
    }
}

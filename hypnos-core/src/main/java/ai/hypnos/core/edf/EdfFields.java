package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed-width ASCII fields of an EDF header: reading them with errors that name the field,
 * and writing numbers so that they fit their 4 or 8 characters.
 */
final class EdfFields {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final Path file;
    private final byte[] bytes;
    private final List<String> warnings;

    /**
     * @param file     the file, for messages
     * @param bytes    the header bytes, starting at file offset 0
     * @param warnings where recoverable oddities are reported
     */
    EdfFields(Path file, byte[] bytes, List<String> warnings) {
        this.file = file;
        this.bytes = bytes;
        this.warnings = warnings;
    }

    /** The field as written, Latin-1 decoded, untrimmed (for messages and exact checks). */
    String raw(int offset, int width) {
        return new String(bytes, offset, width, StandardCharsets.ISO_8859_1);
    }

    /**
     * A text field, trimmed. The standard allows printable US-ASCII only; real files carry
     * Latin-1 letters such as '°' or 'µ' in units, so those are accepted and reported.
     */
    String text(int offset, int width, String field) {
        for (int i = offset; i < offset + width; i++) {
            int b = bytes[i] & 0xff;
            if (b > 126 || (b < 32 && b != 0)) {
                warnings.add("field '" + field + "' = '" + raw(offset, width).trim()
                        + "' holds bytes outside printable ASCII; read as Latin-1");
                break;
            }
        }
        return raw(offset, width).trim();
    }

    /** An integer field (digits with an optional sign, space padded). */
    long integer(int offset, int width, String field) throws HypnosFormatException {
        String v = raw(offset, width).trim();
        if (v.isEmpty()) {
            throw new HypnosFormatException(file, field, raw(offset, width), "empty; an integer is required");
        }
        if (!INTEGER.matcher(v).matches()) {
            throw new HypnosFormatException(file, field, v, "not an integer");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new HypnosFormatException(file, field, v, "integer out of range", e);
        }
    }

    /** A decimal field; a comma as decimal separator is accepted with a warning. */
    double decimal(int offset, int width, String field) throws HypnosFormatException {
        String v = raw(offset, width).trim();
        if (v.isEmpty()) {
            throw new HypnosFormatException(file, field, raw(offset, width), "empty; a number is required");
        }
        String s = v;
        if (s.indexOf(',') >= 0 && s.indexOf('.') < 0 && s.indexOf(',') == s.lastIndexOf(',')) {
            s = s.replace(',', '.');
            if (DECIMAL.matcher(s).matches()) {
                warnings.add("field '" + field + "' = '" + v + "' uses a comma as decimal separator");
            }
        }
        if (!DECIMAL.matcher(s).matches()) {
            throw new HypnosFormatException(file, field, v, "not a number");
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw new HypnosFormatException(file, field, v, "number out of range");
        }
        return d;
    }

    // ---- writing ----

    /** Writes {@code value} left-aligned into {@code width} bytes, space padded. */
    static void put(byte[] dst, int offset, int width, String value) {
        if (value.length() > width) {
            throw new IllegalArgumentException("EDF header field of " + width + " characters cannot hold '" + value + "'");
        }
        for (int i = 0; i < width; i++) {
            char c = i < value.length() ? value.charAt(i) : ' ';
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException("EDF header fields are printable ASCII; '" + value + "' is not");
            }
            dst[offset + i] = (byte) c;
        }
    }

    /** The shortest plain decimal text of {@code v}; fails if it needs more than {@code width} characters. */
    static String number(double v, int width) {
        String s = plain(BigDecimal.valueOf(v));
        if (s.length() > width) {
            throw new IllegalArgumentException("value " + v + " needs " + s.length()
                    + " characters, an EDF field holds " + width);
        }
        return s;
    }

    /**
     * The most precise decimal of at most {@code width} characters that is {@code >= v} (when
     * {@code up}) or {@code <= v}: used for physical minima and maxima, which must enclose the data.
     */
    static String bound(double v, boolean up, int width) {
        if (!Double.isFinite(v)) {
            // new BigDecimal would throw a NumberFormatException that names nothing
            throw new IllegalArgumentException("value " + v + " cannot be written into an EDF field");
        }
        BigDecimal exact = new BigDecimal(v);
        for (int scale = width - 1; scale >= 0; scale--) {
            String s = plain(exact.setScale(scale, up ? RoundingMode.CEILING : RoundingMode.FLOOR));
            if (s.length() <= width) {
                return s;
            }
        }
        throw new IllegalArgumentException("value " + v + " does not fit an EDF field of " + width
                + " characters; rescale the signal (e.g. to other units)");
    }

    private static String plain(BigDecimal d) {
        String s = d.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}

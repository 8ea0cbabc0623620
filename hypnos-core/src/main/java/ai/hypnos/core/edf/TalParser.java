package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the bytes of an annotation signal in one data record into TALs (EDF+ specification,
 * section 2.2): each TAL is {@code [+-]onset [0x15 duration] 0x14 (text 0x14)* 0x00}; unused
 * bytes after the last TAL are 0x00.
 */
final class TalParser {
    private static final byte END = 0x00;
    private static final byte TEXT = 0x14;
    private static final byte DURATION = 0x15;
    /** Onsets and durations beyond ~300 years are corrupt, and would overflow date arithmetic. */
    static final double MAX_SECONDS = 1e10;

    private TalParser() {
    }

    /**
     * Where a TAL comes from, for messages: built only when something is wrong.
     *
     * @param file   the file
     * @param signal 1-based signal number in the header
     * @param label  the annotation signal's label
     * @param record 0-based data record index
     */
    record Origin(Path file, int signal, String label, long record) {
        @Override
        public String toString() {
            return "annotation signal " + signal + " ('" + label + "') in data record " + record;
        }
    }

    /**
     * @param b      buffer holding the annotation signal's bytes
     * @param from   first byte
     * @param to     end (exclusive)
     * @param origin file, signal and record, for messages
     */
    static List<Tal> parse(byte[] b, int from, int to, Origin origin) throws HypnosFormatException {
        List<Tal> out = new ArrayList<>(2);
        int i = from;
        while (i < to) {
            if (b[i] == END) {
                i++;
                continue;
            }
            int end = i;
            while (end < to && b[end] != END) {
                end++;
            }
            if (end == to) {
                throw new HypnosFormatException(origin.file(), origin.toString(), show(b, i, end), "TAL not terminated by a 0x00 byte");
            }
            out.add(parseOne(b, i, end, origin));
            i = end + 1;
        }
        return out;
    }

    private static Tal parseOne(byte[] b, int from, int end, Origin origin) throws HypnosFormatException {
        int firstText = indexOf(b, from, end, TEXT);
        if (firstText < 0) {
            throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, end), "TAL has no 0x14 after its onset");
        }
        if (b[end - 1] != TEXT) {
            throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, end), "TAL must end with 0x14 before its 0x00");
        }
        int durMark = indexOf(b, from, firstText, DURATION);
        int onsetEnd = durMark < 0 ? firstText : durMark;
        double onset = number(b, from, onsetEnd, true, origin, "onset");
        double duration = durMark < 0 ? Double.NaN : number(b, durMark + 1, firstText, false, origin, "duration");

        List<String> texts = new ArrayList<>(1);
        boolean firstEmpty = false;
        int s = firstText + 1;
        boolean first = true;
        while (s < end) {
            int e = indexOf(b, s, end, TEXT);
            String t = new String(b, s, e - s, StandardCharsets.UTF_8).trim();
            if (first) {
                firstEmpty = t.isEmpty();
                first = false;
            }
            if (!t.isEmpty()) {
                texts.add(t);
            }
            s = e + 1;
        }
        if (first) {
            firstEmpty = true; // "+onset 0x14 0x14": no text at all
        }
        return new Tal(onset, duration, List.copyOf(texts), firstEmpty);
    }

    /** Parses {@code [+-]digits[.digits]} (onset: sign required) or {@code digits[.digits]} (duration). */
    private static double number(byte[] b, int from, int to, boolean signed, Origin origin, String what)
            throws HypnosFormatException {
        int i = from;
        if (signed) {
            if (i >= to || (b[i] != '+' && b[i] != '-')) {
                throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, to),
                        "TAL " + what + " must start with '+' or '-'");
            }
            i++;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, to), "TAL " + what + " is not a number");
            }
        }
        if (digits == 0) {
            throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, to), "TAL " + what + " has no digits");
        }
        double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.US_ASCII));
        if (!(Math.abs(v) < MAX_SECONDS)) {
            throw new HypnosFormatException(origin.file(), origin.toString(), show(b, from, to),
                    "TAL " + what + " out of range (more than " + MAX_SECONDS + " s)");
        }
        return v;
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** The TAL bytes with its control characters made visible, for messages. */
    static String show(byte[] b, int from, int to) {
        int n = Math.min(to - from, 100);
        StringBuilder sb = new StringBuilder();
        String text = new String(b, from, n, StandardCharsets.UTF_8);
        for (char c : text.toCharArray()) {
            if (c == 0x14) {
                sb.append("\\x14");
            } else if (c == 0x15) {
                sb.append("\\x15");
            } else if (c < 32) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

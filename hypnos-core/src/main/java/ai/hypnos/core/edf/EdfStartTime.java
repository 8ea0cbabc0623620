package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The start date and time of an EDF file.
 *
 * <p>The header holds {@code dd.mm.yy} and {@code hh.mm.ss}. Two-digit years use 1985 as the
 * clipping year (85–99 → 1985–1999, 00–84 → 2000–2084). EDF+ also writes
 * {@code Startdate dd-MMM-yyyy} at the head of the recording identification; when present it
 * gives the four-digit year and wins over the header (after 2084 the header holds the letters
 * {@code yy} and only the recording field dates the file).
 */
final class EdfStartTime {
    private static final DateTimeFormatter EDF_PLUS_DATE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("dd-MMM-yyyy").toFormatter(Locale.ENGLISH);

    private EdfStartTime() {
    }

    /**
     * @param date        the header's startdate field ({@code dd.mm.yy})
     * @param time        the header's starttime field ({@code hh.mm.ss})
     * @param recordingId the recording identification (EDF+ puts {@code Startdate dd-MMM-yyyy} first)
     * @param plus        whether the file is EDF+/BDF+
     */
    static LocalDateTime parse(Path file, String date, String time, String recordingId, boolean plus,
                               List<String> warnings) throws HypnosFormatException {
        LocalTime clock = parseTime(file, time, warnings);
        LocalDate fromRecording = plus ? recordingFieldDate(recordingId, warnings) : null;
        LocalDate fromHeader;
        try {
            fromHeader = parseHeaderDate(file, date, warnings);
        } catch (HypnosFormatException e) {
            if (fromRecording == null) {
                throw e;
            }
            warnings.add(e.getMessage() + "; using the EDF+ recording field date " + fromRecording);
            return LocalDateTime.of(fromRecording, clock);
        }
        if (fromRecording == null) {
            if (fromHeader == null) {
                throw new HypnosFormatException(file, "startdate", date,
                        "year given as 'yy' but the recording field has no 'Startdate dd-MMM-yyyy'");
            }
            return LocalDateTime.of(fromHeader, clock);
        }
        if (fromHeader != null && !fromHeader.equals(fromRecording)) {
            warnings.add("startdate '" + date + "' differs from the EDF+ recording field date "
                    + fromRecording + "; using the recording field");
        }
        return LocalDateTime.of(fromRecording, clock);
    }

    /** The date in the header, or {@code null} when the year is the literal {@code yy}. */
    private static LocalDate parseHeaderDate(Path file, String date, List<String> warnings)
            throws HypnosFormatException {
        int[] p = threeNumbers(file, "startdate", date, true, warnings);
        if (p == null) {
            return null;
        }
        int year = p[2] >= 85 ? 1900 + p[2] : 2000 + p[2];
        try {
            return LocalDate.of(year, p[1], p[0]);
        } catch (DateTimeException e) {
            throw new HypnosFormatException(file, "startdate", date, "not a calendar date (dd.mm.yy)", e);
        }
    }

    private static LocalTime parseTime(Path file, String time, List<String> warnings) throws HypnosFormatException {
        int[] p = threeNumbers(file, "starttime", time, false, warnings);
        try {
            return LocalTime.of(p[0], p[1], p[2]);
        } catch (DateTimeException e) {
            throw new HypnosFormatException(file, "starttime", time, "not a time of day (hh.mm.ss)", e);
        }
    }

    /** Splits {@code aa.bb.cc}; returns {@code null} for {@code dd.mm.yy} with a literal {@code yy}. */
    private static int[] threeNumbers(Path file, String field, String v, boolean allowYy, List<String> warnings)
            throws HypnosFormatException {
        if (v.length() != 8) {
            throw new HypnosFormatException(file, field, v, "expected 8 characters like "
                    + (field.equals("startdate") ? "'dd.mm.yy'" : "'hh.mm.ss'"));
        }
        char s1 = v.charAt(2);
        char s2 = v.charAt(5);
        if (s1 != s2 || ".:/-".indexOf(s1) < 0) {
            throw new HypnosFormatException(file, field, v, "separators must be '.'");
        }
        if (s1 != '.') {
            warnings.add("field '" + field + "' = '" + v + "' uses '" + s1 + "' instead of '.' as separator");
        }
        if (allowYy && v.endsWith("yy")) {
            return null;
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            char a = v.charAt(3 * i);
            char b = v.charAt(3 * i + 1);
            if (a < '0' || a > '9' || b < '0' || b > '9') {
                throw new HypnosFormatException(file, field, v, "non-digit characters");
            }
            out[i] = (a - '0') * 10 + (b - '0');
        }
        return out;
    }

    /** The date of an EDF+ {@code Startdate dd-MMM-yyyy ...} recording field, or {@code null}. */
    private static LocalDate recordingFieldDate(String recordingId, List<String> warnings) {
        String[] items = recordingId.trim().split(" +");
        if (items.length < 2 || !items[0].equalsIgnoreCase("Startdate")) {
            warnings.add("EDF+ recording field does not start with 'Startdate': '" + recordingId.trim() + "'");
            return null;
        }
        if (items[1].equals("X")) {
            return null;
        }
        try {
            return LocalDate.parse(items[1], EDF_PLUS_DATE);
        } catch (DateTimeParseException e) {
            warnings.add("EDF+ recording field date '" + items[1] + "' is not dd-MMM-yyyy; using the header date");
            return null;
        }
    }

    // ---- writing ----

    /** The header startdate field: {@code dd.mm.yy}, or {@code dd.mm.yy} with literal {@code yy} outside 1985–2084. */
    static String headerDate(LocalDate d) {
        String dm = String.format(Locale.ROOT, "%02d.%02d.", d.getDayOfMonth(), d.getMonthValue());
        if (d.getYear() < 1985 || d.getYear() > 2084) {
            return dm + "yy";
        }
        return dm + String.format(Locale.ROOT, "%02d", d.getYear() % 100);
    }

    /** The header starttime field {@code hh.mm.ss}. */
    static String headerTime(LocalTime t) {
        return String.format(Locale.ROOT, "%02d.%02d.%02d", t.getHour(), t.getMinute(), t.getSecond());
    }

    /** The EDF+ date {@code dd-MMM-yyyy} with an upper-case English month. */
    static String plusDate(LocalDate d) {
        return EDF_PLUS_DATE.format(d).toUpperCase(Locale.ROOT);
    }
}

package ai.hypnos.core.wfdb;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed single-segment WFDB header ({@code .hea}, PhysioNet {@code header(5)}).
 *
 * <p>The record line is {@code name nsig [fs[/counterfreq[(base)]] [nsamp [basetime [basedate]]]]},
 * followed by one line per signal ({@link WfdbSignalSpec}); lines starting with {@code #} are
 * comments (kept, in order, wherever they appear) and blank lines are ignored. Multi-segment
 * records ({@code name/nseg}) are rejected with a clear message.
 *
 * @param file             the header file
 * @param recordName       record name from the record line
 * @param frameRate        frames per second ({@code fs}; 250 when absent, WFDB's default)
 * @param counterFrequency counter frequency, or {@code NaN} when absent
 * @param baseCounter      base counter value (0 when absent)
 * @param frameCount       number of frames ({@code nsamp}), empty when absent or 0 (then derived from file sizes)
 * @param baseTime         time of day of the first sample, if given
 * @param baseDate         date of the first sample, if given
 * @param signals          signal specifications, in header order
 * @param comments         comment lines without the leading {@code #}, trimmed
 */
public record WfdbHeader(
        Path file,
        String recordName,
        double frameRate,
        double counterFrequency,
        double baseCounter,
        OptionalLong frameCount,
        Optional<LocalTime> baseTime,
        Optional<LocalDate> baseDate,
        List<WfdbSignalSpec> signals,
        List<String> comments) {

    /** WFDB's default frame rate when a header gives none. */
    public static final double DEFAULT_FREQUENCY = 250.0;

    /** Headers are small text files; anything beyond this is not a header. */
    private static final long MAX_HEADER_BYTES = 16L << 20;

    private static final Pattern FREQUENCY = Pattern.compile("([^/(]+)(?:/([^(]+)(?:\\(([^)]*)\\))?)?");
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(?:x(\\d+))?(?::(\\d+))?(?:\\+(\\d+))?");
    private static final Pattern GAIN = Pattern.compile("([^(/]+)(?:\\(([^)]*)\\))?(?:/(.*))?");

    public WfdbHeader {
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
    }

    /** Number of signals ({@code nsig}). */
    public int signalCount() {
        return signals.size();
    }

    /** Reads and validates a header file. */
    public static WfdbHeader read(Path hea) throws IOException {
        if (!Files.isRegularFile(hea)) {
            throw new HypnosFormatException(hea, "header", hea, "no such header file");
        }
        long size = Files.size(hea);
        if (size > MAX_HEADER_BYTES) {
            throw new HypnosFormatException(hea, "header size", size, "too large for a WFDB header");
        }
        return parse(hea, decode(Files.readAllBytes(hea)));
    }

    /** Header text is ASCII in practice; UTF-8 when valid, else Latin-1 (older files write µ as 0xB5). */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    static WfdbHeader parse(Path file, String text) throws HypnosFormatException {
        List<String> comments = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\\r?\\n|\\r", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
            } else {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new HypnosFormatException(file, "record line", "", "header has no record line");
        }
        String[] rec = lines.get(0).split("\\s+");
        String name = rec[0];
        if (name.contains("/")) {
            throw new HypnosFormatException(file, "record name", name,
                    "multi-segment records (name/segments) are not supported; open one segment's header");
        }
        if (rec.length < 2) {
            throw new HypnosFormatException(file, "number of signals", "", "record line has no signal count");
        }
        int nsig = parseInt(file, "number of signals", rec[1]);
        if (nsig < 0) {
            throw new HypnosFormatException(file, "number of signals", rec[1], "must not be negative");
        }
        double fs = DEFAULT_FREQUENCY;
        double counter = Double.NaN;
        double base = 0;
        if (rec.length > 2) {
            Matcher m = FREQUENCY.matcher(rec[2]);
            if (!m.matches()) {
                throw new HypnosFormatException(file, "sampling frequency", rec[2], "not of the form fs[/counter[(base)]]");
            }
            fs = parseDouble(file, "sampling frequency", m.group(1));
            if (!(fs > 0) || Double.isInfinite(fs)) {
                throw new HypnosFormatException(file, "sampling frequency", rec[2], "must be a positive number");
            }
            if (m.group(2) != null) {
                counter = parseDouble(file, "counter frequency", m.group(2));
            }
            if (m.group(3) != null) {
                base = parseDouble(file, "base counter value", m.group(3));
            }
        }
        OptionalLong frames = OptionalLong.empty();
        if (rec.length > 3) {
            long n = parseLong(file, "number of samples", rec[3]);
            if (n < 0) {
                throw new HypnosFormatException(file, "number of samples", rec[3], "must not be negative");
            }
            if (n > 0) {
                frames = OptionalLong.of(n);
            }
        }
        Optional<LocalTime> time = rec.length > 4 ? Optional.of(parseTime(file, rec[4])) : Optional.empty();
        Optional<LocalDate> date = rec.length > 5 ? Optional.of(parseDate(file, rec[5])) : Optional.empty();

        int signalLines = lines.size() - 1;
        if (signalLines != nsig) {
            throw new HypnosFormatException(file, "number of signals", nsig,
                    "record line announces " + nsig + " signals but the header has " + signalLines + " signal lines");
        }
        List<WfdbSignalSpec> signals = new ArrayList<>(nsig);
        for (int i = 0; i < nsig; i++) {
            signals.add(parseSignal(file, name, i, lines.get(i + 1)));
        }
        return new WfdbHeader(file, name, fs, counter, base, frames, time, date, signals, comments);
    }

    private static WfdbSignalSpec parseSignal(Path file, String record, int index, String line)
            throws HypnosFormatException {
        String[] f = line.split("\\s+", 9);
        String where = "signal " + index + " ";
        if (f.length < 2) {
            throw new HypnosFormatException(file, where + "format", line, "signal line has no format");
        }
        Matcher fm = FORMAT.matcher(f[1]);
        if (!fm.matches()) {
            throw new HypnosFormatException(file, where + "format", f[1], "not of the form format[xspf][:skew][+offset]");
        }
        int code = parseInt(file, where + "format", fm.group(1));
        SampleFormat format = SampleFormat.of(code).orElseThrow(() -> new HypnosFormatException(file, where + "format",
                f[1], "unsupported sample format (supported: 0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311)"));
        int spf = fm.group(2) == null ? 1 : parseInt(file, where + "samples per frame", fm.group(2));
        if (spf < 1) {
            throw new HypnosFormatException(file, where + "samples per frame", f[1], "must be at least 1");
        }
        int skew = fm.group(3) == null ? 0 : parseInt(file, where + "skew", fm.group(3));
        long offset = fm.group(4) == null ? 0 : parseLong(file, where + "byte offset", fm.group(4));

        double gain = 0;
        Integer baseline = null;
        String units = "mV";
        if (f.length > 2) {
            Matcher gm = GAIN.matcher(f[2]);
            if (!gm.matches()) {
                throw new HypnosFormatException(file, where + "gain", f[2], "not of the form gain[(baseline)][/units]");
            }
            gain = parseDouble(file, where + "gain", gm.group(1));
            if (gain < 0 || Double.isInfinite(gain)) {
                throw new HypnosFormatException(file, where + "gain", f[2], "must be a non-negative number");
            }
            if (gm.group(2) != null) {
                baseline = parseInt(file, where + "baseline", gm.group(2));
            }
            if (gm.group(3) != null && !gm.group(3).isEmpty()) {
                units = gm.group(3);
            }
        }
        boolean gainGiven = gain > 0;
        if (!gainGiven) {
            gain = WfdbSignalSpec.DEFAULT_GAIN;
        }
        int adcRes = f.length > 3 ? parseInt(file, where + "ADC resolution", f[3]) : 0;
        if (adcRes < 0 || adcRes > 32) {
            throw new HypnosFormatException(file, where + "ADC resolution", f[3], "must be between 0 and 32 bits");
        }
        if (adcRes == 0) {
            adcRes = Math.max(format.bits(), 1);
        }
        int adcZero = f.length > 4 ? parseInt(file, where + "ADC zero", f[4]) : 0;
        int init = f.length > 5 ? parseInt(file, where + "initial value", f[5]) : adcZero;
        OptionalInt checksum = f.length > 6 ? OptionalInt.of(parseInt(file, where + "checksum", f[6])) : OptionalInt.empty();
        int block = f.length > 7 ? parseInt(file, where + "block size", f[7]) : 0;
        String description = f.length > 8 ? f[8].strip() : "record " + record + ", signal " + index;
        return new WfdbSignalSpec(f[0], format, spf, skew, offset, gain, baseline == null ? adcZero : baseline, units,
                adcRes, adcZero, init, checksum, block, description, gainGiven);
    }

    private static LocalTime parseTime(Path file, String s) throws HypnosFormatException {
        String[] parts = s.split(":");
        try {
            if (parts.length > 3) {
                throw new NumberFormatException();
            }
            double seconds = Double.parseDouble(parts[parts.length - 1]);
            int minutes = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : 0;
            int hours = parts.length > 2 ? Integer.parseInt(parts[0]) : 0;
            int whole = (int) Math.floor(seconds);
            int nanos = (int) Math.round((seconds - whole) * 1e9);
            if (nanos >= 1_000_000_000) {
                nanos = 999_999_999;
            }
            return LocalTime.of(hours, minutes, whole, nanos);
        } catch (NumberFormatException | DateTimeException e) {
            throw new HypnosFormatException(file, "base time", s, "not a time of day HH:MM:SS[.fff]");
        }
    }

    private static LocalDate parseDate(Path file, String s) throws HypnosFormatException {
        String[] parts = s.split("/");
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            return LocalDate.of(Integer.parseInt(parts[2]), Integer.parseInt(parts[1]), Integer.parseInt(parts[0]));
        } catch (NumberFormatException | DateTimeException e) {
            throw new HypnosFormatException(file, "base date", s, "not a date DD/MM/YYYY");
        }
    }

    private static int parseInt(Path file, String field, String s) throws HypnosFormatException {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new HypnosFormatException(file, field, s, "not an integer");
        }
    }

    private static long parseLong(Path file, String field, String s) throws HypnosFormatException {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new HypnosFormatException(file, field, s, "not an integer");
        }
    }

    private static double parseDouble(Path file, String field, String s) throws HypnosFormatException {
        try {
            double v = Double.parseDouble(s.strip());
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HypnosFormatException(file, field, s, "not a number");
        }
    }
}

package ai.hypnos.core.wfdb;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WFDB annotation files in MIT format ({@code .atr}, {@code .qrs}, {@code .ecg}...;
 * PhysioNet {@code annot(5)}).
 *
 * <p>The file is a sequence of 16-bit little-endian words: the top 6 bits are a type A, the low
 * 10 bits a value I. A in 1..49 (and 0 with I ≠ 0) is an annotation of type A, I samples after
 * the previous one. Pseudo-annotations: SKIP (59: the next two words hold a 32-bit interval,
 * high word first, added to the time of the next annotation), NUM (60), SUB (61) and CHN (62)
 * set {@code num}, {@code subtyp} and {@code chan} of the annotation just read, AUX (63) attaches
 * I bytes of text (padded to an even count). {@code num} and {@code chan} carry over to later
 * annotations until set again. A zero word ends the file.
 *
 * <p>Times need the record's frame rate: {@link #read(Path)} takes it from the header beside the
 * annotation file ({@code 100.atr} → {@code 100.hea}). A file that begins with WFDB's
 * {@code "## time resolution: F"} note counts samples at F Hz instead; that note is honoured and
 * not returned as an annotation.
 */
public final class MitAnnotationReader {
    private static final Logger LOG = LoggerFactory.getLogger(MitAnnotationReader.class);

    private static final int SKIP = 59;
    private static final int NUM = 60;
    private static final int SUB = 61;
    private static final int CHN = 62;
    private static final int AUX = 63;
    private static final String TIME_RESOLUTION = "## time resolution:";

    private MitAnnotationReader() {
    }

    /**
     * Reads an annotation file, with times from the frame rate of the record's header found
     * next to it (the file name up to its last dot, plus {@code .hea}).
     *
     * @throws HypnosFormatException if the file is malformed, or if there is no header beside it
     *                               and the file has no time-resolution note (use {@link #read(Path, double)})
     */
    public static List<MitAnnotation> read(Path atr) throws IOException {
        String name = atr.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path hea = atr.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".hea");
        if (Files.isRegularFile(hea)) {
            return read(atr, WfdbHeader.read(hea).frameRate());
        }
        List<Raw> raw = parse(atr);
        double fs = timeResolution(raw);
        if (Double.isNaN(fs)) {
            throw new HypnosFormatException(atr, "sampling frequency", hea,
                    "no header beside the annotation file and no time-resolution note; call read(file, fs)");
        }
        return toAnnotations(raw, fs);
    }

    /** Reads an annotation file whose sample numbers count frames at {@code fs} Hz. */
    public static List<MitAnnotation> read(Path atr, double fs) throws IOException {
        if (!(fs > 0) || Double.isInfinite(fs)) {
            throw new IllegalArgumentException("sampling frequency must be positive, got " + fs);
        }
        List<Raw> raw = parse(atr);
        double note = timeResolution(raw);
        if (!Double.isNaN(note) && note != fs) {
            LOG.info("{}: annotation times count {} Hz ticks (time-resolution note), not the record's {} Hz",
                    atr, note, fs);
        }
        return toAnnotations(raw, Double.isNaN(note) ? fs : note);
    }

    /** One annotation before times are known. */
    private record Raw(long sample, int code, int subtype, int channel, int num, String aux) {
        Raw withSubtype(int s) {
            return new Raw(sample, code, s, channel, num, aux);
        }

        Raw withChannel(int c) {
            return new Raw(sample, code, subtype, c, num, aux);
        }

        Raw withNum(int n) {
            return new Raw(sample, code, subtype, channel, n, aux);
        }

        Raw withAux(String a) {
            return new Raw(sample, code, subtype, channel, num, a);
        }
    }

    private static List<Raw> parse(Path atr) throws IOException {
        if (!Files.isRegularFile(atr)) {
            throw new HypnosFormatException(atr, "annotation file", atr, "no such file");
        }
        long size = Files.size(atr);
        if (size > Integer.MAX_VALUE - 8) {
            throw new HypnosFormatException(atr, "file size", size, "too large for an annotation file");
        }
        byte[] b = Files.readAllBytes(atr);
        List<Raw> out = new ArrayList<>();
        long time = 0;
        int num = 0;
        int chan = 0;
        int pos = 0;
        while (pos + 1 < b.length) {
            int word = (b[pos] & 0xff) | ((b[pos + 1] & 0xff) << 8);
            int a = word >>> 10;
            int value = word & 0x3ff;
            int at = pos;
            pos += 2;
            if (a == 0 && value == 0) {
                return out;
            }
            switch (a) {
                case SKIP -> {
                    if (pos + 4 > b.length) {
                        throw new HypnosFormatException(atr, "SKIP interval at byte " + at, b.length - pos + " bytes left",
                                "file ends inside a SKIP pseudo-annotation");
                    }
                    int high = (b[pos] & 0xff) | ((b[pos + 1] & 0xff) << 8);
                    int low = (b[pos + 2] & 0xff) | ((b[pos + 3] & 0xff) << 8);
                    time += (high << 16) | low;
                    pos += 4;
                }
                case NUM, SUB, CHN, AUX -> {
                    if (out.isEmpty()) {
                        throw new HypnosFormatException(atr, "pseudo-annotation at byte " + at, a,
                                "NUM/SUB/CHN/AUX before any annotation");
                    }
                    int last = out.size() - 1;
                    Raw r = out.get(last);
                    if (a == NUM) {
                        num = (byte) value;
                        r = r.withNum(num);
                    } else if (a == SUB) {
                        r = r.withSubtype((byte) value);
                    } else if (a == CHN) {
                        chan = value & 0xff;
                        r = r.withChannel(chan);
                    } else {
                        if (pos + value > b.length) {
                            throw new HypnosFormatException(atr, "AUX length at byte " + at, value,
                                    "aux text runs past the end of the file (" + (b.length - pos) + " bytes left)");
                        }
                        String aux = new String(b, pos, value, StandardCharsets.ISO_8859_1);
                        int nul = aux.indexOf('\0');
                        r = r.withAux(nul >= 0 ? aux.substring(0, nul) : aux);
                        pos += value + (value & 1);
                    }
                    out.set(last, r);
                }
                default -> {
                    time += value;
                    out.add(new Raw(time, a, 0, chan, num, ""));
                }
            }
        }
        return out;
    }

    /** The frequency of a leading "## time resolution: F" note, or NaN. */
    private static double timeResolution(List<Raw> raw) {
        if (raw.isEmpty()) {
            return Double.NaN;
        }
        Raw first = raw.get(0);
        if (first.sample() != 0 || first.code() != MitCodes.NOTE || !first.aux().startsWith(TIME_RESOLUTION)) {
            return Double.NaN;
        }
        try {
            double f = Double.parseDouble(first.aux().substring(TIME_RESOLUTION.length()).strip());
            return f > 0 && !Double.isInfinite(f) ? f : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<MitAnnotation> toAnnotations(List<Raw> raw, double fs) {
        boolean skipNote = !Double.isNaN(timeResolution(raw));
        List<MitAnnotation> out = new ArrayList<>(raw.size());
        for (int i = skipNote ? 1 : 0; i < raw.size(); i++) {
            Raw r = raw.get(i);
            out.add(new MitAnnotation(r.sample(), r.sample() / fs, r.code(), MitCodes.mnemonic(r.code()),
                    r.subtype(), r.channel(), r.num(), r.aux()));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("read {} annotations at {} Hz", out.size(), String.format(Locale.ROOT, "%.6g", fs));
        }
        return out;
    }
}

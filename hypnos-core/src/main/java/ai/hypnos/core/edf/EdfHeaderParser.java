package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.SharedReadChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates an EDF/EDF+/BDF/BDF+ header.
 *
 * <p>Every field is checked before it is used; sizes are checked against the real file size
 * before anything is allocated, so a lying header gives a {@link HypnosFormatException} naming
 * the field and its value instead of an index error or an out-of-memory.
 */
final class EdfHeaderParser {
    // Offsets and widths of the fixed part (EDF specification, section 1).
    private static final int VERSION = 0;
    private static final int PATIENT = 8;
    private static final int RECORDING = 88;
    private static final int START_DATE = 168;
    private static final int START_TIME = 176;
    private static final int HEADER_BYTES = 184;
    private static final int RESERVED = 192;
    private static final int RECORD_COUNT = 236;
    private static final int RECORD_DURATION = 244;
    private static final int SIGNAL_COUNT = 252;

    /** Widths of the per-signal fields, in the order they appear (each repeated ns times). */
    static final int[] SIGNAL_FIELD_WIDTHS = {16, 80, 8, 8, 8, 8, 8, 80, 8, 32};

    private EdfHeaderParser() {
    }

    /**
     * @param file     the file (for messages)
     * @param channel  an open channel on it
     * @param fileSize its size in bytes
     * @param warnings receives recoverable oddities
     */
    static EdfHeader parse(Path file, SharedReadChannel channel, long fileSize, List<String> warnings) throws IOException {
        if (fileSize < EdfHeader.BLOCK) {
            throw new HypnosFormatException(file, "header", fileSize + " bytes",
                    "file is shorter than the 256-byte fixed header");
        }
        byte[] fixed = readFully(channel, 0, EdfHeader.BLOCK);
        EdfFields f = new EdfFields(file, fixed, warnings);

        boolean bdf = detectBdf(file, fixed, f);
        long ns = f.integer(SIGNAL_COUNT, 4, "number of signals");
        if (ns < 1) {
            throw new HypnosFormatException(file, "number of signals", ns, "a file needs at least one signal");
        }
        long headerBytes = EdfHeader.BLOCK * (ns + 1);
        if (headerBytes > fileSize) {
            throw new HypnosFormatException(file, "number of signals", ns, "needs a header of " + headerBytes
                    + " bytes but the file has only " + fileSize + " bytes (truncated header?)");
        }
        long headerField = f.integer(HEADER_BYTES, 8, "number of bytes in header");
        if (headerField != headerBytes) {
            throw new HypnosFormatException(file, "number of bytes in header", headerField,
                    "must be 256 x (number of signals + 1) = " + headerBytes);
        }
        EdfFormat format = detectFormat(file, f.raw(RESERVED, 44).trim(), bdf, warnings);

        String patient = f.text(PATIENT, 80, "local patient identification");
        String recording = f.text(RECORDING, 80, "local recording identification");
        LocalDateTime start = EdfStartTime.parse(file, f.raw(START_DATE, 8).trim(), f.raw(START_TIME, 8).trim(),
                recording, format.isPlus(), warnings);

        long recordCount = f.integer(RECORD_COUNT, 8, "number of data records");
        if (recordCount < -1) {
            throw new HypnosFormatException(file, "number of data records", recordCount,
                    "must be -1 (unknown) or a count >= 0");
        }
        double duration = f.decimal(RECORD_DURATION, 8, "duration of a data record");
        if (duration < 0) {
            throw new HypnosFormatException(file, "duration of a data record", duration, "negative");
        }

        byte[] all = new byte[(int) headerBytes];
        System.arraycopy(fixed, 0, all, 0, EdfHeader.BLOCK);
        byte[] rest = readFully(channel, EdfHeader.BLOCK, (int) (headerBytes - EdfHeader.BLOCK));
        System.arraycopy(rest, 0, all, EdfHeader.BLOCK, rest.length);
        List<EdfSignalHeader> signals = parseSignals(file, new EdfFields(file, all, warnings), (int) ns, format, warnings);

        boolean ordinary = signals.stream().anyMatch(s -> !s.annotation());
        if (duration == 0 && ordinary) {
            throw new HypnosFormatException(file, "duration of a data record", f.raw(RECORD_DURATION, 8).trim(),
                    "0 is allowed only for annotation-only files, but this file has ordinary signals");
        }
        if (format.isPlus() && signals.stream().noneMatch(EdfSignalHeader::annotation)) {
            if (format.isDiscontinuous()) {
                throw new HypnosFormatException(file, "signal labels", format.label(),
                        "a discontinuous file needs an '" + format.annotationLabel() + "' signal to place its records");
            }
            warnings.add(format.label() + " file without an '" + format.annotationLabel()
                    + "' signal; records are taken as contiguous");
        }
        return new EdfHeader(format, patient, recording, start, recordCount, duration, signals);
    }

    private static boolean detectBdf(Path file, byte[] fixed, EdfFields f) throws HypnosFormatException {
        if ((fixed[0] & 0xff) == 0xff) {
            String tag = new String(fixed, 1, 7, StandardCharsets.ISO_8859_1);
            if (!tag.equals("BIOSEMI")) {
                throw new HypnosFormatException(file, "version", "0xFF" + tag,
                        "a BDF file starts with byte 0xFF followed by 'BIOSEMI'");
            }
            return true;
        }
        String version = f.raw(VERSION, 8);
        if (!version.trim().equals("0")) {
            throw new HypnosFormatException(file, "version", version.trim(),
                    "expected '0' (EDF) or byte 0xFF + 'BIOSEMI' (BDF); not an EDF/BDF file");
        }
        return false;
    }

    private static EdfFormat detectFormat(Path file, String reserved, boolean bdf, List<String> warnings)
            throws HypnosFormatException {
        String family = bdf ? "BDF" : "EDF";
        if (reserved.startsWith(family + "+")) {
            if (reserved.startsWith(family + "+C")) {
                return bdf ? EdfFormat.BDF_PLUS_C : EdfFormat.EDF_PLUS_C;
            }
            if (reserved.startsWith(family + "+D")) {
                return bdf ? EdfFormat.BDF_PLUS_D : EdfFormat.EDF_PLUS_D;
            }
            throw new HypnosFormatException(file, "reserved", reserved,
                    "must start with '" + family + "+C' or '" + family + "+D' for " + family + "+ files");
        }
        if (reserved.startsWith(bdf ? "EDF+" : "BDF+")) {
            throw new HypnosFormatException(file, "reserved", reserved,
                    "names the other format family than the version field (" + family + ")");
        }
        if (bdf && !reserved.equals("24BIT")) {
            warnings.add("BDF reserved field is '" + reserved + "' instead of '24BIT'; read as 24-bit BDF");
        } else if (!bdf && !reserved.isEmpty()) {
            warnings.add("EDF reserved field '" + reserved + "' ignored; read as plain EDF");
        }
        return bdf ? EdfFormat.BDF : EdfFormat.EDF;
    }

    private static List<EdfSignalHeader> parseSignals(Path file, EdfFields f, int ns, EdfFormat format,
                                                      List<String> warnings) throws HypnosFormatException {
        int[] start = new int[SIGNAL_FIELD_WIDTHS.length];
        int pos = EdfHeader.BLOCK;
        for (int k = 0; k < SIGNAL_FIELD_WIDTHS.length; k++) {
            start[k] = pos;
            pos += SIGNAL_FIELD_WIDTHS[k] * ns;
        }
        List<EdfSignalHeader> out = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            String label = f.text(start[0] + 16 * i, 16, "signal " + (i + 1) + " label");
            String name = "signal " + (i + 1) + " ('" + label + "') ";
            String transducer = f.text(start[1] + 80 * i, 80, name + "transducer type");
            String unit = f.text(start[2] + 8 * i, 8, name + "physical dimension");
            double pmin = f.decimal(start[3] + 8 * i, 8, name + "physical minimum");
            double pmax = f.decimal(start[4] + 8 * i, 8, name + "physical maximum");
            long dmin = f.integer(start[5] + 8 * i, 8, name + "digital minimum");
            long dmax = f.integer(start[6] + 8 * i, 8, name + "digital maximum");
            String prefilter = f.text(start[7] + 80 * i, 80, name + "prefiltering");
            long spr = f.integer(start[8] + 8 * i, 8, name + "number of samples in each data record");
            String reserved = f.text(start[9] + 32 * i, 32, name + "reserved");
            if (spr < 1) {
                throw new HypnosFormatException(file, name + "number of samples in each data record", spr,
                        "must be at least 1");
            }
            boolean annotation = label.equals("EDF Annotations") || label.equals("BDF Annotations");
            if (annotation && !format.isPlus()) {
                warnings.add(name + "is an annotation signal in a plain " + format.label()
                        + " file; its TALs are read as annotations");
            }
            if (!annotation) {
                checkScaling(file, name, format, pmin, pmax, dmin, dmax);
            }
            out.add(new EdfSignalHeader(label, transducer, unit, pmin, pmax, dmin, dmax, prefilter,
                    (int) spr, reserved, annotation));
        }
        return out;
    }

    private static void checkScaling(Path file, String name, EdfFormat format, double pmin, double pmax,
                                     long dmin, long dmax) throws HypnosFormatException {
        for (long d : new long[] {dmin, dmax}) {
            if (d < format.digitalFloor() || d > format.digitalCeiling()) {
                String which = d == dmin ? "digital minimum" : "digital maximum";
                throw new HypnosFormatException(file, name + which, d, "outside the " + (format.bytesPerSample() * 8)
                        + "-bit range [" + format.digitalFloor() + ", " + format.digitalCeiling() + "]");
            }
        }
        if (dmin >= dmax) {
            throw new HypnosFormatException(file, name + "digital minimum", dmin,
                    "must be smaller than the digital maximum " + dmax);
        }
        if (pmin == pmax) {
            throw new HypnosFormatException(file, name + "physical minimum", pmin,
                    "equals the physical maximum; the gain would be zero");
        }
    }

    private static byte[] readFully(SharedReadChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.array();
    }
}

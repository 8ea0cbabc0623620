package ai.hypnos.core.edf;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.SignalInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the writer decides before writing a byte: record duration, samples per record, each
 * signal's physical and digital range, the EDF+ identification fields, and which data record
 * carries which annotation (each goes into the record whose time span holds its onset).
 */
final class EdfLayout {
    private static final Logger LOG = LoggerFactory.getLogger(EdfLayout.class);
    private static final int SCAN_BLOCK = 1 << 20;

    final EdfHeader header;
    /** Number of ordinary signals; the annotation signal comes after them. */
    final int signalCount;
    private final BigDecimal startFraction;
    private final BigDecimal recordDuration;
    private final Map<Long, List<byte[]>> tals;
    private final int annotationBytes;

    private EdfLayout(EdfHeader header, int signalCount, BigDecimal startFraction, BigDecimal recordDuration,
                      Map<Long, List<byte[]>> tals, int annotationBytes) {
        this.header = header;
        this.signalCount = signalCount;
        this.startFraction = startFraction;
        this.recordDuration = recordDuration;
        this.tals = tals;
        this.annotationBytes = annotationBytes;
    }

    static EdfLayout of(Recording rec, EdfWriter.Options o) throws IOException {
        EdfFormat format = o.bdf() ? EdfFormat.BDF_PLUS_C : EdfFormat.EDF_PLUS_C;
        List<SignalInfo> infos = rec.signals();
        int n = infos.size();
        double[] rates = infos.stream().mapToDouble(SignalInfo::sampleRate).toArray();
        double duration;
        if (n == 0) {
            duration = 0; // annotation-only file: one record of duration 0 holds every annotation
        } else if (Double.isNaN(o.recordDuration())) {
            duration = RecordDuration.choose(rates);
        } else {
            duration = o.recordDuration();
            int bad = RecordDuration.fits(rates, duration);
            if (bad >= 0) {
                throw new IllegalArgumentException("record duration " + duration + " s gives signal '"
                        + infos.get(bad).label() + "' (" + rates[bad] + " Hz) a fractional number of samples per record");
            }
        }
        EdfFields.number(duration, 8); // fails early if the duration does not fit its field

        long records = n == 0 ? 1 : 0;
        List<EdfSignalHeader> signals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignalInfo s = infos.get(i);
            int spr = RecordDuration.samplesPerRecord(s.sampleRate(), duration);
            records = Math.max(records, (s.sampleCount() + spr - 1) / spr);
            double[] range = range(rec, i, o, format);
            signals.add(new EdfSignalHeader(ascii(s.label(), 16), ascii(s.transducer(), 80), ascii(s.unit(), 8),
                    range[0], range[1], (long) range[2], (long) range[3], ascii(s.prefiltering(), 80), spr, "", false));
        }
        if (records == 0 && !rec.annotations().isEmpty()) {
            records = 1;
        }

        LocalDateTime start = rec.startTime() == null ? LocalDateTime.of(1985, 1, 1, 0, 0) : rec.startTime();
        BigDecimal fraction = BigDecimal.valueOf(start.getNano(), 9);
        BigDecimal dur = new BigDecimal(EdfFields.number(duration, 8));
        Map<Long, List<byte[]>> tals = new HashMap<>();
        for (Annotation a : rec.annotations()) {
            if (!Double.isFinite(a.onset())) {
                throw new IllegalArgumentException("annotation '" + a.text() + "' has onset " + a.onset());
            }
            double d = a.duration();
            if (!Double.isNaN(d) && !(d >= 0 && Double.isFinite(d))) {
                LOG.warn("annotation '{}' at {} s: duration {} is not a non-negative number; written without one",
                        a.text(), a.onset(), d);
                d = Double.NaN;
            }
            long r = duration == 0 ? 0 : (long) Math.floor(a.onset() / duration);
            r = Math.max(0, Math.min(records - 1, r));
            tals.computeIfAbsent(r, k -> new ArrayList<>())
                    .add(TalEncoder.annotation(BigDecimal.valueOf(a.onset()).add(fraction), d, a.text()));
        }
        int bps = format.bytesPerSample();
        int largest = TalEncoder.timekeeping(fraction.add(dur.multiply(BigDecimal.valueOf(Math.max(0, records - 1))))).length;
        for (Map.Entry<Long, List<byte[]>> e : tals.entrySet()) {
            int size = TalEncoder.timekeeping(fraction.add(dur.multiply(BigDecimal.valueOf(e.getKey())))).length;
            for (byte[] t : e.getValue()) {
                size += t.length;
            }
            largest = Math.max(largest, size);
        }
        int annotationSamples = (largest + bps - 1) / bps;
        signals.add(new EdfSignalHeader(format.annotationLabel(), "", "", -1, 1,
                format.digitalFloor(), format.digitalCeiling(), "", annotationSamples, "", true));

        EdfHeader header = new EdfHeader(format, patientField(o), recordingField(o, rec.startTime()),
                start.withNano(0), records, duration, signals);
        return new EdfLayout(header, n, fraction, dur, tals, annotationSamples * bps);
    }

    /** The annotation signal's bytes in data record {@code record}: time-keeping TAL, annotations, zero padding. */
    byte[] annotationBlock(long record) {
        byte[] out = new byte[annotationBytes];
        byte[] tk = TalEncoder.timekeeping(startFraction.add(recordDuration.multiply(BigDecimal.valueOf(record))));
        System.arraycopy(tk, 0, out, 0, tk.length);
        int pos = tk.length;
        for (byte[] t : tals.getOrDefault(record, List.of())) {
            System.arraycopy(t, 0, out, pos, t.length);
            pos += t.length;
        }
        return out;
    }

    /**
     * {physical min, physical max, digital min, digital max} of signal {@code i}: given in the
     * options, else the source's own EDF ranges when they hold the data (an EDF copied this way
     * keeps its digital values), else the data's extremes rounded outwards to 8 characters.
     */
    private static double[] range(Recording rec, int i, EdfWriter.Options o, EdfFormat format) throws IOException {
        SignalInfo s = rec.signals().get(i);
        double lo = format.digitalFloor();
        double hi = format.digitalCeiling();
        double[] given = o.physicalRanges().get(s.label());
        if (given != null) {
            try {
                return new double[] {parsed(EdfFields.bound(given[0], false, 8)), parsed(EdfFields.bound(given[1], true, 8)), lo, hi};
            } catch (IllegalArgumentException bad) {
                // EdfFields names the value only; with many signals the user needs to know which range.
                throw new IllegalArgumentException("physical range of signal '" + s.label() + "' given in the options, "
                        + given[0] + " to " + given[1] + ": " + bad.getMessage(), bad);
            }
        }
        double[] extremes = extremes(rec, i);
        if (sourceRangeUsable(s, format, extremes)) {
            return new double[] {s.physicalMin(), s.physicalMax(), s.digitalMin(), s.digitalMax()};
        }
        double min = extremes[0];
        double max = extremes[1];
        if (!(min <= max)) {
            min = -1;
            max = 1;
        } else if (min == max) {
            double pad = Math.max(1, Math.abs(min) * 1e-3);
            min -= pad;
            max += pad;
        }
        try {
            return new double[] {parsed(EdfFields.bound(min, false, 8)), parsed(EdfFields.bound(max, true, 8)), lo, hi};
        } catch (IllegalArgumentException tooWide) {
            throw new IllegalArgumentException("signal '" + s.label() + "' (" + s.unit() + "): samples from " + min
                    + " to " + max + " do not fit EDF's 8-character physical range fields; rescale the signal"
                    + " (e.g. to other units) or give its range in the options", tooWide);
        }
    }

    private static boolean sourceRangeUsable(SignalInfo s, EdfFormat format, double[] extremes) {
        double pmin = s.physicalMin();
        double pmax = s.physicalMax();
        double dmin = s.digitalMin();
        double dmax = s.digitalMax();
        if (!(Double.isFinite(pmin) && Double.isFinite(pmax) && Double.isFinite(dmin) && Double.isFinite(dmax))
                || pmin == pmax || !(dmin < dmax) || dmin != Math.rint(dmin) || dmax != Math.rint(dmax)
                || dmin < format.digitalFloor() || dmax > format.digitalCeiling()) {
            return false;
        }
        try {
            if (parsed(EdfFields.number(pmin, 8)) != pmin || parsed(EdfFields.number(pmax, 8)) != pmax) {
                return false;
            }
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
        double halfStep = Math.abs(pmax - pmin) / (dmax - dmin) / 2;
        return !(extremes[0] <= extremes[1])
                || (extremes[0] >= Math.min(pmin, pmax) - halfStep && extremes[1] <= Math.max(pmin, pmax) + halfStep);
    }

    /** {min, max} of the finite samples of a signal ({NaN, NaN} if none), read in blocks. */
    private static double[] extremes(Recording rec, int i) throws IOException {
        long total = rec.signals().get(i).sampleCount();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long from = 0; from < total; from += SCAN_BLOCK) {
            for (double v : rec.read(i, from, (int) Math.min(SCAN_BLOCK, total - from))) {
                if (!Double.isFinite(v)) {
                    continue; // ±Infinity: the encoder clamps it to the digital range (NaN fails both tests anyway)
                }
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        return min <= max ? new double[] {min, max} : new double[] {Double.NaN, Double.NaN};
    }

    private static double parsed(String field) {
        return Double.parseDouble(field);
    }

    private static String patientField(EdfWriter.Options o) {
        String birth = o.birthdate() == null ? "X" : EdfStartTime.plusDate(o.birthdate());
        return fit(item(o.patientCode()) + " " + item(o.sex()) + " " + birth + " " + item(o.patientName()), 80);
    }

    private static String recordingField(EdfWriter.Options o, LocalDateTime start) {
        String date = start == null ? "X" : EdfStartTime.plusDate(start.toLocalDate());
        return fit("Startdate " + date + " " + item(o.adminCode()) + " " + item(o.technician()) + " "
                + item(o.equipment()), 80);
    }

    /** One EDF+ identification item: spaces become '_', unknown is 'X'. */
    private static String item(String v) {
        String s = v == null ? "" : ascii(v.trim(), 80).replace(' ', '_');
        return s.isEmpty() ? "X" : s;
    }

    private static String fit(String s, int width) {
        if (s.length() > width) {
            LOG.warn("EDF field truncated to {} characters: '{}'", width, s);
            return s.substring(0, width);
        }
        return s;
    }

    /** Printable ASCII of at most {@code width} characters ('µ' becomes 'u', other letters '_'). */
    static String ascii(String v, int width) {
        if (v == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\u00b5' || c == '\u03bc') {
                sb.append('u');
            } else if (c == '\u00b0') {
                sb.append("deg");
            } else {
                sb.append(c < 32 || c > 126 ? '_' : c);
            }
        }
        return fit(sb.toString().trim(), width);
    }
}

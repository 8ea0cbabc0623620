package ai.hypnos.core.edf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes an {@link EdfHeader} into its 256 × (signals + 1) bytes: the inverse of {@link EdfHeaderParser}. */
final class EdfHeaderWriter {
    private EdfHeaderWriter() {
    }

    static byte[] encode(EdfHeader h) {
        List<EdfSignalHeader> signals = h.signals();
        int ns = signals.size();
        byte[] b = new byte[(int) h.headerBytes()];
        EdfFormat format = h.format();
        if (format.isBdf()) {
            b[0] = (byte) 0xff;
            System.arraycopy("BIOSEMI".getBytes(StandardCharsets.US_ASCII), 0, b, 1, 7);
        } else {
            EdfFields.put(b, 0, 8, "0");
        }
        EdfFields.put(b, 8, 80, h.patientId());
        EdfFields.put(b, 88, 80, h.recordingId());
        EdfFields.put(b, 168, 8, EdfStartTime.headerDate(h.startTime().toLocalDate()));
        EdfFields.put(b, 176, 8, EdfStartTime.headerTime(h.startTime().toLocalTime()));
        EdfFields.put(b, 184, 8, Long.toString(h.headerBytes()));
        EdfFields.put(b, 192, 44, format.isPlus() ? format.label() : format.isBdf() ? "24BIT" : "");
        EdfFields.put(b, 236, 8, Long.toString(h.recordCountField()));
        EdfFields.put(b, 244, 8, EdfFields.number(h.recordDuration(), 8));
        EdfFields.put(b, 252, 4, Integer.toString(ns));

        int[] w = EdfHeaderParser.SIGNAL_FIELD_WIDTHS;
        int pos = EdfHeader.BLOCK;
        for (int field = 0; field < w.length; field++) {
            for (int i = 0; i < ns; i++) {
                EdfFields.put(b, pos + i * w[field], w[field], value(signals.get(i), field));
            }
            pos += w[field] * ns;
        }
        return b;
    }

    private static String value(EdfSignalHeader s, int field) {
        switch (field) {
            case 0: return s.label();
            case 1: return s.transducer();
            case 2: return s.unit();
            case 3: return EdfFields.number(s.physicalMin(), 8);
            case 4: return EdfFields.number(s.physicalMax(), 8);
            case 5: return Long.toString(s.digitalMin());
            case 6: return Long.toString(s.digitalMax());
            case 7: return s.prefiltering();
            case 8: return Integer.toString(s.samplesPerRecord());
            default: return s.reserved();
        }
    }
}

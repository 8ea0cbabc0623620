package ai.hypnos.core.edf;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Writes TALs: {@code +onset[0x15 duration]0x14 text 0x14 0x00}, onsets as exact decimals
 * (no exponent), texts UTF-8 with the TAL control bytes (0x00, 0x14, 0x15) replaced by spaces.
 */
final class TalEncoder {
    private TalEncoder() {
    }

    /** The time-keeping TAL that opens a data record: {@code +onset 0x14 0x14 0x00}. */
    static byte[] timekeeping(BigDecimal onset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeOnset(out, onset);
        out.write(0x14);
        out.write(0x14);
        out.write(0);
        return out.toByteArray();
    }

    /**
     * One annotation as a TAL.
     *
     * @param onset    seconds from the header's start time
     * @param duration seconds, or {@code NaN} for none
     */
    static byte[] annotation(BigDecimal onset, double duration, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeOnset(out, onset);
        if (!Double.isNaN(duration)) {
            out.write(0x15);
            out.writeBytes(plain(BigDecimal.valueOf(duration)).getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0x14);
        out.writeBytes(clean(text).getBytes(StandardCharsets.UTF_8));
        out.write(0x14);
        out.write(0);
        return out.toByteArray();
    }

    private static void writeOnset(ByteArrayOutputStream out, BigDecimal onset) {
        String s = plain(onset);
        if (!s.startsWith("-")) {
            s = "+" + s;
        }
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    static String plain(BigDecimal d) {
        String s = d.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    private static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c == 0 || c == 0x14 || c == 0x15 ? ' ' : c);
        }
        return sb.toString().trim();
    }
}

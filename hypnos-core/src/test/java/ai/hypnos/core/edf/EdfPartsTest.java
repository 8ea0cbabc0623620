package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small pieces: TAL parsing and encoding, start dates, field formatting, record durations. */
class EdfPartsTest {
    private static final TalParser.Origin ORIGIN = new TalParser.Origin(Path.of("x.edf"), 3, "EDF Annotations", 7);

    private static List<Tal> tals(String s) throws HypnosFormatException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return TalParser.parse(b, 0, b.length, ORIGIN);
    }

    @Test
    void talsWithDurationsSeveralTextsNegativeOnsetsAndPadding() throws Exception {
        List<Tal> t = tals("+0.25\u0014\u0014\u0000+1.5\u00150.5\u0014Arousal\u0014\u0000"
                + "-3\u0014Apnée\u0014Désat 3 %\u0014\u0000\u0000\u0000\u0000");
        assertEquals(List.of(new Tal(0.25, Double.NaN, List.of(), true), new Tal(1.5, 0.5, List.of("Arousal"), false),
                new Tal(-3, Double.NaN, List.of("Apnée", "Désat 3 %"), false)), t);
    }

    @Test
    void emptyDurationIsRejected() {
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> tals("+7\u0015\u0014x\u0014\u0000"));
        assertEquals("annotation signal 3 ('EDF Annotations') in data record 7", e.field());
        assertTrue(e.getMessage().contains("duration has no digits"), e.getMessage());
    }

    @Test
    void timekeepingTalFollowedByTextInTheSameTal() throws Exception {
        List<Tal> t = tals("+12\u0014\u0014Lights off\u0014\u0000");
        assertEquals(new Tal(12, Double.NaN, List.of("Lights off"), true), t.get(0));
    }

    @Test
    void hugeOnsetsAreRejected() {
        assertThrows(HypnosFormatException.class, () -> tals("+" + "9".repeat(400) + "\u0014\u0014\u0000"));
    }

    @Test
    void encoderWritesWhatTheParserReads() throws Exception {
        byte[] a = TalEncoder.annotation(new BigDecimal("12.375"), 2.5, "N2 \u0014 spindle\u0000");
        byte[] k = TalEncoder.timekeeping(new BigDecimal("-0.5"));
        byte[] both = new byte[a.length + k.length];
        System.arraycopy(k, 0, both, 0, k.length);
        System.arraycopy(a, 0, both, k.length, a.length);
        List<Tal> t = TalParser.parse(both, 0, both.length, ORIGIN);
        assertEquals(new Tal(-0.5, Double.NaN, List.of(), true), t.get(0));
        assertEquals(new Tal(12.375, 2.5, List.of("N2   spindle"), false), t.get(1));
        assertArrayEquals("+0.0000001\u0014\u0014\u0000".getBytes(StandardCharsets.US_ASCII),
                TalEncoder.timekeeping(BigDecimal.valueOf(1e-7)));
    }

    @Test
    void startDatesUseTheClippingYearAndTheEdfPlusField() throws Exception {
        List<String> w = new ArrayList<>();
        Path f = Path.of("x.edf");
        assertEquals(LocalDateTime.of(1985, 1, 2, 3, 4, 5), EdfStartTime.parse(f, "02.01.85", "03.04.05", "", false, w));
        assertEquals(LocalDateTime.of(2084, 1, 2, 3, 4, 5), EdfStartTime.parse(f, "02.01.84", "03.04.05", "", false, w));
        assertEquals(LocalDateTime.of(1999, 12, 31, 23, 59, 59), EdfStartTime.parse(f, "31.12.99", "23.59.59", "", false, w));
        assertEquals(List.of(), w);
        assertEquals(LocalDateTime.of(2090, 5, 6, 0, 0, 0),
                EdfStartTime.parse(f, "06.05.yy", "00.00.00", "Startdate 06-MAY-2090 X X X", true, w));
        assertEquals(LocalDateTime.of(1975, 5, 6, 0, 0, 0),
                EdfStartTime.parse(f, "06.05.yy", "00.00.00", "Startdate 06-may-1975 X X X", true, w));
        assertEquals(List.of(), w);
        assertEquals(LocalDateTime.of(2002, 2, 3, 10, 11, 12),
                EdfStartTime.parse(f, "02.02.02", "10:11:12", "Startdate 03-FEB-2002 X", true, w));
        assertEquals(2, w.size(), w.toString()); // ':' separators; header and recording field disagree
        assertEquals("14.07.yy", EdfStartTime.headerDate(LocalDate.of(2090, 7, 14)));
        assertEquals("01.01.85", EdfStartTime.headerDate(LocalDate.of(1985, 1, 1)));
        assertEquals("02-MAR-1950", EdfStartTime.plusDate(LocalDate.of(1950, 3, 2)));
    }

    @Test
    void boundsEncloseTheValueInEightCharacters() {
        assertEquals("-123.457", EdfFields.bound(-123.456789, false, 8));
        assertEquals("123.4568", EdfFields.bound(123.456789, true, 8));
        assertEquals("-1234568", EdfFields.bound(-1234567.2, false, 8));
        assertEquals("0.333334", EdfFields.bound(1.0 / 3, true, 8));
        assertEquals("0", EdfFields.bound(-0.0, true, 8));
        assertThrows(IllegalArgumentException.class, () -> EdfFields.bound(-123456789.0, false, 8));
        assertEquals("0.5", EdfFields.number(0.5, 8));
        assertEquals("1000", EdfFields.number(1000.0, 8));
        assertThrows(IllegalArgumentException.class, () -> EdfFields.number(1.0 / 3, 8));
        for (double v : new double[] {-3000.5, 1e-9, 7e7, -7e6, 12.3456789}) {
            assertTrue(Double.parseDouble(EdfFields.bound(v, true, 8)) >= v);
            assertTrue(Double.parseDouble(EdfFields.bound(v, false, 8)) <= v);
        }
    }

    @Test
    void recordDurations() {
        assertEquals(1.0, RecordDuration.choose(new double[] {256, 128, 32, 1}));
        assertEquals(2.0, RecordDuration.choose(new double[] {0.5, 100}));
        assertEquals(2.0, RecordDuration.choose(new double[] {2.5, 256}));
        assertEquals(3.0, RecordDuration.choose(new double[] {1000.0 / 3}));
        assertEquals(30.0, RecordDuration.choose(new double[] {1.0 / 30}));
        assertEquals(-1, RecordDuration.fits(new double[] {200, 2}, 0.5));
        assertEquals(1, RecordDuration.fits(new double[] {200, 1}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> RecordDuration.choose(new double[] {Math.PI}));
    }
}

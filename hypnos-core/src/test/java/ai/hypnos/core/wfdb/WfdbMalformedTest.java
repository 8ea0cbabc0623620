package ai.hypnos.core.wfdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken headers, signal files and annotation files give a HypnosFormatException naming file, field and value. */
class WfdbMalformedTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    private Path dat(String name, int bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[bytes]);
        return p;
    }

    private HypnosFormatException fails(Path hea) {
        return assertThrows(HypnosFormatException.class, () -> WfdbReader.open(hea).close());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "signal count not a number | r x 250 10                            | number of signals   | x",
        "negative signal count     | r -1 250 10                           | number of signals   | -1",
        "frequency not a number    | r 1 fast 10\\nr.dat 16                | sampling frequency  | fast",
        "zero frequency            | r 1 0 10\\nr.dat 16                   | sampling frequency  | 0",
        "sample count not a number | r 1 250 ten\\nr.dat 16                | number of samples   | ten",
        "fewer signal lines        | r 3 250 10\\nr.dat 16\\nr.dat 16      | number of signals   | 3",
        "more signal lines         | r 1 250 10\\nr.dat 16\\nr.dat 16      | number of signals   | 1",
        "unsupported format        | r 1 250 10\\nr.dat 516                | signal 0 format     | 516",
        "format not a number       | r 1 250 10\\nr.dat sixteen            | signal 0 format     | sixteen",
        "gain not a number         | r 1 250 10\\nr.dat 16 big/mV          | signal 0 gain       | big",
        "negative gain             | r 1 250 10\\nr.dat 16 -5/mV           | signal 0 gain       | -5/mV",
        "baseline not a number     | r 1 250 10\\nr.dat 16 200(zero)/mV    | signal 0 baseline   | zero",
        "ADC zero not a number     | r 1 250 10\\nr.dat 16 200 16 mid      | signal 0 ADC zero   | mid",
        "bad base time             | r 1 250 10 25:99:00\\nr.dat 16        | base time           | 25:99:00",
        "bad base date             | r 1 250 10 10:00:00 31/02/2020\\nr.dat 16 | base date     | 31/02/2020",
        "multi-segment record      | r/2 1 250 10\\nr.dat 16               | record name         | r/2",
        "no record line            | # only a comment                      | record line         | ''",
    })
    void badHeaders(String what, String header, String field, String value) throws IOException {
        Path hea = write("r.hea", header.replace("\\n", "\n") + "\n");
        dat("r.dat", 1000);
        HypnosFormatException e = fails(hea);
        assertEquals(hea, e.file(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
        assertTrue(e.getMessage().contains(hea.toString()));
    }

    @Test
    void missingSignalFile() throws IOException {
        Path hea = write("r.hea", "r 2 250 10\nr.dat 16\nr.xyz 16\n");
        dat("r.dat", 20);
        HypnosFormatException e = fails(hea);
        assertEquals("signal file", e.field());
        assertEquals("r.xyz", e.value());
        assertTrue(e.getMessage().contains("not found"));
    }

    @Test
    void truncatedSignalFile() throws IOException {
        Path hea = write("r.hea", "r 2 250 10\nr.dat 212\nr.dat 212\n");
        Path dat = dat("r.dat", 29); // 10 frames of 2 samples in format 212 need 30 bytes
        HypnosFormatException e = fails(hea);
        assertEquals(dat, e.file());
        assertEquals("number of samples", e.field());
        assertEquals("10", e.value());
    }

    @Test
    void signalsOfOneFileWithDifferentFormats() throws IOException {
        Path hea = write("r.hea", "r 2 250 10\nr.dat 16\nr.dat 212\n");
        dat("r.dat", 100);
        assertEquals("signal 1 format", fails(hea).field());
    }

    @Test
    void offsetBeyondTheFile() throws IOException {
        Path hea = write("r.hea", "r 1 250\nr.dat 16+4096\n");
        dat("r.dat", 100);
        assertEquals("byte offset", fails(hea).field());
    }

    @Test
    void hugeSampleCountIsATruncationErrorNotAnAllocation() throws IOException {
        Path hea = write("r.hea", "r 1 250 9000000000000000000\nr.dat 16\n");
        dat("r.dat", 100);
        assertEquals("number of samples", fails(hea).field());
    }

    @Test
    void missingHeader() {
        Path hea = dir.resolve("none.hea");
        assertEquals("header", fails(hea).field());
    }

    @Test
    void annotationFileEndingInsideAuxText() throws IOException {
        // one N annotation at sample 5, then AUX announcing 10 bytes with only 2 present
        byte[] b = {5, 1 << 2, 10, (byte) (63 << 2), 'a', 'b'};
        Path atr = dir.resolve("r.atr");
        Files.write(atr, b);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> MitAnnotationReader.read(atr, 250));
        assertEquals(atr, e.file());
        assertTrue(e.field().startsWith("AUX length"));
        assertEquals("10", e.value());
    }

    @Test
    void annotationFileEndingInsideSkip() throws IOException {
        byte[] b = {0, (byte) (59 << 2), 1, 0};
        Path atr = dir.resolve("r.atr");
        Files.write(atr, b);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> MitAnnotationReader.read(atr, 250));
        assertTrue(e.field().startsWith("SKIP"));
    }

    @Test
    void annotationFileWithoutHeaderOrFrequency() throws IOException {
        Path atr = dir.resolve("alone.atr");
        Files.write(atr, new byte[] {5, 1 << 2, 0, 0});
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> MitAnnotationReader.read(atr));
        assertEquals("sampling frequency", e.field());
        assertEquals(1, MitAnnotationReader.read(atr, 100).size());
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() throws IOException {
        // a bounded mutation loop: corrupted headers and annotation files fail cleanly or parse
        Random rnd = new Random(42);
        String good = "mixed 2 128/1000(5) 21 22:59:58.250 31/12/1999\nm.dat 16x2+4 400(-20)/mV 16 0 0 0 0 EEG\nm.dat 16 50/uV 16 7 0 0 0 ECG\n";
        dat("m.dat", 4 + 21 * 3 * 2);
        for (int trial = 0; trial < 300; trial++) {
            char[] c = good.toCharArray();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                c[rnd.nextInt(c.length)] = "0123456789 -+x:/().\n#a~".charAt(rnd.nextInt(23));
            }
            Path hea = write("m.hea", new String(c));
            try (WfdbRecording rec = WfdbReader.open(hea)) {
                for (int s = 0; s < rec.signals().size(); s++) {
                    rec.read(s, 0, 50);
                }
            } catch (HypnosFormatException expected) {
                assertTrue(expected.field() != null);
            }
            byte[] atr = new byte[2 * (1 + rnd.nextInt(40))];
            rnd.nextBytes(atr);
            Path a = dir.resolve("m.atr");
            Files.write(a, atr);
            try {
                List<MitAnnotation> anns = MitAnnotationReader.read(a, 360);
                assertTrue(anns.size() <= atr.length / 2);
            } catch (HypnosFormatException expected) {
                assertTrue(expected.field() != null);
            }
        }
    }
}

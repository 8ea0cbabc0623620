package ai.hypnos.core.recording;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Recordings#open} picks the reader by extension or magic bytes. */
class RecordingsTest {
    @TempDir
    Path dir;

    @Test
    void edfByExtension() throws IOException {
        try (Recording r = Recordings.open(TestData.path("edf/test_generator_2.edf"))) {
            assertTrue(r.format().startsWith("EDF"), r.format());
            assertEquals(11, r.signals().size());
        }
    }

    @Test
    void wfdbByHeaderCompanionOrRecordName() throws IOException {
        Path hea = TestData.record("wfdb/100.hea", "wfdb/100.dat", "wfdb/100.atr");
        for (Path p : new Path[] {hea, hea.resolveSibling("100.dat"), hea.resolveSibling("100.atr"), hea.resolveSibling("100")}) {
            assertEquals(Recordings.Type.WFDB, Recordings.typeOf(p), p.toString());
            try (Recording r = Recordings.open(p)) {
                assertEquals("WFDB", r.format());
                assertEquals(2, r.signals().size());
                assertEquals(650000, r.signals().get(0).sampleCount());
            }
        }
    }

    @Test
    void edfAndBdfByMagicWhateverTheName() throws IOException {
        Path copy = dir.resolve("night.data");
        Files.copy(TestData.path("edf/test_generator_2.edf"), copy);
        assertEquals(Recordings.Type.EDF, Recordings.typeOf(copy));
        try (Recording edf = Recordings.open(copy); Recording orig = Recordings.open(TestData.path("edf/test_generator_2.edf"))) {
            assertArrayEquals(orig.read(0, 0, 100), edf.read(0, 0, 100));
        }
        Path bdf = dir.resolve("x.raw");
        byte[] head = new byte[256];
        head[0] = (byte) 0xff;
        System.arraycopy("BIOSEMI".getBytes(StandardCharsets.US_ASCII), 0, head, 1, 7);
        Files.write(bdf, head);
        assertEquals(Recordings.Type.EDF, Recordings.typeOf(bdf), "BDF goes to the EDF reader");
    }

    @Test
    void unknownTypesAreNamed() throws IOException {
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "hello world, not a recording");
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> Recordings.open(txt));
        assertEquals("type", e.field());
        assertEquals(".txt", e.value());
        assertTrue(e.getMessage().contains("supported: EDF/EDF+ (.edf), BDF/BDF+ (.bdf), WFDB records (.hea)"), e.getMessage());
        Path xml = dir.resolve("night-nsrr.xml");
        Files.writeString(xml, "<PSGAnnotation/>");
        HypnosFormatException x = assertThrows(HypnosFormatException.class, () -> Recordings.open(xml));
        assertTrue(x.getMessage().contains("NsrrXml"), x.getMessage());
        Path bare = dir.resolve("mystery");
        Files.writeString(bare, "PK\u0003\u0004zip");
        HypnosFormatException b = assertThrows(HypnosFormatException.class, () -> Recordings.open(bare));
        assertEquals("PK\\x03\\x04zip", b.value());
        assertThrows(NoSuchFileException.class, () -> Recordings.open(dir.resolve("missing.edf")));
        assertThrows(HypnosFormatException.class, () -> Recordings.open(dir));
    }
}

package ai.hypnos.cli.bench;

import ai.hypnos.cli.HypnosCommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hypnos bench io} end to end on a short synthetic night (the real run is 8 hours). */
class BenchIoCommandTest {

    @Test
    void writesReadsAndMeasuresHeapInAFreshJvm(@TempDir Path dir) throws Exception {
        Path edf = dir.resolve("night.edf");
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = HypnosCommand.execute("bench", "io", "--hours", "0.05", "--repeat", "2", "--file", edf.toString());
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(Files.size(edf) > 180 * 2178 * 2, "16 channels x 3 minutes written");
        assertTrue(text.contains("hypnos (Java EdfReader)"), text);
        assertTrue(text.contains("one channel = EEG C3-M2, 256 Hz"), text);
        assertTrue(text.contains("one-channel heap (fresh JVM"), text);
        assertFalse(text.contains("FAILED"), text);
    }
}

package ai.hypnos.cli.bench;

import ai.hypnos.cli.HypnosCommand;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code hypnos bench preprocess} end to end on a short night (the real run is 8 hours). */
class BenchPreprocessCommandTest {
    private static final Path PEER = Path.of("..", "bench", "preprocess", "peer_scipy.py");

    @Test
    void timesTheNightOnOneAndTwoThreads() {
        String text = run("bench", "preprocess", "--hours", "0.03", "--repeat", "1", "--threads", "2");
        assertTrue(text.contains("hypnos (Java), 1 thread"), text);
        assertTrue(text.contains("hypnos (Java), 2 threads"), text);
        assertTrue(text.contains("195,696 input samples"), text); // 108 s x (5 x 256 + 512 + 2 x 10)
    }

    @Test
    void agreesWithTheScipyPeerOnTheSameNight() throws Exception {
        assumeTrue(Files.exists(PEER) && pythonHasScipy(), "python3 with numpy and scipy not available");
        String text = run("bench", "preprocess", "--hours", "0.03", "--repeat", "1", "--threads", "1", "--peers",
                "--peer-script", PEER.toString());
        assertTrue(text.contains("lengths and sums agree"), text);
    }

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = HypnosCommand.execute(args);
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    private static boolean pythonHasScipy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, scipy.signal").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}

package ai.hypnos.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the committed Python checkers ({@code src/test/python/…}) from tests, when {@code python3}
 * with numpy is installed. Tests call {@link #hasNumpy()} in an assumption and skip otherwise.
 */
public final class PythonScripts {
    private static Boolean numpy;

    private PythonScripts() {
    }

    /** True if {@code python3 -c "import numpy"} succeeds (checked once per JVM). */
    public static synchronized boolean hasNumpy() {
        if (numpy == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                numpy = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                numpy = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                numpy = false;
            }
        }
        return numpy;
    }

    /**
     * Runs {@code python3 <args>} and returns its standard output.
     *
     * @throws AssertionError if it fails or runs longer than two minutes (its stderr is in the message)
     */
    public static String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("python3");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 " + args + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("python3 " + args + " failed (exit " + p.exitValue() + "): " + err.join());
        }
        return out;
    }
}

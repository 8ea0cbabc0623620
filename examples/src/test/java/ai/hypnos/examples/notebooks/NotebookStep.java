package ai.hypnos.examples.notebooks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The build's notebook step (examples module, {@code integration-test} phase, run by
 * exec-maven-plugin): executes every notebook of {@code examples/notebooks/} headless with the
 * rapaio kernel through Debian's nbclient ({@code src/test/python/run_notebooks.py}).
 *
 * <p>Where {@code /usr/bin/python3} cannot import nbclient (a developer machine), it prints why
 * it skipped and how to enable it, and the build goes on; with {@code HYPNOS_REQUIRE_NOTEBOOKS=1}
 * (set by {@code .ci/run}) the same situation fails the build. A failing cell always fails it.
 *
 * <p>Arguments: python executable, runner script, notebooks folder, work folder (which holds the
 * Maven-resolved {@code classpath.txt} and {@code kernels/rapaio-jupyter-kernel/rapaio-jupyter-kernel.jar}).
 */
public final class NotebookStep {
    /** Environment variable that turns a skip into a failure. */
    public static final String REQUIRE = "HYPNOS_REQUIRE_NOTEBOOKS";

    private NotebookStep() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: NotebookStep PYTHON RUNNER NOTEBOOK_DIR WORK_DIR");
        }
        String python = args[0];
        Path runner = Path.of(args[1]);
        Path notebooks = Path.of(args[2]);
        Path work = Path.of(args[3]);
        boolean required = isSet(System.getenv(REQUIRE));

        String missing = whyUnavailable(python);
        if (missing != null) {
            String how = "install it with: sudo apt-get install -y --no-install-recommends python3-nbclient";
            if (required) {
                throw new IllegalStateException("[notebooks] " + REQUIRE + " is set but the notebooks cannot run: "
                        + missing + "; " + how);
            }
            System.out.println("[notebooks] SKIPPED: " + missing + ".");
            System.out.println("[notebooks] To execute the notebooks in this build, " + how
                    + " (CI does: .ci/run sets " + REQUIRE + "=1).");
            return;
        }

        Path classpathFile = work.resolve("classpath.txt");
        Path kernelJar = work.resolve("kernels/rapaio-jupyter-kernel/rapaio-jupyter-kernel.jar");
        // rapaio separates RJK_CLASSPATH entries with ';' on every platform.
        String classpath = Arrays.stream(Files.readString(classpathFile, StandardCharsets.UTF_8).trim()
                .split(File.pathSeparator)).filter(s -> !s.isBlank()).collect(Collectors.joining(";"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        List<String> command = new ArrayList<>(List.of(python, runner.toString(),
                "--notebooks", notebooks.toString(), "--out", work.toString(),
                "--kernel-jar", kernelJar.toString(), "--java", java));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("RJK_CLASSPATH", classpath);
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        System.out.printf("[notebooks] notebook step took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (rc != 0) {
            throw new IllegalStateException("[notebooks] notebook execution failed (exit " + rc + "); executed copies "
                    + "are in " + work);
        }
    }

    /** Why the notebooks cannot run with this python, or {@code null} if they can. */
    static String whyUnavailable(String python) throws InterruptedException {
        if (!Files.isExecutable(Path.of(python))) {
            return python + " does not exist";
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import nbclient, nbformat, jupyter_client")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return python + " did not answer within 60 s";
            }
            if (p.exitValue() != 0) {
                String last = out.isEmpty() ? "exit " + p.exitValue() : out.substring(out.lastIndexOf('\n') + 1);
                return python + " cannot import nbclient (" + last + ")";
            }
            return null;
        } catch (IOException e) {
            return python + " cannot be run (" + e.getMessage() + ")";
        }
    }

    private static boolean isSet(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}

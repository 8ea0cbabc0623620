package ai.hypnos.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * Real test files from {@code src/test/resources/data} (see its ATTRIBUTION.md) as paths on disk.
 *
 * <p>Readers need files, not class-path streams, and some fixtures are stored gzip-compressed:
 * {@code TestData.path("wfdb/100.dat")} finds {@code data/wfdb/100.dat} or {@code data/wfdb/100.dat.gz},
 * writes it under its plain name into one temporary folder per JVM and returns that path. Files
 * of one record (header and signal files) land side by side, as the readers expect. Works from
 * this module and from other modules through the {@code hypnos-core} test jar.
 */
public final class TestData {
    private static Path root;

    private TestData() {
    }

    /** The file {@code data/<relative>} as a path, decompressed if it is stored as {@code .gz}. */
    public static synchronized Path path(String relative) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("hypnos-testdata");
                root.toFile().deleteOnExit();
            }
            Path target = root.resolve(relative);
            if (Files.exists(target)) {
                return target;
            }
            Files.createDirectories(target.getParent());
            try (InputStream plain = TestData.class.getResourceAsStream("/data/" + relative)) {
                if (plain != null) {
                    Files.copy(plain, target, StandardCopyOption.REPLACE_EXISTING);
                    return target;
                }
            }
            try (InputStream gz = TestData.class.getResourceAsStream("/data/" + relative + ".gz")) {
                if (gz == null) {
                    throw new IllegalArgumentException("no test file data/" + relative + "(.gz) on the class path");
                }
                try (InputStream in = new GZIPInputStream(gz)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes every file of a record available side by side and returns the path of the first. */
    public static Path record(String first, String... companions) {
        for (String c : companions) {
            path(c);
        }
        return path(first);
    }
}

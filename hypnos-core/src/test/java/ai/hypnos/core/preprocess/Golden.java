package ai.hypnos.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scipy golden vectors written by {@code src/test/python/preprocess_golden.py}, and the
 * comparisons the tests use.
 */
final class Golden {
    private static JsonNode root;

    private Golden() {
    }

    static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream raw = Golden.class.getResourceAsStream("/preprocess/preprocess_golden.json.gz")) {
                if (raw == null) {
                    throw new IllegalStateException("preprocess_golden.json.gz missing; run src/test/python/preprocess_golden.py");
                }
                root = new ObjectMapper().readTree(new GZIPInputStream(raw));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static JsonNode get(String section) {
        return root().get(section);
    }

    /** A JSON array of numbers (null = NaN). */
    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            out[i] = v.isNull() ? Double.NaN : v.asDouble();
        }
        return out;
    }

    static double[][] matrix(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(rows.get(i));
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /**
     * Asserts {@code |actual − expected| ≤ rtol·max|expected|} elementwise (relative to the
     * vector's scale, so values near zero crossings do not need absurd relative accuracy), with
     * NaN required where expected is NaN. Returns the largest scaled error seen.
     */
    static double assertClose(double[] expected, double[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            if (!Double.isNaN(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        scale = Math.max(scale, Double.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(actual[i]), what + ": expected NaN at " + i + ", got " + actual[i]);
                continue;
            }
            double err = Math.abs(actual[i] - expected[i]) / scale;
            worst = Math.max(worst, err);
            if (!(err <= rtol)) {
                fail(what + ": at " + i + " expected " + expected[i] + " got " + actual[i] + " (scaled error " + err + " > " + rtol + ")");
            }
        }
        return worst;
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}

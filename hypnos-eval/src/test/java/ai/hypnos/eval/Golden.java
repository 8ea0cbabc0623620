package ai.hypnos.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The golden outputs of scikit-learn / scipy written by {@code src/test/python/sklearn_golden.py}
 * ({@code golden/eval_golden.json}), with small converters for the Java tests.
 */
public final class Golden {
    private static JsonNode root;

    private Golden() {
    }

    /** The parsed golden file (read once). */
    public static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = Golden.class.getResourceAsStream("/golden/eval_golden.json")) {
                if (in == null) {
                    throw new IllegalStateException("golden/eval_golden.json missing from test resources");
                }
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asInt();
        }
        return a;
    }

    public static double[] doubles(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        double[] a = new double[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asDouble();
        }
        return a;
    }

    public static double[][] matrix(JsonNode n) {
        double[][] a = new double[n.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = doubles(n.get(i));
        }
        return a;
    }
}

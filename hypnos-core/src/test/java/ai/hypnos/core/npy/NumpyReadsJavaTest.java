package ai.hypnos.core.npy;

import ai.hypnos.core.testing.PythonScripts;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * numpy reads what Java writes: arrays of every dtype go through {@link Npy#write} and
 * {@link NpzWriter}, then {@code npy_golden.py --describe} loads them with numpy and reports
 * dtype, shape and exact values. Skipped when {@code python3} with numpy is not installed.
 */
class NumpyReadsJavaTest {
    static final Path SCRIPT = Path.of("src/test/python/npy_golden.py");

    @BeforeAll
    static void needsNumpy() {
        assumeTrue(PythonScripts.hasNumpy(), "python3 with numpy not available");
    }

    static Map<String, NpyArray> arrays() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("f32", NpyArray.of(new float[] {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE}, 2, 3));
        m.put("f64", NpyArray.of(new double[] {Math.PI, -1e300, Double.MIN_VALUE, Double.NEGATIVE_INFINITY}, 2, 1, 2));
        m.put("f16", NpyArray.ofFloat16(new float[] {1f / 3, 65519f, 70000f, 1e-8f, -2.5f}));
        m.put("i64", NpyArray.of(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
        m.put("i32", NpyArray.of(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3, 1));
        m.put("i16", NpyArray.of(new short[] {Short.MIN_VALUE, -1, 2, Short.MAX_VALUE}, 2, 2));
        m.put("i8", NpyArray.of(new byte[] {-128, 0, 127}));
        m.put("u8", NpyArray.ofBytes(NpyDtype.UINT8, 1, new long[] {3},
                java.nio.ByteBuffer.wrap(new byte[] {0, (byte) 200, (byte) 255})));
        m.put("bool", NpyArray.of(new boolean[] {true, false, false, true}, 4, 1));
        m.put("str", NpyArray.ofStrings(new String[] {"eeg_c3", "", "ζ😴"}));
        m.put("scalar", NpyArray.scalar(0.1));
        m.put("iscalar", NpyArray.scalar(42L));
        m.put("empty", NpyArray.of(new float[0], 0, 5));
        m.put("big_endian", Npy.read(NpyGoldenTest.resource("be_float64.npy")));
        m.put("from_fortran", Npy.read(NpyGoldenTest.resource("fortran_float64.npy")));
        return m;
    }

    @Test
    void numpyLoadsEveryNpyAndNpzJavaWrites() throws Exception {
        Path dir = Files.createTempDirectory("java-npy");
        Map<String, NpyArray> arrays = arrays();
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".npy");
            Npy.write(f, e.getValue());
            files.add(f.toString());
        }
        for (boolean compressed : new boolean[] {false, true}) {
            Path f = dir.resolve(compressed ? "compressed.npz" : "stored.npz");
            try (NpzWriter z = NpzWriter.begin(f, compressed)) {
                for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                    z.put(e.getKey(), e.getValue());
                }
                z.commit();
            }
            files.add(f.toString());
        }

        List<String> args = new ArrayList<>(List.of(SCRIPT.toString(), "--describe"));
        args.addAll(files);
        JsonNode seen = NpyGoldenTest.JSON.readTree(PythonScripts.run(args));

        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            JsonNode d = seen.get(dir.resolve(e.getKey() + ".npy").toString());
            NpyGoldenTest.assertMatches(d, e.getValue(), e.getKey() + ".npy");
            for (String npz : List.of("stored.npz", "compressed.npz")) {
                JsonNode z = seen.get(dir.resolve(npz).toString());
                NpyGoldenTest.assertMatches(z.get(e.getKey()), e.getValue(), npz + ":" + e.getKey());
            }
        }
        // And our reader reads our archives back identically.
        for (String npz : List.of("stored.npz", "compressed.npz")) {
            assertEquals(arrays, NpzReader.readAll(dir.resolve(npz)));
        }
    }
}

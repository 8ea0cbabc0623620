package ai.hypnos.core.safetensors;

import ai.hypnos.core.testing.PythonScripts;
import ai.hypnos.core.testing.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An independent numpy reader ({@code src/test/python/check_safetensors.py}) parses files the
 * Java writer produced, checks the layout rules and decodes every element; skipped without
 * python3 + numpy.
 */
class NumpyReadsJavaSafetensorsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNumpy() {
        assumeTrue(PythonScripts.hasNumpy(), "python3 with numpy not available");
    }

    static JsonNode check(Path file) throws IOException, InterruptedException {
        String out = PythonScripts.run(List.of("src/test/python/check_safetensors.py", file.toString(), "--values"));
        return SafetensorsGoldenTest.JSON.readTree(out);
    }

    @Test
    void numpyReadsEveryTensorJavaWrote() throws Exception {
        Path f = dir.resolve("mixed.safetensors");
        SafetensorsGoldenTest.rebuildMixed().write(f);
        compare(f, check(f));
    }

    @Test
    void numpyReadsGoldenTensorsRewrittenInHalfPrecision() throws Exception {
        Path f = dir.resolve("bundle.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile st = SafetensorsFile.open(TestData.path("golden/bundle.safetensors"))) {
            w.metadata(st.metadata());
            // The small tensors cover I64, F32 and BOOL; the large ones would only make the
            // element-by-element comparison slow.
            for (TensorInfo t : st.tensors()) {
                if (t.elementCount() > 512) {
                    continue;
                }
                // Store the float weights as BF16 and F16 alternately: the published bundles carry both.
                SafetensorsDtype d = t.dtype() != SafetensorsDtype.F32 ? t.dtype()
                        : (t.name().hashCode() & 1) == 0 ? SafetensorsDtype.BF16 : SafetensorsDtype.F16;
                w.addRaw(t.name(), t.dtype(), t.shape(), st.raw(t.name()));
                if (d != t.dtype()) {
                    w.add("half/" + t.name(), d, t.shape(), st.floats(t.name()));
                }
            }
        }
        w.write(f);
        compare(f, check(f));
    }

    /** Every tensor numpy saw equals what our reader decodes, element by element. */
    static void compare(Path f, JsonNode seen) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            List<String> order = new ArrayList<>();
            seen.get("order").forEach(n -> order.add(n.asText()));
            assertEquals(st.tensorNames(), order);
            seen.get("metadata").fields().forEachRemaining(m -> assertEquals(st.metadata().get(m.getKey()), m.getValue().asText()));
            assertEquals(st.metadata().size(), seen.get("metadata").size());
            for (String name : order) {
                JsonNode t = seen.get("tensors").get(name);
                TensorInfo info = st.info(name);
                assertEquals(info.dtype().name(), t.get("dtype").asText(), name);
                assertArrayEquals(info.shape(), SafetensorsGoldenTest.longs(t.get("shape")), name);
                JsonNode v = t.get("values");
                if (info.dtype().isFloatingPoint()) {
                    double[] d = st.doubles(name);
                    for (int i = 0; i < d.length; i++) {
                        assertEquals(Double.parseDouble(v.get(i).asText().replace("inf", "Infinity")), d[i], 0.0, name + "[" + i + "]");
                    }
                } else if (info.dtype() == SafetensorsDtype.BOOL) {
                    boolean[] b = st.bools(name);
                    for (int i = 0; i < b.length; i++) {
                        assertEquals(v.get(i).asBoolean(), b[i], name);
                    }
                } else {
                    assertArrayEquals(SafetensorsGoldenTest.longs(v), st.longs(name), name);
                }
            }
        }
    }
}

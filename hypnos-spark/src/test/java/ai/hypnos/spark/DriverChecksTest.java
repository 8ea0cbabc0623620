package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.train.cohort.SubjectSplitter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job options are checked on the driver, when the job is built: before this, a bad --dtype,
 * --precision or --device failed only on the executors, once per recording.
 */
class DriverChecksTest {
    @TempDir
    Path tmp;

    private static EmbedJob embed(String device, String precision, String dtype) {
        return new EmbedJob("m.csv", "model.safetensors", "out", device, precision, dtype, 2048, Map.of());
    }

    private static void assertRejected(String option, String value, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(option) && e.getMessage().contains("'" + value + "'"), e.getMessage());
    }

    @Test
    void embedJobRejectsBadOptionsNamingOptionAndValue() {
        assertRejected("--dtype", "float8", () -> embed("cpu", "fp32", "float8"));
        assertRejected("--precision", "fp64", () -> embed("cpu", "fp64", "float16"));
        assertRejected("--precision", "bf16", () -> embed("cpu", "bf16", "float16"));
        assertRejected("--device", "tpu", () -> embed("tpu", "fp32", "float16"));
        assertRejected("--device", "gpu:x", () -> embed("gpu:x", "fp32", "float16"));
        IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class,
                () -> new EmbedJob("m", "b", "o", "cpu", "fp32", "float16", 0, Map.of()));
        assertTrue(chunk.getMessage().contains("--chunk-tokens") && chunk.getMessage().contains("0"),
                chunk.getMessage());
    }

    @Test
    void tokenizeJobRejectsABadDevice() {
        assertRejected("--device", "gpu0", () -> new TokenizeJob("m.csv", "tok", "out", "gpu0", Map.of(),
                SubjectSplitter.defaults()));
    }

    @Test
    void goodSpellingsPassWithoutAGpuOnTheDriver() {
        // Only the spelling is checked on the driver: the executors, not the driver, hold the GPUs.
        assertDoesNotThrow(() -> embed("gpu:3", "FP16", "float32"));
        assertDoesNotThrow(() -> embed("cuda", "tf32", "f16"));
        assertDoesNotThrow(() -> new TokenizeJob("m.csv", "tok", "out", "GPU:1", Map.of(), SubjectSplitter.defaults()));
        assertDoesNotThrow(() -> EmbedJob.of("m", "b", "o"));
        assertDoesNotThrow(() -> TokenizeJob.of("m", "t", "o"));
    }

    @Test
    void theCliExitsWith2BeforeStartingSpark() {
        // Inputs need not exist: the options are rejected before Spark or any file is touched.
        Path missing = tmp.resolve("missing.csv");
        Cli run = Cli.run("spark", "embed", "--master", "local[1]", "--manifest", missing.toString(), "--model",
                tmp.resolve("none.safetensors").toString(), "--out", tmp.resolve("out").toString(), "--dtype", "int8");
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("--dtype 'int8'"), run.err());
        Cli tok = Cli.run("spark", "tokenize", "--master", "local[1]", "--manifest", missing.toString(),
                "--tokenizers", tmp.resolve("tok").toString(), "--out", tmp.resolve("out2").toString(), "--device",
                "tpu");
        assertEquals(2, tok.code(), tok.out() + tok.err());
        assertTrue(tok.err().contains("--device: unknown device 'tpu'"), tok.err());
    }
}

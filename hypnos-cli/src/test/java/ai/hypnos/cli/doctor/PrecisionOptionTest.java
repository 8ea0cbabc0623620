package ai.hypnos.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision bf16} on the commands that run the transformer: the documented message
 * (docs/gpu.md) and exit code 2, never a JVM abort (DJL 0.36 terminates the process on a
 * BFLOAT16 array, so reaching this assertion at all shows no bf16 array was made).
 */
class PrecisionOptionTest {
    private static final String MESSAGE = "precision bf16 is not supported: DJL 0.36's native layer aborts the JVM";

    @TempDir
    Path dir;

    private static void assertRefused(CliRun r) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(MESSAGE), r.err());
        assertTrue(r.err().contains("use fp32, tf32 or fp16"), r.err());
    }

    @Test
    void pretrain() {
        assertRefused(CliRun.of("pretrain", "--set", "run_dir=" + dir.resolve("run"), "--set", "shards=" + dir,
                "--precision", "bf16"));
        assertRefused(CliRun.of("pretrain", "--set", "run_dir=" + dir.resolve("run"), "--set", "shards=" + dir,
                "--set", "precision=bf16"));
    }

    @Test
    void embed() throws Exception {
        assertRefused(CliRun.of("embed", TestData.path("golden/rec.edf").toString(), "--model",
                TestData.path("golden/bundle.safetensors").toString(), "--out", dir.resolve("e.npz").toString(),
                "--precision", "bf16"));
    }

    @Test
    void benchTransformerAndBenchTrain() {
        assertRefused(CliRun.of("bench", "transformer", "--preset", "tiny", "--precision", "bf16", "--no-peer"));
        assertRefused(CliRun.of("bench", "train", "--preset", "tiny", "--precision", "bf16", "--work",
                dir.resolve("bench").toString()));
    }
}

package ai.hypnos.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.hypnos.cli.info.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code hypnos doctor} against what the engine and the classpath say directly: the libtorch
 * flavour in the native jar's {@code pytorch.properties}, DJL's GPU count and version.
 */
class DoctorCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The flavour written in the native jar on the test classpath ({@code cpu} in the default build). */
    private static String jarFlavour() throws Exception {
        URL u = Thread.currentThread().getContextClassLoader().getResource("native/lib/pytorch.properties");
        assertNotNull(u, "pytorch-native-cpu is on the test classpath of the default build");
        try (InputStream in = u.openStream()) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("flavor");
        }
    }

    @Test
    void reportsTheEngineFlavourDevicesAndPrecisionModes() throws Exception {
        CliRun r = CliRun.of("doctor", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("PyTorch", j.get("engine").asText());
        assertEquals(Engine.getInstance().getVersion(), j.get("libtorch_version").asText());
        assertEquals(Engine.getDjlVersion(), j.get("djl_version").asText());
        assertEquals(jarFlavour(), j.get("flavour").asText());
        assertEquals(Engine.getInstance().getGpuCount(), j.get("gpu_count").asInt());
        assertEquals(j.get("gpu_count").asInt(), j.get("gpus").size());
        assertTrue(j.get("native_jar").asText().contains("pytorch-native-"), j.toString());
        assertTrue(j.get("intra_op_threads").asInt() >= 1);
        assertEquals(4, j.get("precision").size());
        for (JsonNode m : j.get("precision")) {
            assertEquals(!m.get("name").asText().equals("bf16"), m.get("usable").asBoolean(), m.toString());
        }
        assertFalse(j.has("problems"), "no device was requested");

        CliRun text = CliRun.of("doctor");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("flavour " + jarFlavour()), text.out());
        assertTrue(text.out().contains(j.get("gpu_count").asInt() + " visible"), text.out());
        assertTrue(text.out().contains("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"), "the tf32 switch is explained");
    }

    @Test
    void aGpuThatIsNotThereIsDiagnosedWithANonZeroExit() throws Exception {
        int gpus = Engine.getInstance().getGpuCount();
        String ask = gpus == 0 ? "gpu" : "gpu:" + gpus; // always one past the visible cards
        CliRun r = CliRun.of("doctor", "--device", ask);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("gpu:" + gpus + " is not available"), r.out());
        if (gpus == 0 && jarFlavour().equals("cpu")) {
            assertTrue(r.out().contains("CPU build"), r.out());
            assertTrue(r.out().contains("-Pgpu"), "names the gpu profile: " + r.out());
            assertTrue(r.out().contains("PYTORCH_LIBRARY_PATH") || r.out().contains("PYTORCH_FLAVOR"), r.out());
        }
        JsonNode j = JSON.readTree(CliRun.of("doctor", "--device", ask, "--json").out());
        assertFalse(j.get("ok").asBoolean());
        assertTrue(j.get("problems").size() >= 1, j.toString());

        assertEquals(2, CliRun.of("doctor", "--device", "tpu").code(), "a malformed device is a usage error");
    }
}

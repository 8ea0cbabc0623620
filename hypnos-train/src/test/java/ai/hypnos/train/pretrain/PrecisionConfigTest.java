package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.embed.Precision;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code precision} and {@code loss_scale} in the run configuration. */
class PrecisionConfigTest {
    private static PretrainConfig load(String... sets) throws IOException {
        List<String> all = new ArrayList<>(List.of("run_dir=/tmp/r", "shards=/tmp/s"));
        all.addAll(List.of(sets));
        return ConfigLoader.load(null, all);
    }

    @Test
    void defaultsAreFp32WithPyTorchsLossScaleSettings() throws IOException {
        PretrainConfig c = load();
        assertEquals(Precision.FP32, c.precisionMode());
        assertFalse(c.newLossScaler().enabled(), "no scaling outside fp16");
        PretrainConfig h = load("precision=fp16");
        LossScaler s = h.newLossScaler();
        assertTrue(s.enabled());
        assertEquals(65536.0, s.scale());
        assertEquals(2000, s.growthInterval());
        assertEquals(Precision.TF32, load("precision=tf32").precisionMode());
    }

    @Test
    void bf16AndBadScalesAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("precision=bf16"));
        assertTrue(e.getMessage().startsWith("config precision = bf16: precision bf16 is not supported"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("precision=fp64"));
        assertTrue(e.getMessage().contains("unknown precision 'fp64'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("loss_scale.initial=1000"));
        assertTrue(e.getMessage().contains("loss_scale") && e.getMessage().contains("power of two"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("loss_scale.growth_interval=0"));
        assertTrue(e.getMessage().contains("growth interval"), e.getMessage());
    }

    @Test
    void aCheckpointConfigWrittenBeforePrecisionExistedReadsAsFp32() throws IOException {
        ObjectNode old = ConfigLoader.toTree(load());
        old.remove("precision");
        old.remove("loss_scale");
        PretrainConfig c = ConfigLoader.fromJson(old.toString());
        assertEquals(Precision.FP32, c.precisionMode());
        assertEquals(ConfigLoader.toTree(load()), ConfigLoader.toTree(c), "the same run as the current defaults");
    }
}

package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void fileOverDefaultsThenOverrides() throws IOException {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, """
                run_dir: runs/a
                shards: ../shards
                model:
                  preset: tiny
                  kwargs:
                    dropout: 1e-1
                optim:
                  lr: 1e-3
                """);
        PretrainConfig c = ConfigLoader.load(f, List.of("optim.steps=50", "devices=[cpu, cpu]", "data.batch_size=4",
                "shards=elsewhere"));
        assertEquals(dir.resolve("runs/a").toAbsolutePath().normalize().toString(), c.runDir(), "relative to the file");
        assertEquals(Path.of("elsewhere").toAbsolutePath().normalize().toString(), c.shards(), "relative to the cwd");
        assertEquals(1e-3, c.optim().lr());
        assertEquals(50, c.optim().steps());
        assertEquals(0.95, c.optim().beta2(), "default kept");
        assertEquals(0.1, c.optim().weightDecay());
        assertEquals(List.of(Device.cpu(), Device.cpu()), c.deviceList());
        assertEquals(0.1, c.model().kwargs().get("dropout").asDouble(), "YAML 1.1 '1e-1' read as a number");
        assertEquals(1.0, c.model().kwargs().get("modality_grouping_alpha").asDouble(), "default kwargs merged");
        // The effective configuration reads back to the same values.
        assertEquals(c, ConfigLoader.fromJson(ConfigLoader.toTree(c).toString()));
    }

    @Test
    void typosAndBadValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(null, List.of("run_dir=r", "shards=s", "optim.lr_peak=1")));
        assertTrue(e.getMessage().contains("lr_peak"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(null, List.of("run_dir=r", "shards=s", "data.grad_accum_steps=3")));
        assertTrue(e.getMessage().contains("data.grad_accum_steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null, List.of("shards=s")));
        assertTrue(e.getMessage().contains("run_dir"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(null, List.of("run_dir=r", "shards=s", "devices=[tpu]")));
        assertTrue(e.getMessage().contains("tpu"), e.getMessage());
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 0.1, 10, 110);
        assertEquals(1e-4, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(9), 1e-12);
        assertEquals(1e-3, s.at(10), 1e-12);
        assertEquals(0.55e-3, s.at(60), 1e-12, "half way down the cosine");
        assertEquals(1e-4, s.at(110), 1e-12);
        assertEquals(1e-4, s.at(500), 1e-12);
    }
}

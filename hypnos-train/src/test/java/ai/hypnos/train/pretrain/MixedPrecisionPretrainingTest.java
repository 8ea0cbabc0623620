package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.train.metrics.MetricsLog;
import ai.hypnos.train.shard.SyntheticShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code precision: fp16} pretraining runs of the tiny model on {@link SyntheticShards}. */
class MixedPrecisionPretrainingTest {
    @TempDir
    static Path root;
    static Path shards;

    @BeforeAll
    static void shards() throws IOException {
        shards = SyntheticShards.write(root.resolve("shards"), 4, 2, 300, 5);
    }

    private static PretrainConfig config(String run, String... more) throws IOException {
        List<String> sets = new ArrayList<>(List.of("run_dir=" + root.resolve(run), "shards=" + shards,
                "model.preset=tiny", "data.context_seconds=16", "data.batch_size=4", "optim.lr=3.0e-3",
                "optim.warmup_steps=2", "eval.windows=0", "log.every=1", "log.plot=false", "bundle.save=false",
                "seed=5"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    /** Per step: loss, grad_norm and (fp16 runs) loss_scale, skipped_steps. */
    private static Map<Long, List<Double>> rows(Path run, String... columns) throws IOException {
        Map<Long, List<Double>> out = new LinkedHashMap<>();
        try (MetricsLog log = MetricsLog.open(run, Long.MAX_VALUE, List.of(), List.of())) {
            for (MetricsLog.Row r : log.rows()) {
                if (r.kind().equals("train")) {
                    List<Double> v = new ArrayList<>();
                    for (String c : columns) {
                        v.add(r.values().get(c));
                    }
                    out.put(r.step(), v);
                }
            }
        }
        return out;
    }

    @Test
    void resumedFp16RunRestoresTheLossScaleAndRepeatsTheUninterruptedRun() throws IOException {
        // growth every 2 clean steps, so the scale changes during the run and resume has state to restore
        String[] extra = {"precision=fp16", "loss_scale.growth_interval=2", "optim.steps=6", "checkpoint.every=3",
            "model.kwargs.dropout=0.1"};
        try (Pretrainer p = Pretrainer.open(config("whole", extra), false)) {
            assertEquals(DataType.FLOAT16, p.model().parameters().dataType());
            assertEquals(DataType.FLOAT32, p.masterModel().parameters().dataType());
            p.run();
        }
        class Killed extends RuntimeException {
        }
        try (Pretrainer p = Pretrainer.open(config("killed", extra), false)) {
            assertThrows(Killed.class, () -> p.run(step -> {
                if (step == 5) {
                    throw new Killed();
                }
            }));
        }
        LossScaler.State saved;
        try (SafetensorsFile f = SafetensorsFile.open(root.resolve("killed/checkpoints/step-00000003.safetensors"))) {
            saved = Checkpoints.header(f).lossScale();
        }
        try (Pretrainer p = Pretrainer.open(config("killed", extra), true)) {
            assertEquals(3, p.step());
            assertEquals(saved, p.lossScaler().state(), "the checkpoint's loss-scaler state is restored");
            p.run();
        }
        String[] cols = {"loss", "grad_norm", "loss_scale", "skipped_steps"};
        Map<Long, List<Double>> whole = rows(root.resolve("whole"), cols);
        Map<Long, List<Double>> resumed = rows(root.resolve("killed"), cols);
        assertEquals(whole, resumed, "loss, gradient norm, loss scale and skipped steps of every step");
        assertTrue(whole.get(6L).get(2) != 65536.0, "the scale moved during the run: " + whole);
        try (SafetensorsFile a = SafetensorsFile.open(root.resolve("whole/checkpoints/step-00000006.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(root.resolve("killed/checkpoints/step-00000006.safetensors"))) {
            for (String n : a.tensorNames()) {
                assertArrayEquals(a.floats(n), b.floats(n), n);
            }
        }
    }

    /** Data parallelism in fp16: two float16 replicas on CPU "devices", gradients summed into replica 0. */
    @Test
    void fp16OnTwoCpuReplicasFollowsOneDevice() throws IOException {
        try (Pretrainer p = Pretrainer.open(config("one16", "optim.steps=3", "checkpoint.every=0", "precision=fp16"),
                false)) {
            p.run();
        }
        try (Pretrainer p = Pretrainer.open(config("two16", "optim.steps=3", "checkpoint.every=0", "precision=fp16",
                "devices=[cpu, cpu]"), false)) {
            p.run();
        }
        Map<Long, List<Double>> one = rows(root.resolve("one16"), "loss", "grad_norm", "loss_scale");
        Map<Long, List<Double>> two = rows(root.resolve("two16"), "loss", "grad_norm", "loss_scale");
        for (long s = 1; s <= 3; s++) {
            assertEquals(one.get(s).get(0), two.get(s).get(0), 1e-3 * one.get(s).get(0), "loss at step " + s);
            assertEquals(one.get(s).get(1), two.get(s).get(1), 5e-3 * one.get(s).get(1), "gradient norm at step " + s);
            assertEquals(one.get(s).get(2), two.get(s).get(2), "loss scale at step " + s);
        }
    }

    /**
     * Five steps from the same initial weights: fp16 losses and gradient norms within 1e-3 and
     * 5e-3 (relative) of fp32's; measured: at most 1.1e-4 and 1.2e-4.
     */
    @Test
    void fp16TrainingFollowsTheFp32LossCurve() throws IOException {
        try (Pretrainer p = Pretrainer.open(config("f32", "optim.steps=5", "checkpoint.every=0"), false)) {
            p.run();
        }
        try (Pretrainer p = Pretrainer.open(config("f16", "optim.steps=5", "checkpoint.every=0", "precision=fp16"),
                false)) {
            p.run();
            assertEquals(0, p.lossScaler().skippedSteps(), "no overflow at 2^16 for this model");
        }
        Map<Long, List<Double>> f32 = rows(root.resolve("f32"), "loss", "grad_norm");
        Map<Long, List<Double>> f16 = rows(root.resolve("f16"), "loss", "grad_norm");
        for (long s = 1; s <= 5; s++) {
            double l32 = f32.get(s).get(0);
            assertEquals(l32, f16.get(s).get(0), 1e-3 * l32, "loss at step " + s);
            double g32 = f32.get(s).get(1);
            assertEquals(g32, f16.get(s).get(1), 5e-3 * g32, "gradient norm at step " + s);
        }
        assertTrue(f32.get(5L).get(0) < f32.get(1L).get(0), "the run learns: " + f32);
    }
}

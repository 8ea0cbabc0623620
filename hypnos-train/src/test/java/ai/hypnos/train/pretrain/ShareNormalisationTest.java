package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Two CPU "devices" and gradient accumulation must give the one-device step with the same global
 * batch when presence differs across the batch. The shards hold two training recordings, one
 * without respiration: half the windows lack it, so the shares of a batch of 4 hold different
 * numbers of respiration samples (0, 1 or 2 of 2) in most steps. The one-device run is the truth
 * (DESIGN §6: each modality's loss is a mean over all its present samples of the batch); a share
 * normalised by its own counts weighs a respiration sample 1/2 in one share and 1/1 in the other,
 * and this test caught exactly that before the loss took the batch's denominators.
 */
class ShareNormalisationTest {
    @TempDir
    static Path root;
    static Path shards;

    @BeforeAll
    static void shards() throws IOException {
        // rec-000 has every modality, rec-001 no resp_abd (SyntheticShards: the last training recording).
        shards = SyntheticShards.write(root.resolve("shards"), 2, 1, 240, 17);
    }

    private static void run(String name, String... more) throws IOException {
        List<String> sets = new ArrayList<>(List.of("run_dir=" + root.resolve(name), "shards=" + shards,
                "model.preset=tiny", "data.context_seconds=16", "data.batch_size=4", "optim.lr=3.0e-3",
                "optim.warmup_steps=1", "optim.steps=4", "eval.windows=0", "log.every=1", "log.plot=false",
                "bundle.save=false", "checkpoint.every=4", "seed=5"));
        sets.addAll(List.of(more));
        try (Pretrainer p = Pretrainer.open(ConfigLoader.load(null, sets), false)) {
            p.run();
        }
    }

    private static Map<Long, Map<String, Double>> trainRows(String name) throws IOException {
        Map<Long, Map<String, Double>> out = new LinkedHashMap<>();
        try (MetricsLog log = MetricsLog.open(root.resolve(name), Long.MAX_VALUE, List.of(), List.of())) {
            for (MetricsLog.Row r : log.rows()) {
                if (r.kind().equals("train")) {
                    out.put(r.step(), r.values());
                }
            }
        }
        return out;
    }

    private static Map<String, float[]> weights(String name) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(root.resolve(name + "/checkpoints/step-00000004.safetensors"))) {
            for (String n : f.tensorNames()) {
                if (n.startsWith("model/")) {
                    out.put(n, f.floats(n));
                }
            }
        }
        return out;
    }

    @Test
    void twoDevicesAndGradientAccumulationGiveTheOneDeviceStepWithUnevenPresence() throws IOException {
        run("one");
        run("two", "devices=[cpu, cpu]");
        run("accum", "data.grad_accum_steps=2");
        Map<Long, Map<String, Double>> one = trainRows("one");
        Map<String, float[]> w1 = weights("one");
        for (String other : List.of("two", "accum")) {
            Map<Long, Map<String, Double>> rows = trainRows(other);
            assertEquals(one.keySet(), rows.keySet());
            for (long s : one.keySet()) {
                for (String col : List.of("loss", "grad_norm", "loss/eeg_c3", "loss/ecg", "loss/resp_abd")) {
                    double want = one.get(s).get(col);
                    double got = rows.get(s).get(col);
                    assertTrue(Double.isFinite(want), col + " at step " + s + ": " + want);
                    // float32 sums in another order: a few ulps of the values (~2.8 nats, norms ~1).
                    assertEquals(want, got, 2e-6 * Math.abs(want) + 1e-6, other + ": " + col + " at step " + s);
                }
            }
            Map<String, float[]> w = weights(other);
            assertEquals(w1.keySet(), w.keySet());
            double maxDiff = 0;
            for (String n : w1.keySet()) {
                float[] a = w1.get(n);
                float[] b = w.get(n);
                for (int i = 0; i < a.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
            }
            // Four AdamW steps of lr 3e-3 move weights by ~1e-2; a per-sample weighting error moves
            // them by a sizeable part of that (Adam normalises the step), rounding by ~1e-7.
            assertTrue(maxDiff < 2e-6, other + ": weights after 4 steps differ by up to " + maxDiff);
        }
    }
}

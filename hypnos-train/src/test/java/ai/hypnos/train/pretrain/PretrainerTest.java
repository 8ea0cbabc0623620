package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.train.metrics.MetricsLog;
import ai.hypnos.train.shard.SyntheticShards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pretraining on shards of a known random process ({@link SyntheticShards}) with the tiny model. */
class PretrainerTest {
    @TempDir
    static Path root;
    static Path shards;

    @BeforeAll
    static void shards() throws IOException {
        shards = SyntheticShards.write(root.resolve("shards"), 6, 2, 400, 5);
    }

    private static PretrainConfig config(String run, String... more) throws IOException {
        List<String> sets = new ArrayList<>(List.of("run_dir=" + root.resolve(run), "shards=" + shards,
                "model.preset=tiny", "data.context_seconds=16", "data.batch_size=4", "optim.lr=3.0e-3",
                "optim.warmup_steps=2", "eval.windows=8", "eval.batch_size=4", "log.every=1", "log.plot=false",
                "bundle.save=false", "seed=3"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    /** Per step, the logged training loss, learning rate and gradient norm. */
    private static Map<Long, List<Double>> trainRows(Path run) throws IOException {
        Map<Long, List<Double>> out = new LinkedHashMap<>();
        try (MetricsLog log = MetricsLog.open(run, Long.MAX_VALUE, List.of(), List.of())) {
            for (MetricsLog.Row r : log.rows()) {
                if (r.kind().equals("train")) {
                    assertTrue(out.put(r.step(), List.of(r.values().get("loss"), r.values().get("lr"),
                            r.values().get("grad_norm"))) == null, "step " + r.step() + " logged twice");
                }
            }
        }
        return out;
    }

    private static Map<String, float[]> weights(Path checkpoint) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint)) {
            for (String n : f.tensorNames()) {
                out.put(n, f.floats(n));
            }
        }
        return out;
    }

    @Test
    void aKilledRunResumedGivesTheSameLossesAndWeightsAsAnUninterruptedOne() throws IOException {
        // Dropout and gradient accumulation on, so their randomness and state are covered too.
        String[] extra = {"optim.steps=8", "checkpoint.every=3", "eval.every=4", "model.kwargs.dropout=0.1",
            "data.grad_accum_steps=2"};
        try (Pretrainer p = Pretrainer.open(config("whole", extra), false)) {
            p.run();
        }
        class Killed extends RuntimeException {
        }
        try (Pretrainer p = Pretrainer.open(config("killed", extra), false)) {
            assertThrows(Killed.class, () -> p.run(step -> {
                if (step == 5) {
                    throw new Killed(); // after checkpoint 3; steps 4 and 5 are lost
                }
            }));
        }
        assertThrows(IllegalArgumentException.class, () -> Pretrainer.open(config("killed", extra), false),
                "a new run must not overwrite an old one");
        try (Pretrainer p = Pretrainer.open(config("killed", extra), true)) {
            assertEquals(3, p.step());
            p.run();
        }
        Map<Long, List<Double>> whole = trainRows(root.resolve("whole"));
        Map<Long, List<Double>> resumed = trainRows(root.resolve("killed"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), new ArrayList<>(resumed.keySet()));
        assertEquals(whole, resumed, "loss, learning rate and gradient norm of every step");
        Map<String, float[]> a = weights(root.resolve("whole/checkpoints/step-00000008.safetensors"));
        Map<String, float[]> b = weights(root.resolve("killed/checkpoints/step-00000008.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        for (String n : a.keySet()) {
            assertArrayEquals(a.get(n), b.get(n), n + " differs");
        }
        assertEquals(3, Files.list(root.resolve("whole/checkpoints")).filter(f -> f.toString().contains("step-")).count(),
                "keep_last 3");
    }

    @Test
    void aFinishedRunIsReusedWithoutItsCheckpointsOnlyWithTheSameSettings() throws IOException {
        String[] extra = {"optim.steps=3", "eval.every=3", "bundle.save=true"};
        Pretrainer.Result done;
        try (Pretrainer p = Pretrainer.open(config("finished", extra), false)) {
            done = p.run();
        }
        // Copied back from another machine without its checkpoints.
        try (var files = Files.list(root.resolve("finished/checkpoints"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Pretrainer.Result reused = Pretrainer.finishedRun(config("finished", extra)).orElseThrow();
        assertEquals(3, reused.steps());
        assertEquals(done.validation().loss(), reused.validation().loss(), 1e-12);
        assertEquals(done.validation().perModality(), reused.validation().perModality());
        assertEquals(done.unigram().loss(), reused.unigram().loss(), 1e-12);
        assertEquals(root.resolve("finished").resolve(Pretrainer.BUNDLE_FILE), reused.bundle());
        assertTrue(Pretrainer.finishedRun(config("finished", "optim.steps=4", "eval.every=3", "bundle.save=true")).isEmpty(),
                "more steps: not finished");
        assertTrue(Pretrainer.finishedRun(config("finished", "optim.steps=3", "eval.every=3", "bundle.save=true",
                "optim.lr=1.0e-3")).isEmpty(), "another learning rate: another run");
        assertTrue(Pretrainer.finishedRun(config("nothing-here", extra)).isEmpty());
    }

    /**
     * A finished run is recognised by the data it read, not by the path of its shard folder: the
     * same shards copied to another folder (another machine) reuse it; a copy that lost a
     * recording, or whose shard was made with another notch, does not.
     */
    @Test
    void aFinishedRunIsReusedWithItsShardsCopiedElsewhereButNotWithOtherShards() throws IOException {
        String[] extra = {"optim.steps=2", "eval.every=2", "bundle.save=true", "eval.windows=4"};
        Pretrainer.Result done;
        try (Pretrainer p = Pretrainer.open(config("moved", extra), false)) {
            done = p.run();
        }
        Path copy = root.resolve("elsewhere/shards");
        copyTree(shards, copy);
        List<String> moved = new ArrayList<>(List.of(extra));
        moved.add("shards=" + copy);
        Pretrainer.Result reused = Pretrainer.finishedRun(config("moved", moved.toArray(String[]::new)))
                .orElseThrow(() -> new AssertionError("the same shards at another path: reused"));
        assertEquals(2, reused.steps());
        assertEquals(done.validation().loss(), reused.validation().loss(), 1e-12);

        Path fewer = root.resolve("fewer/shards");
        copyTree(shards, fewer);
        Files.delete(fewer.resolve("rec-000.json")); // one training recording unfinished: left out
        List<String> other = new ArrayList<>(List.of(extra));
        other.add("shards=" + fewer);
        assertTrue(Pretrainer.finishedRun(config("moved", other.toArray(String[]::new))).isEmpty(),
                "other training data: not the same run");

        // Validation switched off: eval is not compared, and the data's identity covers the
        // validation split either way, so this is still the same run.
        List<String> noEval = new ArrayList<>(moved);
        noEval.add("eval.windows=0");
        assertTrue(Pretrainer.finishedRun(config("moved", noEval.toArray(String[]::new))).isPresent(),
                "eval settings do not change the data");

        // The same recordings, ids, subjects, splits and lengths, but one shard re-tokenized with
        // a 60 Hz notch: its tokens differ, so the run must not be reused.
        Path notched = root.resolve("notched/shards");
        copyTree(shards, notched);
        Path json = notched.resolve("rec-000.json");
        String meta = Files.readString(json);
        String notch60 = meta.replaceFirst("\"notch_hz\" : \\d+", "\"notch_hz\" : 60");
        assertTrue(!notch60.equals(meta) && notch60.contains("\"notch_hz\" : 60"), "the notch was rewritten: " + meta);
        Files.writeString(json, notch60);
        List<String> renotched = new ArrayList<>(List.of(extra));
        renotched.add("shards=" + notched);
        assertTrue(Pretrainer.finishedRun(config("moved", renotched.toArray(String[]::new))).isEmpty(),
                "shards made with another notch: not the same run");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }

    @Test
    void twoDeviceReplicasMatchOneDeviceWithTheSameGlobalBatch() throws IOException {
        try (Pretrainer p = Pretrainer.open(config("one", "optim.steps=4", "eval.windows=0"), false)) {
            p.run();
        }
        try (Pretrainer p = Pretrainer.open(config("two", "optim.steps=4", "eval.windows=0", "devices=[cpu, cpu]"),
                false)) {
            p.run();
        }
        Map<Long, List<Double>> one = trainRows(root.resolve("one"));
        Map<Long, List<Double>> two = trainRows(root.resolve("two"));
        for (long s = 1; s <= 4; s++) {
            assertEquals(one.get(s).get(0), two.get(s).get(0), 1e-5, "loss at step " + s);
            assertEquals(one.get(s).get(2), two.get(s).get(2), 1e-4, "gradient norm at step " + s);
        }
        Map<String, float[]> a = weights(root.resolve("one/checkpoints/step-00000004.safetensors"));
        Map<String, float[]> b = weights(root.resolve("two/checkpoints/step-00000004.safetensors"));
        for (String n : a.keySet()) {
            if (n.startsWith("model/")) {
                assertArrayEquals(a.get(n), b.get(n), 2e-5f, n);
            }
        }
    }

    @Test
    void learnsWellBelowTheUnigramEntropyOfItsTokens() throws IOException {
        Pretrainer.Result r;
        try (Pretrainer p = Pretrainer.open(config("learn", "optim.steps=60", "eval.every=30", "data.batch_size=8",
                "data.context_seconds=32", "log.every=10", "log.plot=true"), false)) {
            r = p.run();
        }
        for (Map.Entry<String, Double> e : r.validation().perModality().entrySet()) {
            double h = r.unigram().perModality().get(e.getKey());
            assertTrue(h > 2.5, e.getKey() + " unigram entropy " + h + " (near ln 16 by construction)");
            assertTrue(e.getValue() < 0.6 * h, e.getKey() + ": validation loss " + e.getValue() + " vs unigram " + h);
        }
        assertTrue(Files.size(root.resolve("learn/loss.png")) > 1000);
        assertTrue(Files.isRegularFile(root.resolve("learn/checkpoints/best.safetensors")));
        assertTrue(Files.readString(root.resolve("learn/summary.json")).contains("unigram_entropy_per_modality"));
    }

    @Test
    void stepsLeaveNoNativeArraysBehind() throws IOException {
        // Every NDManager hangs off DJL's system manager: count the arrays in that whole tree after
        // each step. Model, optimiser state and cached masks are made by the first steps; from
        // then on a step that kept any intermediate (a leak of native memory) would add arrays.
        List<Integer> live = new ArrayList<>();
        try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager();
                Pretrainer p = Pretrainer.open(config("memory", "optim.steps=24", "eval.every=8",
                        "checkpoint.every=8", "data.grad_accum_steps=2"), false)) {
            ai.djl.ndarray.NDManager system = probe.getParentManager();
            p.run(step -> live.add(system.getManagedArrays().size()));
        }
        assertEquals(24, live.size());
        assertTrue(live.get(0) > 100, "the model's parameters alone are more arrays: " + live);
        List<Integer> settled = live.subList(8, live.size());
        assertEquals(List.of(settled.get(0)), settled.stream().distinct().toList(),
                "live native arrays after each step " + live);
    }
}

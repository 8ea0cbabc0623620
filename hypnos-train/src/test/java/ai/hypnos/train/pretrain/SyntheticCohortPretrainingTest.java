package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.train.testing.TestCohorts;
import ai.hypnos.train.tokenizers.CohortTokenizerTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run of the training issue on real pipeline data: a synthetic cohort (EDF + XML)
 * → tokenizers trained on its training nights → token shards → pretraining of a tiny
 * RQ-Transformer; the validation loss of every modality must end well below the unigram entropy
 * of its validation tokens. Several minutes on two cores: {@code -Plong}. The quickstart's numbers
 * for the same comparison are in docs/benchmarks.md.
 */
@Tag("long")
class SyntheticCohortPretrainingTest {
    @TempDir
    Path dir;

    @Test
    void pretrainingLowersValidationLossWellBelowTheUnigramEntropy() throws IOException {
        Cohort cohort = TestCohorts.synthetic(dir.resolve("cohort"), 10, 1.0, 2024, true);
        CohortTokenizerTraining.train(cohort, dir.resolve("tokenizers"),
                new CohortTokenizerTraining.Options(TokenizerPreset.TINY, 60, 6, 4, 1, Device.cpu()));
        try (TokenizerSet set = TokenizerSet.open(dir.resolve("tokenizers"), Device.cpu())) {
            BuildSummary s = new ShardBuilder(set).buildAll(cohort, dir.resolve("shards"), 2);
            assertTrue(s.count(BuildSummary.Status.BUILT) >= 8, s.headline());
        }
        PretrainConfig config = ConfigLoader.load(null, List.of("run_dir=" + dir.resolve("run"),
                "shards=" + dir.resolve("shards"), "model.preset=tiny", "data.context_seconds=64", "data.batch_size=8",
                "optim.steps=300", "optim.lr=3.0e-3", "optim.warmup_steps=20", "eval.every=100", "eval.windows=32",
                "log.every=25", "bundle.save=false"));
        Pretrainer.Result r;
        try (Pretrainer p = Pretrainer.open(config, false)) {
            r = p.run();
        }
        StringBuilder table = new StringBuilder("modality  val loss  unigram entropy (nats)\n");
        for (Map.Entry<String, Double> e : r.validation().perModality().entrySet()) {
            double h = r.unigram().perModality().get(e.getKey());
            table.append(String.format(Locale.ROOT, "%-9s %8.3f  %8.3f%n", e.getKey(), e.getValue(), h));
        }
        System.out.println(table);
        for (Map.Entry<String, Double> e : r.validation().perModality().entrySet()) {
            double h = r.unigram().perModality().get(e.getKey());
            if (Double.isFinite(e.getValue())) {
                assertTrue(e.getValue() < 0.75 * h, e.getKey() + ": " + e.getValue() + " vs unigram " + h + "\n" + table);
            }
        }
    }
}

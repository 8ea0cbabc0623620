package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.data.ShardSet;
import ai.hypnos.train.shard.BuildSummary;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardModality;
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
 * RQ-Transformer; the validation loss of every modality must end below the unigram entropy of
 * its validation tokens (the model uses context), and the mean over modalities well below (by
 * 10 %). The tokenizers train as the quickstart's do (400 steps): after a few dozen steps their
 * codebooks are still nearly collapsed (EOG tokens below 0.03 nats of unigram entropy), and
 * tokens that carry almost nothing leave nothing to predict. Several minutes on two cores:
 * {@code -Plong}. The quickstart's numbers for the same comparison are in its summary.json
 * (docs/training.md).
 */
@Tag("long")
class SyntheticCohortPretrainingTest {
    @TempDir
    Path dir;

    @Test
    void pretrainingLowersValidationLossWellBelowTheUnigramEntropy() throws IOException {
        Cohort cohort = TestCohorts.synthetic(dir.resolve("cohort"), 10, 1.0, 2024, true);
        CohortTokenizerTraining.train(cohort, dir.resolve("tokenizers"),
                new CohortTokenizerTraining.Options(TokenizerPreset.TINY, 400, 6, 4, 1, Device.cpu()));
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
        // Every modality some validation night holds must have a finite loss: a NaN (broken
        // validation, a diverged run) fails here instead of being skipped as "absent".
        ShardSet val = ShardSet.open(dir.resolve("shards"), List.of(Split.VAL));
        assertTrue(!val.isEmpty(), "the cohort has validation nights");
        List<String> names = val.layout().modalities().stream().map(ShardModality::name).toList();
        int present = 0;
        for (int i = 0; i < names.size(); i++) {
            int col = i;
            if (val.shards().stream().noneMatch(sh -> sh.presence()[col])) {
                continue;
            }
            present++;
            String name = names.get(i);
            Double loss = r.validation().perModality().get(name);
            Double h = r.unigram().perModality().get(name);
            assertTrue(loss != null && Double.isFinite(loss), name + " is in the validation shards but its loss is "
                    + loss + "\n" + table);
            assertTrue(h != null && Double.isFinite(h), name + ": unigram entropy " + h);
            assertTrue(loss < h, name + ": " + loss + " vs unigram " + h + "\n" + table);
        }
        assertTrue(present > 0, "no modality present in the validation shards");
        assertTrue(r.validation().loss() < 0.9 * r.unigram().loss(), "mean over modalities: " + r.validation().loss()
                + " vs unigram " + r.unigram().loss() + "\n" + table);
    }
}

package ai.hypnos.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hypnos tokenize} → {@code hypnos pretrain} → {@code hypnos embed --model} on a tiny
 * synthetic cohort: the commands chain, and the trained bundle loads in the embedding module.
 */
class TrainCommandsTest {
    @TempDir
    Path dir;

    /** The Spark hand-off gets every option that changes the shards; --threads is refused, not dropped. */
    @Test
    void sparkHandOffForwardsTheSplitOptions() {
        TokenizeCommand c = new TokenizeCommand();
        new CommandLine(c).parseArgs("--manifest", "m.csv", "--tokenizers", "tok", "--out", "shards", "--spark", "local[2]",
                "--val-fraction", "0.2", "--test-fraction", "0.05", "--split-seed", "7", "--alias", "EEG L=eeg_c3");
        assertEquals(List.of("--manifest", "m.csv", "--tokenizers", "tok", "--out", "shards", "--device", "cpu",
                "--val-fraction", "0.2", "--test-fraction", "0.05", "--split-seed", "7", "--alias", "EEG L=eeg_c3"),
                c.sparkArgs());
        TokenizeCommand threaded = new TokenizeCommand();
        new CommandLine(threaded).parseArgs("--manifest", "m.csv", "--tokenizers", "tok", "--out", "shards", "--spark",
                "local[2]", "--threads", "4");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, threaded::sparkArgs);
        assertTrue(e.getMessage().contains("--threads"), e.getMessage());
    }

    @Test
    void tokenizePretrainAndEmbedWithTheTrainedBundle() throws Exception {
        Path cohort = dir.resolve("cohort");
        SyntheticCohort.generate(new CohortSpec(4, 0.05, 3, List.of(Site.values()), false), cohort);
        Path tok = Files.createDirectories(dir.resolve("tok"));
        for (SignalType t : SignalType.values()) {
            try (SignalTokenizer s = SignalTokenizer.create(TokenizerPreset.TINY.config(t), Device.cpu(), 1)) {
                TokenizerBundle.save(s, t.key(), t.key(), tok.resolve(t.key() + ".safetensors"), SafetensorsDtype.F32, Map.of());
            }
        }
        Path shards = dir.resolve("shards");
        CliRun r = CliRun.of("tokenize", "--manifest", cohort.resolve("manifest.csv").toString(), "--tokenizers",
                tok.toString(), "--out", shards.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 built, 0 already finished, 0 failed"), r.out());

        Path config = dir.resolve("run.yaml");
        Files.writeString(config, """
                run_dir: run
                shards: shards
                model:
                  preset: tiny
                data:
                  context_seconds: 32
                  batch_size: 4
                  train_split: train
                  val_split: train
                optim:
                  steps: 3
                eval:
                  windows: 4
                log:
                  every: 1
                """);
        r = CliRun.of("pretrain", "--config", config.toString(), "--set", "optim.warmup_steps=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation loss"), r.out());
        Path bundle = dir.resolve("run/model.safetensors");
        assertTrue(Files.isRegularFile(bundle), r.out());
        assertEquals(4, Files.readAllLines(dir.resolve("run/metrics.csv")).size(), "header + 3 steps");

        Path night = Files.list(cohort.resolve("edf")).sorted().findFirst().orElseThrow();
        Path npz = dir.resolve("night.npz");
        r = CliRun.of("embed", night.toString(), "--model", bundle.toString(), "--out", npz.toString());
        assertEquals(0, r.code(), r.err());
        try (NpzReader z = NpzReader.open(npz)) {
            assertEquals(32, z.get("mean").shape(1), "tiny width");
            assertEquals(180, z.get("mean").shape(0), "0.05 h");
        }

        // A second tokenize finds everything finished; resuming a finished run changes nothing.
        r = CliRun.of("tokenize", "--manifest", cohort.resolve("manifest.csv").toString(), "--tokenizers",
                tok.toString(), "--out", shards.toString());
        assertTrue(r.out().contains("0 built, 4 already finished"), r.out());
        r = CliRun.of("pretrain", "--config", config.toString(), "--set", "optim.warmup_steps=1");
        assertEquals(2, r.code(), "a new run into a used run_dir is refused: " + r.err());
        assertTrue(r.err().contains("--resume"), r.err());
    }
}

package ai.hypnos.train.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.shard.ShardModality;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.train.testing.TestCohorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortTokenizerTrainingTest {
    @TempDir
    Path dir;

    @Test
    void trainsOneTokenizerPerSignalTypeIntoAFolderTheShardBuilderReads() throws IOException {
        Cohort cohort = TestCohorts.synthetic(dir.resolve("cohort"), 3, 0.05, 5, false);
        Path out = dir.resolve("tokenizers");
        CohortTokenizerTraining.Result r = CohortTokenizerTraining.train(cohort, out,
                new CohortTokenizerTraining.Options(TokenizerPreset.TINY, 2, 2, 2, 0, Device.cpu()));
        assertEquals(SignalType.values().length, r.files().size(), r.files().toString());
        assertFalse(Files.exists(out.resolve("signals")), "scratch signals removed");
        try (TokenizerSet set = TokenizerSet.open(out, Device.cpu())) {
            assertEquals(List.of("eeg_c3", "eeg_c4", "eog_e1", "eog_e2", "emg_chin", "ecg", "resp_abd", "resp_thx"),
                    set.layout().modalities().stream().map(ShardModality::name).toList());
            assertTrue(set.identities().stream().allMatch(i -> i.sha256().length() == 64));
        }
    }
}

package ai.hypnos.train.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.shard.ShardModality;
import ai.hypnos.train.shard.TokenizerSet;
import ai.hypnos.train.testing.TestCohorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * A failed run leaves {@code signals/} behind, and the tokenizer trainer reads every .npy under
     * it: a rerun must train on its own extraction only. Ten stale signals per type are planted;
     * the trained files record how many signals each type trained on, which can be at most one
     * per modality of the type per used recording (2 recordings here).
     */
    @Test
    void aRerunTrainsOnlyOnItsOwnSignalsNotOnAFailedRunsScratch() throws IOException {
        Cohort cohort = TestCohorts.synthetic(dir.resolve("cohort"), 3, 0.05, 6, false);
        Path out = dir.resolve("tokenizers");
        float[] stale = new float[128 * 120];
        for (int i = 0; i < stale.length; i++) {
            stale[i] = (float) Math.sin(i * 0.1);
        }
        for (SignalType type : SignalType.values()) {
            for (int n = 0; n < 10; n++) {
                Npy.write(out.resolve("signals").resolve(type.key()).resolve("stale-" + n + "__x.npy"),
                        NpyArray.of(stale, stale.length));
            }
        }
        int recordings = 2;
        CohortTokenizerTraining.Result r = CohortTokenizerTraining.train(cohort, out,
                new CohortTokenizerTraining.Options(TokenizerPreset.TINY, 1, recordings, 2, 0, Device.cpu()));
        assertFalse(Files.exists(out.resolve("signals")), "scratch signals removed");
        Pattern signals = Pattern.compile("\"signals\":(\\d+)");
        for (Map.Entry<SignalType, Path> e : r.files().entrySet()) {
            long modalities = Arrays.stream(Modality.values()).filter(m -> m.signalType() == e.getKey()).count();
            try (SafetensorsFile f = SafetensorsFile.open(e.getValue())) {
                String meta = f.metadata().get("hypnos_training");
                Matcher m = signals.matcher(meta);
                assertTrue(m.find(), meta);
                int n = Integer.parseInt(m.group(1));
                assertTrue(n >= 1 && n <= recordings * modalities, e.getKey() + " trained on " + n
                        + " signals; at most " + recordings * modalities + " are this run's: " + meta);
            }
        }
    }
}

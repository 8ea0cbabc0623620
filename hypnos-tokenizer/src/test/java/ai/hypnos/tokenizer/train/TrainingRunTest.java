package ai.hypnos.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a run folder: the checkpoint decides the model and the training options, so a resume
 * asked for another signal is refused (it would write the checkpoint's model under the other
 * signal's name), and options given differently are reported as ignored.
 */
class TrainingRunTest {
    @TempDir
    Path out;

    private static final TrainingConfig TRAINING = TokenizerPreset.TINY.training().withBatch(2, 8).withLogging(1, 0);
    private static final TokenizerConfig EEG = TokenizerPreset.TINY.config(SignalType.EEG);

    private static SignalSet data() {
        return SignalSet.synthetic(SignalType.EEG, 128, 4, 60, 2);
    }

    @Test
    void resumingWithAnotherSignalIsRefusedNamingTheCheckpointAndBothSignals() throws IOException {
        TrainingRun.run(EEG, SignalType.EEG, data(), TRAINING, 2, Device.cpu(), out, false, SafetensorsDtype.F32);
        Path checkpoint = TrainingRun.latestCheckpoint(out).orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(
                TokenizerPreset.TINY.config(SignalType.RESP), SignalType.RESP, data(), TRAINING, 3, Device.cpu(), out, true,
                SafetensorsDtype.F32));
        String msg = e.getMessage();
        assertTrue(msg.contains(checkpoint.toString()) && msg.contains("'eeg'") && msg.contains("'resp'"), msg);
        assertFalse(Files.exists(out.resolve("tokenizer-resp.safetensors")), "nothing written under the other signal's name");
        assertEquals(checkpoint, TrainingRun.latestCheckpoint(out).orElseThrow(), "no training happened");
    }

    @Test
    void resumingWithOtherOptionsWarnsAboutEachIgnoredOne() throws IOException {
        TrainingRun.run(EEG, SignalType.EEG, data(), TRAINING, 2, Device.cpu(), out, false, SafetensorsDtype.F32);
        TrainingConfig other = TRAINING.withSchedule(1e-2, 3); // peak_lr and warmup_steps differ
        TokenizerConfig otherTokenizer = EEG.toBuilder().codebookSize(32).build();
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TrainingRun.Result r;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            r = TrainingRun.run(otherTokenizer, SignalType.EEG, data(), other, 3, Device.cpu(), out, true, SafetensorsDtype.F32);
        } finally {
            System.setErr(oldErr);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("training option peak_lr = 0.01 is ignored"), log);
        assertTrue(log.contains("training option warmup_steps = 3 is ignored"), log);
        assertTrue(log.contains("tokenizer option codebook_size = 32 is ignored"), log);
        assertFalse(log.contains("option batch_size"), "options that agree are not reported");
        // The run continued the checkpoint's model, under the checkpoint's signal.
        assertEquals(3, r.steps());
        assertEquals(out.resolve("tokenizer-eeg.safetensors"), r.tokenizerFile());
        try (SafetensorsFile f = SafetensorsFile.open(r.tokenizerFile())) {
            assertEquals(EEG, TokenizerBundle.config(f, "eeg"));
        }
    }

    /** Steps logged after the last checkpoint by a killed run are logged once, by the resumed run. */
    @Test
    void aResumedRunLogsEveryStepOnce() throws IOException {
        TrainingConfig everyTwo = TokenizerPreset.TINY.training().withBatch(2, 8).withLogging(1, 2);
        TrainingRun.run(EEG, SignalType.EEG, data(), everyTwo, 3, Device.cpu(), out, false, SafetensorsDtype.F32);
        // As if killed after logging step 3 (and starting step 4's line) but before its checkpoint.
        Files.delete(out.resolve("checkpoints").resolve("step-3.safetensors"));
        Files.writeString(out.resolve("metrics.jsonl"), "{\"step\":4,\"lo", java.nio.file.StandardOpenOption.APPEND);
        TrainingRun.run(EEG, SignalType.EEG, data(), everyTwo, 4, Device.cpu(), out, true, SafetensorsDtype.F32);
        java.util.List<Long> steps = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            steps.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l).get("step").asLong());
        }
        assertEquals(java.util.List.of(1L, 2L, 3L, 4L), steps);
    }
}

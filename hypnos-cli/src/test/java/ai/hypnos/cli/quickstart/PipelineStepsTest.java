package ai.hypnos.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.tokenizers.CohortTokenizerTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resume checks of the pipeline steps: a cohort or tokenizer folder is reused only when it is what this run needs. */
class PipelineStepsTest {
    @TempDir
    Path dir;

    private final StringWriter console = new StringWriter();
    private final PrintWriter out = new PrintWriter(console, true);

    private static CohortSpec spec(int subjects, long seed) {
        // Faults off: every night then has every signal type, so the tokenizers needed are all five.
        return new CohortSpec(subjects, 0.05, seed, List.of(Site.values()), false);
    }

    private static CohortTokenizerTraining.Options tinyOptions() {
        return new CohortTokenizerTraining.Options(TokenizerPreset.TINY, 1, 1, 2, 0, Device.cpu());
    }

    /**
     * A run that failed while training the second signal type leaves eeg.safetensors only; the
     * rerun used to count any .safetensors file as a finished set and build shards without the
     * other four modalities.
     */
    @Test
    void aPartialTokenizerSetIsTrainedAgainAndAFinishedOneReused() throws IOException {
        Cohort cohort = PipelineSteps.cohort(dir.resolve("cohort"), spec(4, 3), out);
        Path tok = Files.createDirectories(dir.resolve("tokenizers"));
        byte[] stale = "left by a failed run".getBytes(StandardCharsets.UTF_8);
        Files.write(tok.resolve("eeg.safetensors"), stale);

        assertEquals(EnumSet.of(SignalType.EOG, SignalType.EMG, SignalType.ECG, SignalType.RESP),
                PipelineSteps.missingTokenizers(cohort, tok, tinyOptions()));
        console.getBuffer().setLength(0);
        PipelineSteps.tokenizers(cohort, tok, tinyOptions(), out);
        assertFalse(console.toString().contains("reusing"), console.toString());
        for (SignalType t : SignalType.values()) {
            assertTrue(Files.isRegularFile(tok.resolve(t.key() + ".safetensors")), t.key() + " tokenizer trained");
        }
        assertFalse(java.util.Arrays.equals(stale, Files.readAllBytes(tok.resolve("eeg.safetensors"))),
                "the failed run's eeg file is replaced, not kept beside a fresh set");
        assertTrue(Files.isRegularFile(tok.resolve(PipelineSteps.TOKENIZERS_DONE_FILE)));

        // Finished now: the next run reuses it without training again.
        byte[] eeg = Files.readAllBytes(tok.resolve("eeg.safetensors"));
        console.getBuffer().setLength(0);
        PipelineSteps.tokenizers(cohort, tok, tinyOptions(), out);
        assertTrue(console.toString().contains("reusing " + tok), console.toString());
        assertArrayEquals(eeg, Files.readAllBytes(tok.resolve("eeg.safetensors")));

        // A finished set whose marker lists a file that has since gone is not finished.
        Files.delete(tok.resolve("resp.safetensors"));
        assertEquals(EnumSet.of(SignalType.RESP), PipelineSteps.missingTokenizers(cohort, tok, tinyOptions()));
    }

    /** A folder from before the marker existed is checked against the signal types the training nights have. */
    @Test
    void aFolderWithoutMarkerIsCheckedAgainstTheCohortsSignalTypes() throws IOException {
        Cohort cohort = PipelineSteps.cohort(dir.resolve("cohort"), spec(4, 3), out);
        Path tok = Files.createDirectories(dir.resolve("tokenizers"));
        for (SignalType t : SignalType.values()) {
            Files.writeString(tok.resolve(t.key() + ".safetensors"), "placeholder");
        }
        assertEquals(EnumSet.noneOf(SignalType.class), PipelineSteps.missingTokenizers(cohort, tok, tinyOptions()));
        Files.delete(tok.resolve("ecg.safetensors"));
        assertEquals(EnumSet.of(SignalType.ECG), PipelineSteps.missingTokenizers(cohort, tok, tinyOptions()));
        // An interrupted training (scratch folder left) is never finished.
        Files.writeString(tok.resolve("ecg.safetensors"), "placeholder");
        Files.createDirectories(tok.resolve("signals"));
        assertEquals(EnumSet.allOf(SignalType.class), PipelineSteps.missingTokenizers(cohort, tok, tinyOptions()));
    }

    @Test
    void aCohortIsReusedOnlyWithTheSpecItWasGeneratedWith() throws IOException {
        Path cohortDir = dir.resolve("cohort");
        PipelineSteps.cohort(cohortDir, spec(4, 3), out);
        Path stored = cohortDir.resolve(CohortSpecFile.NAME);
        assertEquals(spec(4, 3), CohortSpecFile.read(stored));

        console.getBuffer().setLength(0);
        PipelineSteps.cohort(cohortDir, spec(4, 3), out);
        assertTrue(console.toString().contains("reusing"), console.toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineSteps.cohort(cohortDir, spec(5, 3), out));
        assertTrue(e.getMessage().contains(cohortDir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(CohortSpecFile.json(spec(4, 3))), e.getMessage());
        assertTrue(e.getMessage().contains(CohortSpecFile.json(spec(5, 3))), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineSteps.cohort(cohortDir, spec(4, 4), out));

        // A cohort generated before specs were stored is reused unchecked, and says so.
        Files.delete(stored);
        console.getBuffer().setLength(0);
        PipelineSteps.cohort(cohortDir, spec(5, 3), out);
        assertTrue(console.toString().contains("not checked"), console.toString());
    }

    /** Through the CLI: another --subjects on an existing output folder is a usage error (exit 2, one line). */
    @Test
    void quickstartRefusesACohortOfAnotherSpecWithExit2() throws IOException {
        Path run = dir.resolve("run");
        PipelineSteps.cohort(run.resolve("cohort"), new CohortSpec(6, 0.05, 7, List.of(Site.values()), true), out);
        CliRun r = CliRun.of("quickstart", "--out", run.toString(), "--subjects", "7", "--hours", "0.05", "--seed", "7");
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("\"subjects\":6") && err.contains("\"subjects\":7") && err.contains(run.resolve("cohort").toString()),
                err);
    }
}

package ai.hypnos.train.testing;

import ai.djl.Device;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.SubjectSplitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small cohorts and tokenizers for the tests. */
public final class TestCohorts {
    private TestCohorts() {
    }

    /**
     * Freshly initialised (untrained) {@code tiny} tokenizers, one file per signal type, in
     * {@code dir}: enough to exercise shard building (their codes are arbitrary but deterministic).
     */
    public static Path untrainedTokenizers(Path dir, long seed) throws IOException {
        for (SignalType t : SignalType.values()) {
            try (SignalTokenizer tok = SignalTokenizer.create(TokenizerPreset.TINY.config(t), Device.cpu(), seed)) {
                TokenizerBundle.save(tok, t.key(), t.key(), dir.resolve(t.key() + ".safetensors"), SafetensorsDtype.F32,
                        Map.of());
            }
        }
        return dir;
    }

    /** A synthetic cohort on disk (clean recordings, all sites) and its manifest. */
    public static Cohort synthetic(Path dir, int subjects, double hours, long seed, boolean faults) throws IOException {
        SyntheticCohort.generate(new CohortSpec(subjects, hours, seed, List.of(Site.values()), faults), dir);
        return Cohort.fromManifest(dir.resolve("manifest.csv"), SubjectSplitter.defaults());
    }
}

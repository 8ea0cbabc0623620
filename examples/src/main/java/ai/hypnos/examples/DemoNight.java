package ai.hypnos.examples;

import ai.hypnos.core.synth.NightFiles;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SyntheticNight;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A short synthetic night to run the examples on when no recording is given: a healthy subject
 * recorded with the AASM montage (all eight Hypnos channels: C3-M2, C4-M1, E1-M2, E2-M1, chin
 * EMG, ECG and both belts), written as a real EDF+ file with its scored hypnogram beside it.
 * See {@code docs/synthetic-data.md} for what the generator models.
 */
public final class DemoNight {
    private DemoNight() {
    }

    /**
     * Generates and writes a night.
     *
     * @param dir     folder for the files ({@code edf/demo.edf}, {@code annotations/demo-nsrr.xml}, …)
     * @param minutes length of the recording (short nights are compressed: they still hold sleep)
     * @param seed    same seed, same bytes
     */
    public static NightFiles write(Path dir, double minutes, long seed) throws IOException {
        SubjectProfile subject = SubjectProfile.typical("demo", Site.AASM);
        SyntheticNight night = SyntheticNight.generate(subject, minutes / 60.0, seed);
        return NightFiles.write(night, dir);
    }
}

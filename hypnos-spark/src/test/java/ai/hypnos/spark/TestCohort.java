package ai.hypnos.spark;

import ai.djl.Device;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SyntheticCohort;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.bundle.RandomBundle;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.transformer.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The acceptance cohort of issue 11: six short synthetic nights (10 min), one of them with only
 * EEG and ECG channels (the other modalities missing) and one corrupt (an EDF cut off inside its
 * header), listed in {@code cohort/manifest.csv}; and a {@code tiny} random bundle, which serves
 * both as the tokenizer bundle and as the model.
 *
 * @param dir      the cohort folder
 * @param manifest its manifest (paths relative to it)
 * @param bundle   the tiny bundle
 * @param corrupt  id of the corrupt recording
 * @param partial  id of the recording with missing modalities
 */
record TestCohort(Path dir, Path manifest, Path bundle, String corrupt, String partial) {
    static final double HOURS = 10.0 / 60;
    private static TestCohort shared;

    /** One cohort for all tests of this JVM, in a temporary folder deleted when the JVM exits. */
    static synchronized TestCohort shared() throws IOException {
        if (shared == null) {
            Path root = Files.createTempDirectory("hypnos-spark-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            shared = create(root);
        }
        return shared;
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder: the system cleans it up eventually
        }
    }

    static TestCohort create(Path root) throws IOException {
        Path dir = root.resolve("cohort");
        CohortManifest synth = SyntheticCohort.generate(
                new CohortSpec(4, HOURS, 11, List.of(Site.AASM, Site.SHHS, Site.RAW, Site.MESA), false), dir);
        List<CohortManifest.Entry> rows = new ArrayList<>(synth.entries());
        CohortManifest.Entry first = rows.get(0);

        // Only the EEG and ECG channels of the first night: EOG, EMG and respiration are missing.
        Path partial = dir.resolve("edf/partial-eeg-ecg.edf");
        try (EdfRecording full = EdfReader.open(dir.resolve(first.recording()))) {
            InMemoryRecording.Builder b = InMemoryRecording.builder().start(full.startTime());
            for (int i = 0; i < full.signals().size(); i++) {
                SignalInfo s = full.signals().get(i);
                if (s.label().startsWith("EEG") || s.label().equals("ECG")) {
                    b.signal(s, full.read(i));
                }
            }
            EdfWriter.write(partial, b.build());
        }
        rows.add(new CohortManifest.Entry("sub-partial", "edf/partial-eeg-ecg.edf", "", first.site(), first.notch(),
                "train"));

        // Cut off in the middle of its header.
        Path corrupt = dir.resolve("edf/corrupt-night.edf");
        Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(dir.resolve(first.recording())), 300));
        rows.add(new CohortManifest.Entry("sub-corrupt", "edf/corrupt-night.edf", "", first.site(), first.notch(), ""));

        Path manifest = dir.resolve("manifest.csv");
        new CohortManifest(manifest, rows).write();

        Path bundle = root.resolve("tiny.safetensors");
        try (Bundle b = RandomBundle.builder(Preset.TINY::builder, TokenizerPreset.TINY).seed(7).build(Device.cpu())) {
            BundleWriter.write(bundle, b, SafetensorsDtype.F32);
        }
        return new TestCohort(dir, manifest, bundle, "corrupt-night", "partial-eeg-ecg");
    }
}

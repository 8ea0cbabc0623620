package ai.hypnos.embed;

import ai.djl.Device;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthRandom;
import ai.hypnos.core.synth.SyntheticNight;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.bundle.RandomBundle;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.transformer.Preset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Bundles and recordings the tests share: the golden fixture, tiny random bundles, short synthetic nights. */
public final class TestBundles {
    private TestBundles() {
    }

    /** The reference's tiny bundle ({@code data/golden/bundle.safetensors}). */
    public static Path golden() {
        return TestData.path("golden/bundle.safetensors");
    }

    public static Path goldenEdf() {
        return TestData.path("golden/rec.edf");
    }

    public static Path goldenNpz() {
        return TestData.path("golden/golden.npz");
    }

    /**
     * A random bundle unlike the golden one: the given modalities, D 48, 3 temporal blocks of 4
     * heads, window 6 with a 12-token window every 2nd block, 2 depth layers, tokenizers of 3
     * levels (the tiny tokenizer with K changed).
     */
    public static Bundle randomBundle(List<Modality> modalities, long seed) {
        return RandomBundle.builder(specs -> Preset.TINY.builder(specs).embedDim(48).temporalDepth(3).temporalHeads(4)
                        .slidingWindow(6).globalEveryN(2).globalWindow(12).depthDepth(2).depthHeads(2), TokenizerPreset.TINY)
                .modalities(modalities)
                .tokenizerConfig(b -> b.numQuantizers(3))
                .seed(seed)
                .build(Device.cpu());
    }

    /** {@link #randomBundle} written to a file. */
    public static Path randomBundleFile(Path dir, List<Modality> modalities, long seed, SafetensorsDtype type)
            throws IOException {
        Path file = dir.resolve("random-" + seed + "-" + type + ".safetensors");
        try (Bundle b = randomBundle(modalities, seed)) {
            BundleWriter.write(file, b, type);
        }
        return file;
    }

    /** A synthetic night of a site's channel layout (deterministic). */
    public static InMemoryRecording night(Site site, double seconds, long seed) {
        SubjectProfile s = SubjectProfile.sample("sub-" + seed, site, new SynthRandom(seed), false);
        return SyntheticNight.generate(s, seconds / 3600.0, seed).recording();
    }
}

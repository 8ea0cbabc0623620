package ai.hypnos.examples;

import ai.djl.Device;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.bundle.RandomBundle;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.transformer.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@code tiny} bundle with random weights, so that every example runs in seconds on any
 * machine without downloading anything.
 *
 * <p>The bundle has exactly the layout of the published one ({@code hypnos.safetensors}: the
 * RQ-Transformer under {@code model/…}, one tokenizer per signal type under {@code tok/<stem>/…},
 * the config JSON in the metadata) and all eight modalities, but the {@code tiny} sizes (width
 * 32, two blocks) and untrained weights. Its embeddings are deterministic random features of the
 * signals: fine for learning the API, meaningless as physiology. For real work pass a trained
 * bundle instead ({@code hypnos quickstart}, {@code hypnos pretrain} or
 * {@code hypnos fetch-weights}).
 */
public final class TinyBundle {
    private TinyBundle() {
    }

    /** Writes a random {@code tiny} bundle (float32 weights) to {@code file}; the same seed gives the same bytes. */
    public static Path write(Path file, long seed) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        // Random weights for the transformer preset and the tokenizer preset of the same size,
        // initialised on the CPU only to be written out (the examples load them on -Dhypnos.device).
        try (Bundle bundle = RandomBundle.builder(Preset.TINY::builder, TokenizerPreset.TINY)
                .seed(seed)
                .build(Device.cpu())) {
            BundleWriter.write(file, bundle, SafetensorsDtype.F32);
        }
        return file;
    }
}

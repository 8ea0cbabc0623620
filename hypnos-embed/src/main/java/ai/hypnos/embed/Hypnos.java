package ai.hypnos.embed;

import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleReader;
import ai.hypnos.embed.hub.HubOptions;
import ai.hypnos.embed.hub.HubRepo;
import ai.hypnos.embed.hub.WeightsCache;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Entry point: loads a Hypnos model from a weight bundle.
 *
 * <pre>{@code
 * try (HypnosModel model = Hypnos.load("joncarter/hypnos", LoadOptions.defaults().withNotchHz(60))) {
 *     Embeddings e = model.embed(Path.of("night.edf"));
 *     float[] z = e.modality("eeg_c3");          // [S·D], one D-vector per second
 *     e.writeNpz(Path.of("night-emb.npz"));
 * }
 * }</pre>
 *
 * <p>A bundle is named by a path to a {@code .safetensors} file, a folder holding
 * {@code hypnos.safetensors}, or a Hugging Face Hub repository id ({@code owner/name} or
 * {@code hf://owner/name}) that is fetched into the local cache once ({@code docs/weights.md}).
 */
public final class Hypnos {
    /** The published weights on the Hub. */
    public static final String DEFAULT_REPO = HubOptions.DEFAULT_REPO;

    private Hypnos() {
    }

    /** Loads a bundle file or folder with default options (CPU, fp32, notch 50 Hz). */
    public static HypnosModel load(Path bundle) throws IOException {
        return load(bundle, LoadOptions.defaults());
    }

    /** Loads a bundle file or a folder holding {@code hypnos.safetensors}. */
    public static HypnosModel load(Path bundle, LoadOptions options) throws IOException {
        Path file = Files.isDirectory(bundle) ? bundle.resolve(options.hub().filename()) : bundle;
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("no bundle at " + file);
        }
        Bundle b = BundleReader.read(file, options.device(), options.precision().dataType(),
                options.tokenizerChunkTokens());
        try {
            return new HypnosModel(b, options);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /** Loads a path or Hub repository with default options. */
    public static HypnosModel load(String repoOrPath) throws IOException {
        return load(repoOrPath, LoadOptions.defaults());
    }

    /**
     * Loads an existing path, else a Hub repository id through the cache (downloading it once,
     * unless offline).
     */
    public static HypnosModel load(String repoOrPath, LoadOptions options) throws IOException {
        return load(locate(repoOrPath, options.hub()), options);
    }

    /** The local file a path or repository id names (fetching a repository into the cache if needed). */
    public static Path locate(String repoOrPath, HubOptions hub) throws IOException {
        Path p = Path.of(repoOrPath);
        if (Files.exists(p)) {
            return p;
        }
        // A mistyped local file must not turn into a download attempt.
        boolean looksLikeFile = repoOrPath.endsWith(".safetensors") || repoOrPath.startsWith(".")
                || repoOrPath.startsWith("/") || repoOrPath.startsWith("~");
        Optional<HubRepo> repo = looksLikeFile ? Optional.empty() : HubRepo.parse(repoOrPath);
        if (repo.isEmpty()) {
            throw new FileNotFoundException("'" + repoOrPath + "' is neither an existing bundle path nor a Hub "
                    + "repository id (owner/name)");
        }
        return WeightsCache.resolve(repo.get(), hub);
    }
}

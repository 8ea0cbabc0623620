package ai.hypnos.embed.hub;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cache of published bundles and the way files get into it.
 *
 * <pre>{@code
 * Path bundle = WeightsCache.resolve(HubRepo.parse("joncarter/hypnos").get(), HubOptions.defaults());
 * }</pre>
 *
 * <p>A bundle lives at {@code <cacheDir>/<owner>/<name>/<revision>/<filename>}, with its SHA-256
 * in {@code <filename>.sha256} ({@code sha256sum} format) and a {@code serving.properties} that
 * lets DJL's {@code Criteria.optModelPath} load the folder with the Hypnos engine and translator.
 * A cached file is used as is (no network): {@link #resolve} downloads only what is missing, while
 * {@link #fetch} always downloads again (what {@code hypnos fetch-weights --force} uses).
 */
public final class WeightsCache {
    private static final Logger LOG = LoggerFactory.getLogger(WeightsCache.class);

    /** Written next to downloaded bundles so that DJL picks our engine and translator for the folder. */
    public static final String SERVING_PROPERTIES = "engine=Hypnos\n"
            + "translatorFactory=ai.hypnos.embed.djl.HypnosTranslatorFactory\n";

    private WeightsCache() {
    }

    /** Where the cache keeps a repository's bundle (whether or not it is there). */
    public static Path location(HubRepo repo, HubOptions options) {
        String rev = options.revision().replace("/", "--");
        return options.cacheDir().resolve(repo.owner()).resolve(repo.name()).resolve(rev).resolve(options.filename());
    }

    /** The cached bundle, if present. */
    public static Optional<Path> cached(HubRepo repo, HubOptions options) {
        Path p = location(repo, options);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** The URL of a file on the Hub: {@code <base>/<owner>/<name>/resolve/<revision>/<filename>}. */
    public static URI url(HubRepo repo, HubOptions options) {
        String rev = URLEncoder.encode(options.revision(), StandardCharsets.UTF_8);
        String file = URLEncoder.encode(options.filename(), StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(options.baseUrl() + "/" + repo.owner() + "/" + repo.name() + "/resolve/" + rev + "/" + file);
    }

    /**
     * The cached bundle, downloading it first when it is missing.
     *
     * @throws FileNotFoundException offline with nothing cached
     */
    public static Path resolve(HubRepo repo, HubOptions options) throws IOException {
        Optional<Path> hit = cached(repo, options);
        if (hit.isPresent()) {
            LOG.debug("using cached {}", hit.get());
            return hit.get();
        }
        if (options.offline()) {
            throw new FileNotFoundException(repo + "@" + options.revision() + " is not in the cache "
                    + location(repo, options) + " and downloads are off (HYPNOS_OFFLINE / HF_HUB_OFFLINE): run "
                    + "'hypnos fetch-weights --repo " + repo + "' with network access, or copy the bundle there");
        }
        // Another thread or process may be downloading the same bundle right now: the downloader
        // waits for it and then keeps its file instead of fetching a second copy.
        return fetch(repo, options, location(repo, options), false);
    }

    /**
     * Downloads a repository's bundle to {@code target} (resumable, verified, atomic) and writes
     * the checksum file and {@code serving.properties} next to it. An existing {@code target} is
     * downloaded again, unless another thread or process replaced it while this call waited for
     * the target's download lock.
     */
    public static Path fetch(HubRepo repo, HubOptions options, Path target) throws IOException {
        return fetch(repo, options, target, true);
    }

    private static Path fetch(HubRepo repo, HubOptions options, Path target, boolean replace) throws IOException {
        if (options.offline()) {
            throw new IOException("downloads are off (HYPNOS_OFFLINE / HF_HUB_OFFLINE); cannot fetch " + repo);
        }
        URI url = url(repo, options);
        new HttpDownloader(options).download(url, target, replace);
        Path props = target.resolveSibling("serving.properties");
        if (!Files.exists(props)) {
            // Atomic, as concurrent fetches of one bundle may both get here: DJL must never read a
            // half-written file.
            HttpDownloader.writeAtomically(props, SERVING_PROPERTIES);
        }
        return target;
    }

    /** The SHA-256 of a file (lower-case hex), e.g. to pin {@link HubOptions#withSha256}. */
    public static String sha256(Path file) throws IOException {
        return HttpDownloader.sha256(file);
    }
}

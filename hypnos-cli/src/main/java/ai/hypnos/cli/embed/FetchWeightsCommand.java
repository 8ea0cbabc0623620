package ai.hypnos.cli.embed;

import ai.hypnos.embed.bundle.BundleConfig;
import ai.hypnos.embed.bundle.BundleReader;
import ai.hypnos.embed.hub.HubOptions;
import ai.hypnos.embed.hub.HubRepo;
import ai.hypnos.embed.hub.ProgressBarDownloadListener;
import ai.hypnos.embed.hub.WeightsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos fetch-weights}: downloads a published bundle from the Hugging Face Hub into the
 * cache (or a folder), resuming an interrupted download and verifying its SHA-256; then checks
 * that it parses as a bundle. See {@code docs/weights.md}.
 */
@Command(name = "fetch-weights", mixinStandardHelpOptions = true,
        description = "Download a Hypnos weight bundle from the Hugging Face Hub (resumable, checksum-verified).")
public final class FetchWeightsCommand implements Callable<Integer> {

    @Option(names = "--repo", defaultValue = HubOptions.DEFAULT_REPO, paramLabel = "OWNER/NAME",
            description = "Hub repository (default ${DEFAULT-VALUE}).")
    String repo;

    @Option(names = "--revision", defaultValue = "main", paramLabel = "REV",
            description = "Branch, tag or commit (default main).")
    String revision;

    @Option(names = "--file", defaultValue = HubOptions.DEFAULT_FILENAME, paramLabel = "NAME",
            description = "File in the repository (default ${DEFAULT-VALUE}).")
    String file;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder to download into (default: the cache, $HYPNOS_CACHE or ~/.cache/hypnos).")
    Path out;

    @Option(names = "--sha256", paramLabel = "HEX",
            description = "Expected SHA-256 (default: the Hub's X-Linked-Etag of the file).")
    String sha256;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Hub address (default $HF_ENDPOINT or https://huggingface.co).")
    String baseUrl;

    @Option(names = "--force", description = "Download again even if the file is already there.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        HubRepo r = HubRepo.parse(repo).orElseThrow(
                () -> new IllegalArgumentException("--repo must be owner/name, got '" + repo + "'"));
        HubOptions o = HubOptions.defaults().withRevision(revision).withFilename(file)
                .withListener(new ProgressBarDownloadListener()).withOffline(false);
        if (sha256 != null) {
            o = o.withSha256(sha256);
        }
        if (baseUrl != null) {
            o = o.withBaseUrl(baseUrl);
        }
        Path target = out == null ? WeightsCache.location(r, o) : out.resolve(file);
        if (Files.isRegularFile(target) && !force) {
            System.out.println("already present: " + target + " (use --force to download again)");
        } else {
            WeightsCache.fetch(r, o, target);
        }
        BundleConfig c = BundleReader.readConfig(target);
        System.out.println(target + ": sha256 " + WeightsCache.sha256(target) + ", modalities " + c.modalityNames()
                + ", tokenizers " + c.tokenizers().keySet());
        return 0;
    }
}

package ai.hypnos.embed.hub;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where published bundles come from and where they are kept. Immutable; {@code with…} methods
 * return a changed copy.
 *
 * <ul>
 *   <li>{@code baseUrl}: the Hugging Face Hub, {@code https://huggingface.co} (or {@code HF_ENDPOINT});
 *       a file is fetched from {@code <baseUrl>/<repo>/resolve/<revision>/<filename>}.</li>
 *   <li>{@code revision}: branch, tag or commit ({@code main}).</li>
 *   <li>{@code filename}: {@code hypnos.safetensors}.</li>
 *   <li>{@code cacheDir}: {@code $HYPNOS_CACHE}, else {@code ~/.cache/hypnos}; a bundle lives at
 *       {@code <cacheDir>/<owner>/<name>/<revision>/<filename>}.</li>
 *   <li>{@code offline}: never touch the network ({@code HYPNOS_OFFLINE=1} or {@code HF_HUB_OFFLINE=1});
 *       a bundle must then be in the cache.</li>
 *   <li>{@code sha256}: the expected SHA-256 of the file; when absent the Hub's
 *       {@code X-Linked-Etag} (the SHA-256 of an LFS file) is used, if it is one.</li>
 *   <li>{@code token}: a Hub access token for private repositories ({@code HF_TOKEN}); never logged.</li>
 *   <li>{@code maxAttempts}: transfers tried before giving up (each resumes where the last stopped).</li>
 *   <li>{@code readTimeoutMillis}: a transfer that stalls this long is abandoned and resumed (60 s).</li>
 * </ul>
 */
public final class HubOptions {
    /** The Hugging Face Hub. */
    public static final String DEFAULT_BASE_URL = "https://huggingface.co";
    /** The published weights. */
    public static final String DEFAULT_REPO = "joncarter/hypnos";
    /** The published bundle's file name. */
    public static final String DEFAULT_FILENAME = "hypnos.safetensors";

    private final String baseUrl;
    private final String revision;
    private final String filename;
    private final Path cacheDir;
    private final boolean offline;
    private final String sha256;
    private final String token;
    private final int maxAttempts;
    private final int readTimeoutMillis;
    private final DownloadListener listener;

    private HubOptions(String baseUrl, String revision, String filename, Path cacheDir, boolean offline, String sha256,
            String token, int maxAttempts, int readTimeoutMillis, DownloadListener listener) {
        this.baseUrl = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.revision = Objects.requireNonNull(revision, "revision");
        this.filename = Objects.requireNonNull(filename, "filename");
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.offline = offline;
        this.sha256 = sha256 == null ? null : sha256.trim().toLowerCase(Locale.ROOT);
        this.token = token;
        this.maxAttempts = maxAttempts;
        this.readTimeoutMillis = readTimeoutMillis;
        this.listener = Objects.requireNonNull(listener, "listener");
        if (this.sha256 != null && !this.sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "'");
        }
        if (readTimeoutMillis < 1) {
            throw new IllegalArgumentException("read timeout must be >= 1 ms, got " + readTimeoutMillis);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (revision.isBlank() || filename.isBlank() || filename.contains("/") || filename.contains("\\")) {
            throw new IllegalArgumentException("bad revision '" + revision + "' or file name '" + filename + "'");
        }
    }

    /** The defaults, with the environment variables above applied. */
    public static HubOptions defaults() {
        String base = env("HF_ENDPOINT");
        String cache = env("HYPNOS_CACHE");
        boolean offline = truthy(env("HYPNOS_OFFLINE")) || truthy(env("HF_HUB_OFFLINE"));
        return new HubOptions(base == null ? DEFAULT_BASE_URL : base, "main", DEFAULT_FILENAME,
                cache == null ? Path.of(System.getProperty("user.home"), ".cache", "hypnos") : Path.of(cache),
                offline, null, env("HF_TOKEN"), 5, 60_000, new LoggingDownloadListener());
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public HubOptions withBaseUrl(String url) {
        return new HubOptions(url, revision, filename, cacheDir, offline, sha256, token, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withRevision(String rev) {
        return new HubOptions(baseUrl, rev, filename, cacheDir, offline, sha256, token, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withFilename(String name) {
        return new HubOptions(baseUrl, revision, name, cacheDir, offline, sha256, token, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withCacheDir(Path dir) {
        return new HubOptions(baseUrl, revision, filename, dir, offline, sha256, token, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withOffline(boolean off) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, off, sha256, token, maxAttempts, readTimeoutMillis, listener);
    }

    /** The expected SHA-256 (64 hex digits), or {@code null} to trust the Hub's. */
    public HubOptions withSha256(String hex) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, offline, hex, token, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withToken(String t) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, offline, sha256, t, maxAttempts, readTimeoutMillis, listener);
    }

    public HubOptions withMaxAttempts(int n) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, offline, sha256, token, n, readTimeoutMillis, listener);
    }

    /** Milliseconds without data after which a transfer is abandoned and resumed (default 60 s). */
    public HubOptions withReadTimeoutMillis(int ms) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, offline, sha256, token, maxAttempts, ms, listener);
    }

    public HubOptions withListener(DownloadListener l) {
        return new HubOptions(baseUrl, revision, filename, cacheDir, offline, sha256, token, maxAttempts, readTimeoutMillis, l);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String revision() {
        return revision;
    }

    public String filename() {
        return filename;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public boolean offline() {
        return offline;
    }

    /** The expected SHA-256, or {@code null}. */
    public String sha256() {
        return sha256;
    }

    /** The access token, or {@code null}. */
    public String token() {
        return token;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    public DownloadListener listener() {
        return listener;
    }

    @Override
    public String toString() {
        return "HubOptions[" + baseUrl + ", revision " + revision + ", " + filename + ", cache " + cacheDir
                + (offline ? ", offline" : "") + (sha256 != null ? ", sha256 " + sha256 : "")
                + (token != null ? ", token set" : "") + "]";
    }
}

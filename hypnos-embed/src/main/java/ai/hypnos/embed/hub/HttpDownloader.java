package ai.hypnos.embed.hub;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file over HTTP(S) the way a multi-gigabyte weight file needs it:
 * <ul>
 *   <li>into {@code <target>.part}, renamed over the target only when complete and verified, so a
 *       reader never sees a partial bundle;</li>
 *   <li>resumed with an HTTP {@code Range} request after a dropped connection (within one call,
 *       up to {@link HubOptions#maxAttempts()} transfers) or a killed process (the next call
 *       finds the {@code .part} file);</li>
 *   <li>verified against a SHA-256: the caller's, else the Hub's {@code X-Linked-Etag} (the
 *       SHA-256 of an LFS file); a mismatch deletes the partial file and fails;</li>
 *   <li>redirects followed by hand, so the access token is sent to the Hub only, never to the CDN
 *       it redirects to;</li>
 *   <li>one process at a time per target ({@code <target>.lock}).</li>
 * </ul>
 */
final class HttpDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);
    private static final int MAX_REDIRECTS = 8;

    private final HubOptions options;
    private final HttpClient client;

    HttpDownloader(HubOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** What a {@code HEAD} request said about the file. */
    record Head(URI location, long size, String sha256) {
    }

    /** An HTTP status that retrying will not fix. */
    static final class HttpStatusException extends IOException {
        HttpStatusException(String message) {
            super(message);
        }
    }

    /**
     * Downloads {@code url} to {@code target} (atomically) and returns the file's SHA-256.
     */
    String download(URI url, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.lock()) {
            return downloadLocked(url, target);
        } finally {
            Files.deleteIfExists(lockFile);
        }
    }

    private String downloadLocked(URI url, Path target) throws IOException {
        Head head = head(url);
        String expected = options.sha256() != null ? options.sha256() : head.sha256();
        if (expected == null) {
            LOG.warn("{}: the server gives no SHA-256 and none was provided; the file is not verified", url);
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        String name = target.getFileName().toString();
        for (int attempt = 1; ; attempt++) {
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (head.size() >= 0 && have > head.size()) {
                Files.delete(part);
                have = 0;
            }
            if (head.size() >= 0 && have == head.size()) {
                break;
            }
            options.listener().started(name, have, head.size());
            try {
                boolean complete = transfer(head.location(), part, have, head.size());
                if (complete) {
                    break;
                }
                throw new IOException("connection closed after " + Files.size(part) + " of " + head.size() + " bytes");
            } catch (HttpStatusException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= options.maxAttempts()) {
                    throw new IOException("download of " + url + " failed after " + attempt + " attempts ("
                            + e.getMessage() + "); " + (Files.exists(part) ? Files.size(part) : 0)
                            + " bytes are kept in " + part + " and the next run resumes from there", e);
                }
                LOG.warn("{}: transfer interrupted at {} bytes ({}); resuming (attempt {} of {})", name,
                        Files.exists(part) ? Files.size(part) : 0, e.getMessage(), attempt + 1, options.maxAttempts());
                pause(attempt);
            } finally {
                options.listener().finished();
            }
        }
        String found = sha256(part);
        if (expected != null && !expected.equals(found)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException(url, expected, found);
        }
        Files.writeString(target.resolveSibling(name + ".sha256"), found + "  " + name + "\n");
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("{} downloaded to {} (sha256 {}{})", url, target, found, expected == null ? ", not verified" : ", verified");
        return found;
    }

    /** Follows redirects by hand on a HEAD request and collects size and checksum headers. */
    Head head(URI url) throws IOException {
        URI uri = url;
        long size = -1;
        String sha = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(uri, url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            int code = r.statusCode();
            // The Hub's first answer (a redirect for LFS files) carries the file's SHA-256 and size.
            sha = sha != null ? sha : sha256Header(r).orElse(null);
            if (size < 0) {
                size = r.headers().firstValueAsLong("x-linked-size").orElse(-1);
            }
            if (code >= 300 && code < 400) {
                uri = uri.resolve(r.headers().firstValue("location")
                        .orElseThrow(() -> new HttpStatusException(url + ": HTTP " + code + " without a Location")));
                continue;
            }
            check(code, uri);
            if (size < 0) {
                size = r.headers().firstValueAsLong("content-length").orElse(-1);
            }
            return new Head(uri, size, sha);
        }
        throw new HttpStatusException(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** One GET from {@code have} to the end; true when the body ended at the expected size. */
    private boolean transfer(URI uri, Path part, long have, long size) throws IOException {
        URI at = uri;
        HttpResponse<InputStream> r = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(at, uri).GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            int code = r.statusCode();
            if (code >= 300 && code < 400) {
                r.body().close();
                at = at.resolve(r.headers().firstValue("location")
                        .orElseThrow(() -> new HttpStatusException(uri + ": HTTP " + code + " without a Location")));
                continue;
            }
            break;
        }
        int code = r.statusCode();
        boolean append;
        if (code == 206) {
            String range = r.headers().firstValue("content-range").orElse("");
            if (!range.startsWith("bytes " + have + "-")) {
                r.body().close();
                throw new IOException("server answered range " + range + " to a request from byte " + have);
            }
            append = true;
        } else if (code == 200) {
            append = false;
            if (have > 0) {
                LOG.info("{}: the server ignores Range requests; starting over", at);
            }
        } else if (code == 416) {
            r.body().close();
            Files.deleteIfExists(part);
            throw new IOException("server refused the range from byte " + have + "; starting over");
        } else {
            r.body().close();
            check(code, at);
            throw new HttpStatusException(at + ": unexpected HTTP " + code);
        }
        long done = append ? have : 0;
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = r.body();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                done += n;
                options.listener().progress(done);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("download interrupted");
                }
            }
        }
        return size < 0 || done == size;
    }

    private HttpRequest.Builder request(URI uri, URI origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
                .header("User-Agent", "hypnos-java");
        // The token goes to the Hub itself only, not to a CDN it redirects to.
        if (options.token() != null && sameHost(uri, origin)) {
            b.header("Authorization", "Bearer " + options.token());
        }
        return b;
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while talking to " + request.uri());
        }
    }

    private static void check(int code, URI uri) throws IOException {
        if (code == 404) {
            throw new FileNotFoundException(uri + ": HTTP 404 (no such repository, revision or file)");
        }
        if (code == 401 || code == 403) {
            throw new HttpStatusException(uri + ": HTTP " + code + " (a private or gated repository needs an access "
                    + "token: set HF_TOKEN)");
        }
        if (code >= 400 && code < 500) {
            throw new HttpStatusException(uri + ": HTTP " + code);
        }
        if (code >= 500) {
            throw new IOException(uri + ": HTTP " + code + " (server error)");
        }
    }

    /** The SHA-256 in {@code X-Linked-Etag} (LFS files on the Hub), if the header holds one. */
    private static Optional<String> sha256Header(HttpResponse<?> r) {
        for (String h : new String[] {"x-linked-etag", "etag"}) {
            Optional<String> v = r.headers().firstValue(h);
            if (v.isPresent()) {
                String s = v.get().trim();
                if (s.startsWith("W/")) {
                    s = s.substring(2);
                }
                s = s.replace("\"", "").toLowerCase(Locale.ROOT);
                if (s.matches("[0-9a-f]{64}")) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** SHA-256 of a file as lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(Math.min(5_000L, 250L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to resume");
        }
    }
}

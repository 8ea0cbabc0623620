package ai.hypnos.embed.hub;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    HttpDownloader(HubOptions options) {
        this.options = options;
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
            HttpURLConnection c = open(uri, url, "HEAD");
            try {
                int code = c.getResponseCode();
                // The Hub's first answer (a redirect for LFS files) carries the file's SHA-256 and size.
                sha = sha != null ? sha : sha256Header(c).orElse(null);
                if (size < 0) {
                    size = longHeader(c, "X-Linked-Size");
                }
                if (code >= 300 && code < 400) {
                    uri = redirect(c, uri);
                    continue;
                }
                check(code, uri);
                if (size < 0) {
                    size = longHeader(c, "Content-Length");
                }
                return new Head(uri, size, sha);
            } finally {
                c.disconnect();
            }
        }
        throw new HttpStatusException(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** One GET from {@code have} to the end; true when the body ended at the expected size. */
    private boolean transfer(URI uri, Path part, long have, long size) throws IOException {
        URI at = uri;
        HttpURLConnection c = null;
        int code = -1;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            c = open(at, uri, "GET");
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            code = c.getResponseCode();
            if (code >= 300 && code < 400) {
                URI next = redirect(c, at);
                c.disconnect();
                at = next;
                continue;
            }
            break;
        }
        try {
            boolean append;
            if (code == 206) {
                String range = c.getHeaderField("Content-Range");
                if (range == null || !range.startsWith("bytes " + have + "-")) {
                    throw new IOException("server answered range " + range + " to a request from byte " + have);
                }
                append = true;
            } else if (code == 200) {
                append = false;
                if (have > 0) {
                    LOG.info("{}: the server ignores Range requests; starting over", at);
                }
            } else if (code == 416) {
                Files.deleteIfExists(part);
                throw new IOException("server refused the range from byte " + have + "; starting over");
            } else {
                check(code, at);
                throw new HttpStatusException(at + ": unexpected HTTP " + code);
            }
            long done = append ? have : 0;
            StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            try (InputStream in = c.getInputStream();
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
        } finally {
            c.disconnect();
        }
    }

    /**
     * A connection with connect and read timeouts (a stalled transfer fails and is resumed
     * instead of hanging) and no automatic redirects.
     */
    private HttpURLConnection open(URI uri, URI origin, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(30_000);
        c.setReadTimeout(options.readTimeoutMillis());
        c.setRequestMethod(method);
        c.setRequestProperty("User-Agent", "hypnos-java");
        c.setRequestProperty("Accept-Encoding", "identity");
        // The token goes to the Hub itself only, not to a CDN it redirects to.
        if (options.token() != null && sameHost(uri, origin)) {
            c.setRequestProperty("Authorization", "Bearer " + options.token());
        }
        return c;
    }

    private static URI redirect(HttpURLConnection c, URI from) throws IOException {
        String location = c.getHeaderField("Location");
        if (location == null) {
            throw new HttpStatusException(from + ": HTTP " + c.getResponseCode() + " without a Location");
        }
        return from.resolve(location);
    }

    private static long longHeader(HttpURLConnection c, String name) {
        String v = c.getHeaderField(name);
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
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
    private static Optional<String> sha256Header(HttpURLConnection c) {
        for (String h : new String[] {"X-Linked-Etag", "ETag"}) {
            Optional<String> v = Optional.ofNullable(c.getHeaderField(h));
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

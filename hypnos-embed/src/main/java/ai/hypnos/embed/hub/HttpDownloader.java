package ai.hypnos.embed.hub;

import ai.hypnos.core.io.AtomicFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file over HTTP(S) the way a multi-gigabyte weight file needs it:
 * <ul>
 *   <li>into {@code <target>.part}, renamed over the target only when complete and verified, so a
 *       reader never sees a partial bundle;</li>
 *   <li>resumed with an HTTP {@code Range} request after a dropped connection (within one call,
 *       up to {@link HubOptions#maxAttempts()} transfers) or a killed process (the next call
 *       finds the {@code .part} file). What a {@code .part} holds is recorded in
 *       {@code <target>.part.meta} (the expected SHA-256 or the Hub's ETag, and the ETag of the
 *       response that wrote the bytes); a {@code .part} of other content is discarded, and a
 *       resume carries {@code If-Range}, so bytes of two revisions are never spliced together;</li>
 *   <li>verified against a SHA-256: the caller's, else the Hub's {@code X-Linked-Etag} (the
 *       SHA-256 of an LFS file); a mismatch deletes the partial file and fails;</li>
 *   <li>redirects followed by hand, so the access token is sent to the Hub only, never to the CDN
 *       it redirects to. Size and checksum come from the Hub's own answer, and every transfer
 *       asks the Hub again for the CDN link: those links are signed and expire, so one resolved
 *       before a dropped connection may be refused (HTTP 403) by the time of the retry;</li>
 *   <li>one download at a time per target: a lock per target path within the JVM plus a file lock
 *       on {@code <target>.lock} between processes. Whoever gets the lock second finds the
 *       finished file and does not download it again.</li>
 * </ul>
 */
final class HttpDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);
    private static final int MAX_REDIRECTS = 8;

    /**
     * In-JVM locks by normalised absolute target. A {@link FileLock} is held by the whole JVM:
     * a second thread's {@code lock()} on the same file throws
     * {@link java.nio.channels.OverlappingFileLockException} instead of waiting, so threads queue
     * here first. Entries are never removed: one small lock per distinct target is cheap, and
     * removing one while a thread is about to wait on it would let two threads in at once.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final HubOptions options;

    HttpDownloader(HubOptions options) {
        this.options = options;
    }

    /**
     * What the Hub's own answer to a {@code HEAD} said about the file.
     *
     * @param size   bytes, or -1 when unknown
     * @param sha256 the file's SHA-256 if the Hub gives it ({@code X-Linked-Etag} of an LFS file)
     * @param etag   the Hub's ETag as sent (identifies the content when no SHA-256 is known), or null
     */
    record Head(long size, String sha256, String etag) {
    }

    /** An HTTP status that retrying will not fix. */
    static final class HttpStatusException extends IOException {
        HttpStatusException(String message) {
            super(message);
        }
    }

    /**
     * Downloads {@code url} to {@code target} (atomically) and returns the file's SHA-256.
     *
     * @param replace false: a target that exists once the lock is held is kept (the cache's
     *                "download if missing"); true: it is downloaded again, unless another thread
     *                or process replaced it while this call waited for the lock
     */
    String download(URI url, Path target, boolean replace) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Stamp before = Stamp.of(abs);
        ReentrantLock local = LOCKS.computeIfAbsent(abs, k -> new ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the download lock of " + abs);
        }
        try {
            // The lock file is never deleted: a process waiting on it holds the old inode, and a
            // new one would create a fresh file and lock that, so both would "hold the lock".
            Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                Stamp now = Stamp.of(abs);
                if (now != null && (!replace || !now.equals(before))) {
                    Optional<String> sha = existing(abs);
                    if (sha.isPresent()) {
                        LOG.info("{} is already there (sha256 {}); not downloading it again", abs, sha.get());
                        return sha.get();
                    }
                }
                return downloadLocked(url, abs);
            }
        } finally {
            local.unlock();
        }
    }

    /**
     * The SHA-256 of a finished target another call left, if it is the file wanted: it must
     * match the caller's SHA-256 when one is given. Otherwise the downloader that wrote it
     * verified it, and its {@code .sha256} file is trusted rather than hashing gigabytes again.
     */
    private Optional<String> existing(Path target) throws IOException {
        Path sidecar = target.resolveSibling(target.getFileName() + ".sha256");
        String recorded = null;
        if (Files.isRegularFile(sidecar)) {
            String[] words = Files.readString(sidecar).trim().split("\\s+");
            if (words.length > 0 && words[0].matches("[0-9a-f]{64}")) {
                recorded = words[0];
            }
        }
        if (options.sha256() == null) {
            return Optional.of(recorded != null ? recorded : sha256(target));
        }
        String found = sha256(target);
        if (options.sha256().equals(found)) {
            return Optional.of(found);
        }
        LOG.warn("{} has sha256 {}, not the expected {}; downloading it again", target, found, options.sha256());
        return Optional.empty();
    }

    private String downloadLocked(URI url, Path target) throws IOException {
        Head head = head(url);
        String expected = options.sha256() != null ? options.sha256() : head.sha256();
        if (expected == null) {
            LOG.warn("{}: the server gives no SHA-256 and none was provided; the file is not verified", url);
        }
        String name = target.getFileName().toString();
        Path part = target.resolveSibling(name + ".part");
        Path metaFile = target.resolveSibling(name + ".part.meta");
        PartMeta meta = new PartMeta(expected, head.etag(), null);
        if (Files.exists(part)) {
            PartMeta had = PartMeta.read(metaFile);
            String why = meta.cannotResume(had);
            if (why != null) {
                LOG.info("{}: discarding {} bytes of an earlier download ({})", name, Files.size(part), why);
                Files.delete(part);
            } else {
                meta = meta.withRangeEtag(had.rangeEtag());
            }
        }
        // Recorded before the first byte goes into the .part, so a killed run always leaves both.
        meta.write(metaFile);
        long size = head.size();
        for (int attempt = 1; ; attempt++) {
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (size >= 0 && have > size) {
                Files.delete(part);
                have = 0;
            }
            if (size >= 0 && have == size) {
                break;
            }
            options.listener().started(name, have, size);
            try {
                Transfer t = transfer(url, part, metaFile, meta, have, size);
                meta = t.meta();
                size = size >= 0 ? size : t.size();
                if (t.complete()) {
                    break;
                }
                throw new IOException("connection closed after " + Files.size(part) + " of " + size + " bytes");
            } catch (HttpStatusException e) {
                throw e;
            } catch (ClosedByInterruptException e) {
                // The .part's channel saw this thread's interrupt: a cancel, not a network failure.
                Thread.currentThread().interrupt();
                InterruptedIOException stop = new InterruptedIOException(name + ": download interrupted at "
                        + (Files.exists(part) ? Files.size(part) : 0) + " bytes, kept in " + part);
                stop.initCause(e);
                throw stop;
            } catch (InterruptedIOException e) {
                if (!(e instanceof SocketTimeoutException)) {
                    // The caller cancelled (an interrupt): stop now, the .part stays for the next
                    // run. Only a read timeout, its subclass, is the network's doing and retried.
                    throw e;
                }
                if (attempt >= options.maxAttempts()) {
                    throw failed(url, part, attempt, e);
                }
                LOG.warn("{}: transfer timed out at {} bytes ({}); resuming (attempt {} of {})", name,
                        Files.exists(part) ? Files.size(part) : 0, e.getMessage(), attempt + 1, options.maxAttempts());
                pause(attempt);
            } catch (IOException e) {
                if (attempt >= options.maxAttempts()) {
                    throw failed(url, part, attempt, e);
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
            Files.deleteIfExists(metaFile);
            throw new ChecksumMismatchException(url, expected, found);
        }
        // An older .sha256 must not describe the new file, not even for a moment.
        Path sidecar = target.resolveSibling(name + ".sha256");
        Files.deleteIfExists(sidecar);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(metaFile);
        writeAtomically(sidecar, found + "  " + name + "\n");
        LOG.info("{} downloaded to {} (sha256 {}{})", url, target, found, expected == null ? ", not verified" : ", verified");
        return found;
    }

    private static IOException failed(URI url, Path part, int attempt, IOException e) throws IOException {
        return new IOException("download of " + url + " failed after " + attempt + " attempts ("
                + e.getMessage() + "); " + (Files.exists(part) ? Files.size(part) : 0)
                + " bytes are kept in " + part + " and the next run resumes from there", e);
    }

    /**
     * Asks the Hub about the file with {@code HEAD}. Redirects within the Hub (a renamed
     * repository) are followed; one to another host (the CDN) is not: the Hub's redirect already
     * carries {@code X-Linked-Size} and {@code X-Linked-Etag}, and signed CDN links are often
     * valid for {@code GET} only.
     */
    Head head(URI url) throws IOException {
        URI uri = url;
        long size = -1;
        String sha = null;
        String etag = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(uri, url, "HEAD");
            try {
                int code = c.getResponseCode();
                sha = sha != null ? sha : sha256Header(c).orElse(null);
                etag = etag != null ? etag : firstHeader(c, "X-Linked-Etag", "ETag");
                if (size < 0) {
                    size = longHeader(c, "X-Linked-Size");
                }
                if (code >= 300 && code < 400) {
                    URI next = redirect(c, uri);
                    if (!sameHost(next, url)) {
                        return new Head(size, sha, etag);
                    }
                    uri = next;
                    continue;
                }
                check(code, uri, url);
                if (size < 0) {
                    size = longHeader(c, "Content-Length");
                }
                return new Head(size, sha, etag);
            } finally {
                c.disconnect();
            }
        }
        throw new HttpStatusException(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** How one transfer ended: at the expected size or not, the size learnt, the .part's record. */
    private record Transfer(boolean complete, long size, PartMeta meta) {
    }

    /**
     * One GET from {@code have} to the end, starting at the Hub URL so that a CDN link is
     * resolved afresh each time.
     */
    private Transfer transfer(URI url, Path part, Path metaFile, PartMeta meta, long have, long size)
            throws IOException {
        URI at = url;
        HttpURLConnection c = null;
        int code = -1;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            c = open(at, url, "GET");
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
                if (strong(meta.rangeEtag())) {
                    // The server sends the whole (new) file instead of a range if the entity changed.
                    c.setRequestProperty("If-Range", meta.rangeEtag());
                }
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
            long total;
            if (code == 206) {
                String range = c.getHeaderField("Content-Range");
                if (range == null || !range.startsWith("bytes " + have + "-")) {
                    throw new IOException("server answered range " + range + " to a request from byte " + have);
                }
                append = true;
                total = parseTotal(range);
            } else if (code == 200) {
                append = false;
                total = longHeader(c, "Content-Length");
                if (have > 0) {
                    LOG.info("{}: the server sent the whole file instead of a range (no Range support, or it "
                            + "changed); starting over", show(at));
                }
            } else if (code == 416) {
                Files.deleteIfExists(part);
                throw new IOException("server refused the range from byte " + have + "; starting over");
            } else {
                check(code, at, url);
                throw new HttpStatusException(show(at) + ": unexpected HTTP " + code);
            }
            if (size >= 0 && total >= 0 && total != size) {
                throw new IOException(show(at) + " serves " + total + " bytes, the Hub announced " + size);
            }
            String etag = c.getHeaderField("ETag");
            PartMeta now = meta.withRangeEtag(strong(etag) ? etag : append ? meta.rangeEtag() : null);
            long expected = size >= 0 ? size : total;
            long done = append ? have : 0;
            StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                // Only now, with the old bytes truncated away (a 200 to a resume): a kill between
                // the two then leaves an empty .part under the old record, never old bytes under
                // the new ETag, which a later resume would splice onto the new version.
                if (!now.equals(meta)) {
                    now.write(metaFile);
                }
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
            return new Transfer(expected < 0 || done == expected, expected, now);
        } finally {
            c.disconnect();
        }
    }

    /** The total in {@code bytes a-b/total}, or -1. */
    private static long parseTotal(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code If-Range} takes strong validators only (RFC 9110 §13.1.5). */
    static boolean strong(String etag) {
        return etag != null && etag.startsWith("\"") && etag.length() > 2;
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

    /**
     * Maps an error status to an exception. A 401/403 from the Hub means the token is missing or
     * lacks access; from the CDN it means the signed link expired or was refused, which the next
     * attempt fixes by asking the Hub for a new one, so that one stays retryable.
     */
    private static void check(int code, URI uri, URI origin) throws IOException {
        if (code == 404) {
            throw new FileNotFoundException(show(uri) + ": HTTP 404 (no such repository, revision or file)");
        }
        if ((code == 401 || code == 403) && sameHost(uri, origin)) {
            throw new HttpStatusException(uri + ": HTTP " + code + " (a private or gated repository needs an access "
                    + "token: set HF_TOKEN)");
        }
        if (code == 401 || code == 403) {
            throw new IOException(show(uri) + ": HTTP " + code
                    + " from the download link the Hub redirected to (signed links expire); asking the Hub again");
        }
        if (code >= 400 && code < 500) {
            throw new HttpStatusException(show(uri) + ": HTTP " + code);
        }
        if (code >= 500) {
            throw new IOException(show(uri) + ": HTTP " + code + " (server error)");
        }
    }

    /** A URL without its query: a CDN link's query is its signature, which has no place in logs. */
    private static String show(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?…");
    }

    /** The first of the headers that is present, as sent. */
    private static String firstHeader(HttpURLConnection c, String... names) {
        for (String h : names) {
            String v = c.getHeaderField(h);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /**
     * Writes a small file through a temporary sibling and an atomic rename. Through
     * {@link AtomicFile}, not {@code Files.createTempFile}: that makes the file owner-only (0600)
     * and the rename keeps it, so the {@code .sha256}, {@code .part.meta} and
     * {@code serving.properties} of a cache shared between users would become unreadable to the
     * others. AtomicFile's temporary file gets the umask's permissions, as a plain write would.
     */
    static void writeAtomically(Path target, String text) throws IOException {
        try (AtomicFile f = AtomicFile.create(target)) {
            f.stream().write(text.getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
    }

    /** Whether a thread waits for the in-JVM download lock of {@code target} (for tests). */
    static boolean queuedFor(Path target) {
        ReentrantLock lock = LOCKS.get(target.toAbsolutePath().normalize());
        return lock != null && lock.hasQueuedThreads();
    }

    /** Identity of a file's current version (null when absent), to see whether it changed. */
    private record Stamp(FileTime modified, long size, Object key) {
        static Stamp of(Path p) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (NoSuchFileException e) {
                return null;
            }
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

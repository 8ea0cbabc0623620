package ai.hypnos.embed.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.TestBundles;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight download against a loopback HTTP server that behaves like the Hugging Face Hub: the
 * {@code resolve} URL answers a redirect carrying {@code X-Linked-Etag} (the SHA-256) and
 * {@code X-Linked-Size} to a signed "CDN" link (a fresh token each time), and the CDN serves the
 * file with {@code Range}, {@code If-Range} and a strong {@code ETag}. Checked: a connection
 * dropped mid-file is resumed (and the bytes match), also when CDN links work once only; a
 * {@code .part} of another version is never continued; two threads fetching one file download it
 * once; a checksum mismatch fails and leaves nothing behind, the cache is used without network
 * afterwards, offline mode refuses to download, and {@code Hypnos.load("owner/name")} goes
 * through the cache.
 */
class WeightsDownloadTest {
    private static final HubRepo REPO = new HubRepo("joncarter", "hypnos");

    @TempDir
    Path dir;

    private HttpServer server;
    private ServerSocket cdn;
    private volatile byte[] file;
    private String sha;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    /** The Range header of every GET the CDN served ("none" without one). */
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    /** The If-Range header of every GET the CDN served ("none" without one). */
    private final List<String> ifRanges = Collections.synchronizedList(new ArrayList<>());
    /** "METHOD token" of every request to the CDN. */
    private final List<String> cdnRequests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger hubGets = new AtomicInteger();
    private final AtomicInteger nextToken = new AtomicInteger();
    /** When set, the Hub sends no X-Linked-Etag (a file whose SHA-256 it does not know). */
    private volatile String advertisedSha;
    /** The CDN's ETag of the current {@link #file}. */
    private volatile String cdnEtag = "\"v1\"";
    /** Signed links: a token works for one GET, and HEAD is refused, as on real CDNs. */
    private volatile boolean singleUseLinks;
    /** The CDN answers 403 to everything. */
    private volatile boolean cdnRefuses;
    /** When set, the CDN waits for it before sending a body. */
    private volatile CountDownLatch gate;

    @BeforeEach
    void serve() throws Exception {
        file = Files.readAllBytes(TestBundles.golden());
        sha = WeightsCache.sha256(TestBundles.golden());
        advertisedSha = sha;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/joncarter/hypnos/resolve/main/hypnos.safetensors", this::resolve);
        server.start();
        cdn = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::blobServer, "test-cdn");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        cdn.close();
    }

    private void resolve(HttpExchange x) throws IOException {
        if (x.getRequestMethod().equals("GET")) {
            hubGets.incrementAndGet();
        }
        if (advertisedSha != null) {
            x.getResponseHeaders().add("X-Linked-Etag", "\"" + advertisedSha + "\"");
        }
        x.getResponseHeaders().add("X-Linked-Size", String.valueOf(file.length));
        x.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getLocalPort() + "/cdn/blob?token="
                + nextToken.incrementAndGet());
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    /**
     * The "CDN": one request per connection on a raw socket, so that a drop is a real closed
     * connection (HttpServer keeps connections alive after a short body).
     */
    private void blobServer() {
        java.util.Set<String> used = new java.util.HashSet<>();
        while (!cdn.isClosed()) {
            try (Socket sock = cdn.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.ISO_8859_1));
                String request = in.readLine();
                String range = null;
                String ifRange = null;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    String lower = line.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("range:")) {
                        range = line.substring(6).trim();
                    } else if (lower.startsWith("if-range:")) {
                        ifRange = line.substring(9).trim();
                    }
                }
                if (request == null) {
                    continue;
                }
                String method = request.substring(0, request.indexOf(' '));
                String token = request.contains("token=") ? request.replaceAll(".*token=(\\d+).*", "$1") : "-";
                cdnRequests.add(method + " " + token);
                OutputStream out = sock.getOutputStream();
                if (cdnRefuses || singleUseLinks && (method.equals("HEAD") || !used.add(token))) {
                    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                if (method.equals("GET")) {
                    ranges.add(range == null ? "none" : range);
                    ifRanges.add(ifRange == null ? "none" : ifRange);
                }
                byte[] body = file;
                // If-Range: the range only while the entity is still the one named, else all of it.
                if (ifRange != null && !ifRange.equals(cdnEtag)) {
                    range = null;
                }
                int from = range == null ? 0 : Integer.parseInt(range.substring(6, range.indexOf('-')));
                int length = body.length - from;
                StringBuilder h = new StringBuilder(range == null ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 206 Partial Content\r\n");
                if (range != null) {
                    h.append("Content-Range: bytes ").append(from).append('-').append(body.length - 1).append('/')
                            .append(body.length).append("\r\n");
                }
                h.append("ETag: ").append(cdnEtag).append("\r\n");
                h.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n\r\n");
                out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (method.equals("HEAD")) {
                    out.flush();
                    continue;
                }
                CountDownLatch g = gate;
                if (g != null) {
                    g.await(30, TimeUnit.SECONDS);
                }
                // A dropped connection: a third of the promised bytes, then the socket closes.
                out.write(body, from, dropsLeft.getAndDecrement() > 0 ? length / 3 : length);
                out.flush();
            } catch (IOException e) {
                // the client went away, or the server socket closed
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private HubOptions options() {
        return HubOptions.defaults().withBaseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withCacheDir(dir.resolve("cache")).withOffline(false).withListener(DownloadListener.silent())
                .withReadTimeoutMillis(20_000);
    }

    @Test
    void droppedConnectionIsResumedWithRange() throws Exception {
        dropsLeft.set(2);
        Path p = WeightsCache.resolve(REPO, options());
        assertEquals(WeightsCache.location(REPO, options()), p);
        assertArrayEquals(file, Files.readAllBytes(p));
        assertEquals("none", ranges.get(0));
        assertTrue(ranges.size() >= 3 && ranges.get(1).startsWith("bytes=") && !ranges.get(1).equals("bytes=0-"),
                "resumed with a Range request: " + ranges);
        assertEquals(sha + "  hypnos.safetensors\n", Files.readString(p.resolveSibling("hypnos.safetensors.sha256")));
        assertTrue(Files.exists(p.resolveSibling("serving.properties")));
        assertFalse(Files.exists(p.resolveSibling("hypnos.safetensors.part")));
        // Nothing else is left: no .part.meta, no temporary file of the .sha256; the lock file stays.
        try (var files = Files.list(p.getParent())) {
            assertEquals(List.of("hypnos.safetensors", "hypnos.safetensors.lock", "hypnos.safetensors.sha256",
                    "serving.properties"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        // A second resolve uses the cache: no request at all, so it works offline too.
        int before = ranges.size();
        assertEquals(p, WeightsCache.resolve(REPO, options()));
        assertEquals(p, WeightsCache.resolve(REPO, options().withOffline(true)));
        assertEquals(before, ranges.size());
    }

    /** A run that stops after one dropped transfer, leaving its .part as a killed process would. */
    private Path interruptedRun() {
        dropsLeft.set(1);
        assertThrows(IOException.class, () -> WeightsCache.resolve(REPO, options().withMaxAttempts(1)));
        Path part = WeightsCache.location(REPO, options()).resolveSibling("hypnos.safetensors.part");
        assertTrue(Files.exists(part));
        ranges.clear();
        ifRanges.clear();
        return part;
    }

    /** The served file with one byte changed in each third: the same size, other content. */
    private void publishNewVersion(boolean withSha) throws Exception {
        byte[] next = file.clone();
        for (int i = 1; i <= 3; i++) {
            next[next.length * i / 4] ^= 0x5a;
        }
        file = next;
        cdnEtag = "\"v2\"";
        advertisedSha = withSha ? sha256(next) : null;
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void partialFileOfAKilledRunIsResumed() throws Exception {
        long have = Files.size(interruptedRun());
        assertTrue(have > 0 && have < file.length);
        Path target = WeightsCache.resolve(REPO, options());
        assertEquals(List.of("bytes=" + have + "-"), ranges);
        assertEquals(List.of("\"v1\""), ifRanges, "the resume names the version its bytes came from");
        assertArrayEquals(file, Files.readAllBytes(target));
        assertFalse(Files.exists(target.resolveSibling("hypnos.safetensors.part.meta")));
    }

    @Test
    void partialFileOfAnotherVersionIsNotContinued() throws Exception {
        interruptedRun();
        publishNewVersion(true);
        Path target = WeightsCache.resolve(REPO, options());
        assertArrayEquals(file, Files.readAllBytes(target));
        assertEquals(List.of("none"), ranges, "the old bytes are discarded, the new file fetched whole");
        assertEquals(sha256(file) + "  hypnos.safetensors\n",
                Files.readString(target.resolveSibling("hypnos.safetensors.sha256")));
    }

    @Test
    void partialFileIsNotSplicedWhenTheServerGivesNoChecksum() throws Exception {
        advertisedSha = null;
        interruptedRun();
        publishNewVersion(false);
        Path target = WeightsCache.resolve(REPO, options());
        // The resume is tried, but If-Range makes the server send the new version whole.
        assertEquals(1, ranges.size());
        assertTrue(ranges.get(0).startsWith("bytes="), ranges.toString());
        assertEquals(List.of("\"v1\""), ifRanges);
        assertArrayEquals(file, Files.readAllBytes(target));
    }

    @Test
    void partialFileWithoutARecordIsDiscarded() throws Exception {
        Path target = WeightsCache.location(REPO, options());
        Files.createDirectories(target.getParent());
        byte[] foreign = new byte[1000];
        java.util.Arrays.fill(foreign, (byte) 7);
        Files.write(target.resolveSibling("hypnos.safetensors.part"), foreign);
        WeightsCache.resolve(REPO, options());
        assertEquals(List.of("none"), ranges);
        assertArrayEquals(file, Files.readAllBytes(target));
    }

    @Test
    void expiringLinksAreResolvedAgainOnEveryAttempt() throws Exception {
        singleUseLinks = true;
        dropsLeft.set(2);
        Path p = WeightsCache.resolve(REPO, options());
        assertArrayEquals(file, Files.readAllBytes(p));
        assertEquals(3, ranges.size(), ranges.toString());
        assertEquals(3, hubGets.get(), "each attempt asks the Hub for a new link");
        assertTrue(cdnRequests.stream().allMatch(r -> r.startsWith("GET ")), "no HEAD to the CDN: " + cdnRequests);
        assertEquals(cdnRequests.size(), cdnRequests.stream().distinct().count(), "no link used twice: " + cdnRequests);
    }

    @Test
    void aRefusedCdnLinkIsRetriedNotBlamedOnTheToken() {
        // Every link the Hub hands out is refused, as an expired signature would be.
        cdnRefuses = true;
        IOException e = assertThrows(IOException.class, () -> WeightsCache.resolve(REPO, options().withMaxAttempts(3)));
        assertTrue(e.getMessage().contains("after 3 attempts") && e.getMessage().contains("403")
                && !e.getMessage().contains("HF_TOKEN"), e.getMessage());
        assertFalse(e.getMessage().contains("token="), "the signed part of the link is not logged: " + e.getMessage());
    }

    @Test
    void twoThreadsFetchingOneFileDownloadItOnce() throws Exception {
        gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch started = new CountDownLatch(2);
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    started.countDown();
                    return WeightsCache.resolve(REPO, options());
                }));
            }
            started.await();
            // One thread's transfer is held at the CDN; the gate opens only once the other waits
            // for the target's lock, so that the second really goes through the lock (and not,
            // arriving late, through the cache check before it).
            Path expected = WeightsCache.location(REPO, options());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!HttpDownloader.queuedFor(expected)) {
                assertTrue(System.nanoTime() < deadline, "no second thread waited for the download lock in 60 s");
                for (Future<Path> f : results) {
                    if (f.isDone()) {
                        f.get(); // a thread failed (or got past the lock): show why
                    }
                }
                Thread.sleep(5);
            }
            gate.countDown();
            for (Future<Path> f : results) {
                assertEquals(expected, f.get(60, TimeUnit.SECONDS));
            }
            assertArrayEquals(file, Files.readAllBytes(expected));
            assertEquals(1, ranges.size(), "fetched once: " + ranges);
            assertEquals(1, hubGets.get());
            assertTrue(Files.exists(expected.resolveSibling("hypnos.safetensors.lock")), "the lock file is kept");
            assertEquals(sha + "  hypnos.safetensors\n",
                    Files.readString(expected.resolveSibling("hypnos.safetensors.sha256")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptStopsTheDownloadAtOnceWithoutRetrying() throws Exception {
        // The caller's thread is interrupted mid-transfer (from the listener: no timing involved).
        DownloadListener interrupting = new DownloadListener() {
            @Override
            public void started(String name, long resumeAt, long total) {
            }

            @Override
            public void progress(long bytes) {
                Thread.currentThread().interrupt();
            }

            @Override
            public void finished() {
            }
        };
        assertTrue(file.length > 1 << 20, "the file is larger than the downloader's 1-MiB read buffer");
        Path target = WeightsCache.location(REPO, options());
        Path part = target.resolveSibling("hypnos.safetensors.part");
        for (int attempts : new int[] {1, 3}) {
            // Each round from scratch: the interrupt comes after the first read of at most
            // 1 MiB, so the .part stays short of the file (1.06 MB) and must be resumed below.
            Files.deleteIfExists(part);
            ranges.clear();
            try {
                IOException e = assertThrows(IOException.class,
                        () -> WeightsCache.resolve(REPO, options().withListener(interrupting).withMaxAttempts(attempts)));
                assertEquals(java.io.InterruptedIOException.class, e.getClass(), "rethrown, not wrapped: " + e);
                assertTrue(e.getMessage().contains("download interrupted"), "not retried: " + e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
            } finally {
                Thread.interrupted();
            }
            assertEquals(List.of("none"), ranges, "one transfer, no retry");
            assertFalse(Files.exists(target));
            assertTrue(Files.exists(part), "kept for the next run");
            assertTrue(Files.size(part) > 0 && Files.size(part) < file.length, Files.size(part) + " bytes");
        }
        // The next call resumes from what the interrupted one kept.
        ranges.clear();
        Path p = WeightsCache.resolve(REPO, options());
        assertArrayEquals(file, Files.readAllBytes(p));
        assertTrue(ranges.size() == 1 && ranges.get(0).startsWith("bytes=") && !ranges.get(0).equals("bytes=0-"),
                ranges.toString());
    }

    @Test
    void writtenSideFilesHaveThePermissionsOfAPlainWrite() throws Exception {
        Path p = WeightsCache.resolve(REPO, options());
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // no POSIX permissions to compare
        }
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        var expected = Files.getPosixFilePermissions(plain);
        for (String side : List.of("hypnos.safetensors.sha256", "serving.properties")) {
            assertEquals(expected, Files.getPosixFilePermissions(p.resolveSibling(side)), side);
        }
        Path meta = dir.resolve("x.part.meta");
        new PartMeta("a".repeat(64), "\"e\"", "\"r\"").write(meta);
        assertEquals(expected, Files.getPosixFilePermissions(meta));
        assertEquals(new PartMeta("a".repeat(64), "\"e\"", "\"r\""), PartMeta.read(meta));
    }

    @Test
    void fetchDownloadsAgainWhileResolveKeepsTheCachedFile() throws Exception {
        Path target = WeightsCache.resolve(REPO, options());
        assertEquals(1, ranges.size());
        WeightsCache.fetch(REPO, options(), target);
        assertEquals(2, ranges.size(), "fetch replaces an existing file (hypnos fetch-weights --force)");
        assertArrayEquals(file, Files.readAllBytes(target));
    }

    @Test
    void checksumMismatchFailsAndLeavesNothing() throws Exception {
        advertisedSha = "0".repeat(64);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> WeightsCache.resolve(REPO, options()));
        assertEquals(sha, e.found());
        Path target = WeightsCache.location(REPO, options());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(target.resolveSibling("hypnos.safetensors.part")));
        // A caller-provided checksum wins over the server's.
        advertisedSha = sha;
        assertThrows(ChecksumMismatchException.class,
                () -> WeightsCache.resolve(REPO, options().withSha256("1".repeat(64))));
        assertEquals(target, WeightsCache.resolve(REPO, options().withSha256(sha)));
    }

    @Test
    void giveUpAfterMaxAttemptsKeepingThePartialFile() {
        dropsLeft.set(100);
        IOException e = assertThrows(IOException.class, () -> WeightsCache.resolve(REPO, options().withMaxAttempts(2)));
        assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
        assertTrue(Files.exists(WeightsCache.location(REPO, options()).resolveSibling("hypnos.safetensors.part")));
    }

    @Test
    void offlineAndMissingRepositories() {
        assertThrows(FileNotFoundException.class, () -> WeightsCache.resolve(REPO, options().withOffline(true)));
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> WeightsCache.resolve(new HubRepo("nobody", "nothing"), options()));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void hypnosLoadOfARepositoryIdUsesTheCache() throws Exception {
        try (HypnosModel m = Hypnos.load("joncarter/hypnos", LoadOptions.defaults().withHub(options()))) {
            assertEquals(4, m.modalities().size());
        }
        assertTrue(Files.exists(WeightsCache.location(REPO, options())));
        assertTrue(HubRepo.parse("hf://joncarter/hypnos").isPresent());
        assertFalse(HubRepo.parse("../etc/passwd").isPresent());
    }
}

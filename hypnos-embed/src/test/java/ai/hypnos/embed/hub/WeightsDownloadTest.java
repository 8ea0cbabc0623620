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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight download against a loopback HTTP server that behaves like the Hugging Face Hub: the
 * {@code resolve} URL answers a redirect carrying {@code X-Linked-Etag} (the SHA-256) and
 * {@code X-Linked-Size}, a "CDN" path serves the file with {@code Range} support. Checked: a
 * connection dropped mid-file is resumed (and the bytes match), a checksum mismatch fails and
 * leaves nothing behind, the cache is used without network afterwards, offline mode refuses to
 * download, and {@code Hypnos.load("owner/name")} goes through the cache.
 */
class WeightsDownloadTest {
    private static final HubRepo REPO = new HubRepo("joncarter", "hypnos");

    @TempDir
    Path dir;

    private HttpServer server;
    private ServerSocket cdn;
    private byte[] file;
    private String sha;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private volatile String advertisedSha;

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
        x.getResponseHeaders().add("X-Linked-Etag", "\"" + advertisedSha + "\"");
        x.getResponseHeaders().add("X-Linked-Size", String.valueOf(file.length));
        x.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getLocalPort() + "/cdn/blob");
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    /**
     * The "CDN": one request per connection on a raw socket, so that a drop is a real closed
     * connection (HttpServer keeps connections alive after a short body).
     */
    private void blobServer() {
        while (!cdn.isClosed()) {
            try (Socket sock = cdn.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.ISO_8859_1));
                String request = in.readLine();
                String range = null;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                        range = line.substring(6).trim();
                    }
                }
                if (request != null && request.startsWith("GET")) {
                    ranges.add(range == null ? "none" : range); // the Range header of every GET
                }
                int from = range == null ? 0 : Integer.parseInt(range.substring(6, range.indexOf('-')));
                int length = file.length - from;
                StringBuilder h = new StringBuilder(range == null ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 206 Partial Content\r\n");
                if (range != null) {
                    h.append("Content-Range: bytes ").append(from).append('-').append(file.length - 1).append('/')
                            .append(file.length).append("\r\n");
                }
                h.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n\r\n");
                OutputStream out = sock.getOutputStream();
                out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (request != null && request.startsWith("HEAD")) {
                    out.flush();
                    continue;
                }
                // A dropped connection: a third of the promised bytes, then the socket closes.
                out.write(file, from, dropsLeft.getAndDecrement() > 0 ? length / 3 : length);
                out.flush();
            } catch (IOException e) {
                // the client went away, or the server socket closed
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
        // A second resolve uses the cache: no request at all, so it works offline too.
        int before = ranges.size();
        assertEquals(p, WeightsCache.resolve(REPO, options()));
        assertEquals(p, WeightsCache.resolve(REPO, options().withOffline(true)));
        assertEquals(before, ranges.size());
    }

    @Test
    void partialFileOfAKilledRunIsResumed() throws Exception {
        Path target = WeightsCache.location(REPO, options());
        Files.createDirectories(target.getParent());
        Files.write(target.resolveSibling("hypnos.safetensors.part"), java.util.Arrays.copyOf(file, 1000));
        WeightsCache.resolve(REPO, options());
        assertEquals("bytes=1000-", ranges.get(0));
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

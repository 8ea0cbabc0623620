package ai.hypnos.embed.hub;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a {@code .part} file holds ({@code <target>.part.meta}): the SHA-256 expected for it
 * and the Hub's ETag when the download started (either identifies the version), and the
 * strong ETag of the response its bytes came from (sent as {@code If-Range} on resume).
 */
record PartMeta(String sha256, String etag, String rangeEtag) {
    PartMeta withRangeEtag(String e) {
        return new PartMeta(sha256, etag, e);
    }

    /** Why a {@code .part} recorded as {@code had} cannot be continued for this version, or null if it can. */
    String cannotResume(PartMeta had) {
        if (had == null) {
            return "no record of what it holds";
        }
        if (sha256 != null) {
            return sha256.equals(had.sha256) ? null
                    : "it holds part of sha256 " + had.sha256 + ", the file wanted is " + sha256;
        }
        if (etag != null && had.etag != null) {
            return etag.equals(had.etag) ? null : "it was for ETag " + had.etag + ", the file now has " + etag;
        }
        // Nothing to compare: only If-Range can make sure the server continues the same version.
        return HttpDownloader.strong(had.rangeEtag) ? null : "nothing identifies the version it holds";
    }

    /** The record in {@code file}, or null when there is none or it cannot be read. */
    static PartMeta read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return new PartMeta(p.getProperty("sha256"), p.getProperty("etag"), p.getProperty("rangeEtag"));
    }

    void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder("# what ").append(file.getFileName().toString().replace(".meta", ""))
                .append(" holds; written by hypnos, do not edit\n");
        line(b, "sha256", sha256);
        line(b, "etag", etag);
        line(b, "rangeEtag", rangeEtag);
        HttpDownloader.writeAtomically(file, b.toString());
    }

    private static void line(StringBuilder b, String key, String value) {
        if (value != null) {
            Properties one = new Properties();
            one.setProperty(key, value);
            StringWriter w = new StringWriter();
            try {
                one.store(w, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringWriter does not fail
            }
            // store() puts a date comment first; keep the escaped key=value line only.
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> b.append(l).append('\n'));
        }
    }
}

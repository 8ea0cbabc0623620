package ai.hypnos.train.shard;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpyDtype;
import ai.hypnos.core.npy.NpyHeader;
import ai.hypnos.train.cohort.CohortEntry;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a token shard and when a shard counts as finished.
 *
 * <p>Per recording {@code <id>}, in the shard folder:
 * <ul>
 *   <li>{@code <id>.tokens.npy}: int16 {@code [S, ΣK]} (numpy: {@code np.load(..., mmap_mode="r")});</li>
 *   <li>{@code <id>.presence.npy}: bool {@code [M]}, in layout order;</li>
 *   <li>{@code <id>.json}: {@link ShardMetadata}, written last.</li>
 * </ul>
 * Each file is written under a temporary name and renamed into place. <b>Finished</b> means: the
 * JSON exists and parses, names this format, the layout and tokenizers asked for, and both arrays
 * exist with the shape it declares; when built for a cohort entry, its recorded subject, split,
 * source and notch also equal the entry's (see {@link ShardMetadata#entryMismatch}). Anything less — arrays without JSON after a kill, a JSON
 * from other tokenizers — is rebuilt; leftover temporary files are removed by
 * {@link #removeTemporaryFiles}.
 */
public final class ShardFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ShardFiles.class);
    /** Suffix of the token array. */
    public static final String TOKENS = ".tokens.npy";
    /** Suffix of the presence array. */
    public static final String PRESENCE = ".presence.npy";
    /** Suffix of the metadata (completion marker). */
    public static final String METADATA = ".json";

    private ShardFiles() {
    }

    /**
     * The bytes of every file of a shard, by file name, in write order (metadata last). Spark
     * writes exactly these through a Hadoop FileSystem; {@link #write} writes them locally.
     */
    public static Map<String, byte[]> encode(TokenShard shard) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(shard.id() + TOKENS, npyBytes(NpyArray.of(shard.tokens(), shard.seconds(), shard.layout().totalK())));
        out.put(shard.id() + PRESENCE, npyBytes(NpyArray.of(shard.presence(), shard.presence().length)));
        out.put(shard.id() + METADATA, ShardMetadata.bytes(shard.metadata()));
        return out;
    }

    private static byte[] npyBytes(NpyArray a) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            Npy.write(b, a);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return b.toByteArray();
    }

    /** Writes a shard into {@code dir}, each file atomically, the metadata last. */
    public static void write(Path dir, TokenShard shard) throws IOException {
        for (Map.Entry<String, byte[]> f : encode(shard).entrySet()) {
            try (AtomicFile out = AtomicFile.create(dir.resolve(f.getKey()))) {
                out.stream().write(f.getValue());
                out.commit();
            }
        }
    }

    /** The metadata file of a shard. */
    public static Path metadataFile(Path dir, String id) {
        return dir.resolve(id + METADATA);
    }

    /** The token file of a shard. */
    public static Path tokensFile(Path dir, String id) {
        return dir.resolve(id + TOKENS);
    }

    /** The presence file of a shard. */
    public static Path presenceFile(Path dir, String id) {
        return dir.resolve(id + PRESENCE);
    }

    /**
     * Whether shard {@code id} in {@code dir} is finished for this layout and these tokenizers
     * (see the class comment). Never throws for a damaged shard: it simply is not finished.
     */
    public static boolean isFinished(Path dir, String id, ShardLayout layout, List<TokenizerIdentity> tokenizers) {
        return isFinished(dir, id, layout, tokenizers, null);
    }

    /**
     * Whether the shard of {@code entry} in {@code dir} is finished for this layout, these
     * tokenizers and this entry: as {@link #isFinished(Path, String, ShardLayout, List)}, and its
     * recorded subject, split, source and notch equal the entry's. A shard that is complete but
     * recorded for other cohort fields is not finished (it is rebuilt), with an INFO log saying
     * which field differs.
     */
    public static boolean isFinished(Path dir, ShardLayout layout, List<TokenizerIdentity> tokenizers,
            CohortEntry entry) {
        return isFinished(dir, entry.id(), layout, tokenizers, entry);
    }

    private static boolean isFinished(Path dir, String id, ShardLayout layout, List<TokenizerIdentity> tokenizers,
            CohortEntry entry) {
        Path json = metadataFile(dir, id);
        if (!Files.isRegularFile(json)) {
            return false;
        }
        try {
            JsonNode meta = ShardMetadata.JSON.readTree(json.toFile());
            if (!ShardMetadata.FORMAT.equals(meta.path("format").asText())
                    || meta.path("format_version").asInt() != ShardMetadata.VERSION
                    || !layout.equals(ShardMetadata.layout(meta))
                    || !tokenizers.equals(ShardMetadata.tokenizers(meta))) {
                return false;
            }
            if (entry != null) {
                String why = ShardMetadata.entryMismatch(meta, entry);
                if (why != null) {
                    LOG.info("{}: rebuilding its shard in {}: {}", id, dir, why);
                    return false;
                }
            }
            int seconds = meta.path("seconds").asInt(-1);
            NpyHeader t = Npy.header(tokensFile(dir, id));
            NpyHeader p = Npy.header(presenceFile(dir, id));
            return t.dtype() == NpyDtype.INT16 && Arrays.equals(t.shape(), new long[] {seconds, layout.totalK()})
                    && Files.size(tokensFile(dir, id)) == t.dataOffset() + t.dataBytes()
                    && p.dtype() == NpyDtype.BOOL && Arrays.equals(p.shape(), new long[] {layout.size()});
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads a shard's metadata. */
    public static JsonNode readMetadata(Path dir, String id) throws IOException {
        Path json = metadataFile(dir, id);
        try {
            return ShardMetadata.JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new HypnosFormatException(json, "json", null, "unreadable shard metadata: " + e.getMessage(), e);
        }
    }

    /** The set-level file with the layout and tokenizers of a shard folder. */
    public static final String LAYOUT_FILE = "shards-layout.json";
    /** The set-level build summary (JSON and CSV). */
    public static final String SUMMARY_JSON = "shards-summary.json";
    public static final String SUMMARY_CSV = "shards-summary.csv";
    /** The cohort the shards were built from, as a manifest. */
    public static final String MANIFEST = "shards-manifest.csv";

    /** Whether a recording id would collide with a set-level file. */
    public static boolean isReservedId(String id) {
        return id.equals("shards-layout") || id.equals("shards-summary") || id.startsWith(".");
    }

    /** Ids of the shards in a folder that have a token file, sorted (finished or not). */
    public static List<String> ids(Path dir) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + TOKENS)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isRegularFile(p)) {
                    out.add(n.substring(0, n.length() - TOKENS.length()));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Deletes temporary files a killed writer left in {@code dir}; returns how many. */
    public static int removeTemporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : s) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }
}

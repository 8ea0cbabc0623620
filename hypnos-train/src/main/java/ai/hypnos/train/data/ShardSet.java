package ai.hypnos.train.data;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.train.shard.ShardSetInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finished token shards of a folder, restricted to some splits, with their token arrays
 * memory-mapped: opening a cohort of thousands of nights reads only the small metadata and
 * presence files; windows are read from the page cache when a batch needs them.
 */
public final class ShardSet {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSet.class);
    /** Serialises layout and tokenizer identities for {@link #identity()} (the shard files' own form). */
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One recording's shard.
     *
     * @param id       recording id
     * @param subject  subject id
     * @param split    subject's split
     * @param seconds  S
     * @param tokens   int16 {@code [S, ΣK]}, memory-mapped
     * @param presence {@code [M]}
     */
    public record Shard(String id, String subject, Split split, int seconds, NpyArray tokens, boolean[] presence) {
    }

    private final Path dir;
    private final ShardSetInfo info;
    private final List<Shard> shards;
    /** Each shard's metadata document, compact JSON, by id: read once here for {@link #identity}. */
    private final Map<String, String> metadata;

    private ShardSet(Path dir, ShardSetInfo info, List<Shard> shards, Map<String, String> metadata) {
        this.dir = dir;
        this.info = info;
        this.shards = List.copyOf(shards);
        this.metadata = Map.copyOf(metadata);
    }

    /**
     * Opens the finished shards of {@code dir} whose split is in {@code splits} (unfinished or
     * stale ones are left out with a warning).
     */
    public static ShardSet open(Path dir, Collection<Split> splits) throws IOException {
        ShardSetInfo info = ShardSetInfo.read(dir);
        Set<Split> wanted = splits.isEmpty() ? EnumSet.noneOf(Split.class) : EnumSet.copyOf(splits);
        List<Shard> out = new ArrayList<>();
        Map<String, String> metadata = new HashMap<>();
        int unfinished = 0;
        for (String id : ShardFiles.ids(dir)) {
            if (!ShardFiles.isFinished(dir, id, info.layout(), info.tokenizers())) {
                unfinished++;
                continue;
            }
            JsonNode meta = ShardFiles.readMetadata(dir, id);
            Split split;
            try {
                split = Split.parse(meta.path("split").asText());
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(ShardFiles.metadataFile(dir, id), "split", meta.path("split").asText(),
                        e.getMessage());
            }
            if (!wanted.contains(split)) {
                continue;
            }
            NpyArray tokens = Npy.map(ShardFiles.tokensFile(dir, id));
            boolean[] presence = Npy.read(ShardFiles.presenceFile(dir, id)).toBooleanArray();
            out.add(new Shard(id, meta.path("subject").asText(), split, meta.path("seconds").asInt(), tokens, presence));
            metadata.put(id, meta.toString());
        }
        if (unfinished > 0) {
            LOG.warn("{}: {} shard(s) are unfinished or were made by other tokenizers and are left out "
                    + "(run 'hypnos tokenize' again to finish them)", dir, unfinished);
        }
        long seconds = out.stream().mapToLong(Shard::seconds).sum();
        LOG.info("{} ({}): {} recordings, {} hours", dir, wanted, out.size(), String.format(java.util.Locale.ROOT,
                "%.1f", seconds / 3600.0));
        return new ShardSet(dir, info, out, metadata);
    }

    public Path dir() {
        return dir;
    }

    public ShardSetInfo info() {
        return info;
    }

    public ShardLayout layout() {
        return info.layout();
    }

    public List<Shard> shards() {
        return shards;
    }

    public Shard shard(int i) {
        return shards.get(i);
    }

    public int size() {
        return shards.size();
    }

    public boolean isEmpty() {
        return shards.isEmpty();
    }

    /**
     * What identifies this data wherever its folder lies: {@link #identity(Collection)} of this
     * set alone.
     */
    public String identity() {
        return identity(List.of(this));
    }

    /**
     * What identifies the data of {@code sets} (shard sets of one folder, for instance a run's
     * training and validation splits) wherever their folder lies: SHA-256 (hex) over the layout,
     * the tokenizers' identities (their weight hashes) and, per shard in id order (a shard in two
     * sets counted once), its id, split and whole metadata document. The metadata holds what makes
     * the tokens besides the tokenizers (notch, source, channel resolution, preprocessing notes)
     * and, by {@link ai.hypnos.train.shard.ShardMetadata}'s contract, nothing of the machine or
     * the local path; it is hashed in Jackson's compact form, so re-indented or CRLF copies of
     * the same document agree. The folder's path and the tokenizers' location are left out on
     * purpose, so a copy of the shards on another machine or path has the same identity, while
     * other tokenizers, recordings, splits or preprocessing give another one.
     */
    public static String identity(Collection<ShardSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no shard set to identify");
        }
        ShardSetInfo first = sets.iterator().next().info;
        for (ShardSet s : sets) {
            if (!s.info.layout().equals(first.layout()) || !s.info.tokenizers().equals(first.tokenizers())) {
                throw new IllegalArgumentException(s.dir + " holds other tokenizers than " + sets.iterator().next().dir);
            }
        }
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        StringBuilder b = new StringBuilder();
        JsonNode layoutJson = JSON.valueToTree(first.layout());
        JsonNode tokenizersJson = JSON.valueToTree(first.tokenizers());
        b.append(layoutJson.toString()).append('\n').append(tokenizersJson.toString()).append('\n');
        // Sorted by id; a split named twice (train_split = val_split) must not count its shards twice.
        Map<String, String> lines = new TreeMap<>();
        for (ShardSet s : sets) {
            for (Shard sh : s.shards) {
                // Compact JSON has no raw newlines, and ids cannot hold tabs unnoticed: one line per shard.
                lines.put(sh.id(), sh.id() + '\t' + sh.split().key() + '\t' + s.metadata.get(sh.id()));
            }
        }
        lines.values().forEach(line -> b.append(line).append('\n'));
        return HexFormat.of().formatHex(d.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Total seconds over all shards. */
    public long totalSeconds() {
        return shards.stream().mapToLong(Shard::seconds).sum();
    }

    /** Tokens of shard i, seconds {@code [start, start + length)}, row-major {@code [length, ΣK]}. */
    public short[] read(int i, int start, int length) {
        int k = layout().totalK();
        return shards.get(i).tokens().toShortArray((long) start * k, length * k);
    }
}

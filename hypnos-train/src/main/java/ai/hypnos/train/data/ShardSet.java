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
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
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

    private ShardSet(Path dir, ShardSetInfo info, List<Shard> shards) {
        this.dir = dir;
        this.info = info;
        this.shards = List.copyOf(shards);
    }

    /**
     * Opens the finished shards of {@code dir} whose split is in {@code splits} (unfinished or
     * stale ones are left out with a warning).
     */
    public static ShardSet open(Path dir, Collection<Split> splits) throws IOException {
        ShardSetInfo info = ShardSetInfo.read(dir);
        Set<Split> wanted = splits.isEmpty() ? EnumSet.noneOf(Split.class) : EnumSet.copyOf(splits);
        List<Shard> out = new ArrayList<>();
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
        }
        if (unfinished > 0) {
            LOG.warn("{}: {} shard(s) are unfinished or were made by other tokenizers and are left out "
                    + "(run 'hypnos tokenize' again to finish them)", dir, unfinished);
        }
        long seconds = out.stream().mapToLong(Shard::seconds).sum();
        LOG.info("{} ({}): {} recordings, {} hours", dir, wanted, out.size(), String.format(java.util.Locale.ROOT,
                "%.1f", seconds / 3600.0));
        return new ShardSet(dir, info, out);
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
     * What identifies this data wherever its folder lies: SHA-256 (hex) over the layout, the
     * tokenizers' identities (their weight hashes) and, per shard in id order, its id, subject,
     * split, length and presence. The folder's path and the tokenizers' location are left out on
     * purpose, so a copy of the shards on another machine or path has the same identity, while
     * other tokenizers, recordings or splits give another one.
     */
    public String identity() {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        StringBuilder b = new StringBuilder();
        JsonNode layoutJson = JSON.valueToTree(info.layout());
        JsonNode tokenizersJson = JSON.valueToTree(info.tokenizers());
        b.append(layoutJson.toString()).append('\n').append(tokenizersJson.toString()).append('\n');
        List<Shard> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparing(Shard::id));
        for (Shard sh : sorted) {
            // Tab-separated, one line per shard: ids cannot hold tabs or newlines unnoticed.
            b.append(sh.id()).append('\t').append(sh.subject()).append('\t').append(sh.split().key()).append('\t')
                    .append(sh.seconds()).append('\t').append(Arrays.toString(sh.presence())).append('\n');
        }
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

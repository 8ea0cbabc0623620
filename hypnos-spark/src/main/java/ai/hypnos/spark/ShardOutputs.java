package ai.hypnos.spark;

import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.train.shard.ShardMetadata;
import ai.hypnos.train.shard.TokenizerIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a token shard in a Hadoop file system counts as finished: the same rule as
 * {@link ShardFiles#isFinished} for local folders, through the FileSystem API. The metadata JSON
 * (written last) exists and parses, names the shard format, the layout and tokenizers of this
 * run; the token array is int16 {@code [S, ΣK]} with exactly the bytes its header promises; the
 * presence array is bool {@code [M]}; for a task, the recorded subject, split, source and notch are
 * the task's (a shard kept with an older split would leak its subject across splits). Anything
 * less is rebuilt. Reads only the JSON and two NPY
 * headers (a few hundred bytes), so checking a cohort costs no data transfer.
 */
final class ShardOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(ShardOutputs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*False");

    private ShardOutputs() {
    }

    /** Whether shard {@code id} in {@code dir} is finished for this layout and these tokenizers. */
    static boolean isFinished(FileSystem fs, Path dir, String id, ShardLayout layout, List<TokenizerIdentity> tokenizers) {
        return isFinished(fs, dir, id, layout, tokenizers, null);
    }

    /**
     * Whether the shard of {@code task} in {@code dir} is finished for this layout, these
     * tokenizers and this task's manifest entry (subject, split, source, notch); logs at INFO why
     * a complete shard recorded for another entry is rebuilt.
     */
    static boolean isFinished(FileSystem fs, Path dir, ShardLayout layout, List<TokenizerIdentity> tokenizers,
            RecordingTask task) {
        return isFinished(fs, dir, task.id(), layout, tokenizers, task);
    }

    private static boolean isFinished(FileSystem fs, Path dir, String id, ShardLayout layout,
            List<TokenizerIdentity> tokenizers, RecordingTask task) {
        try {
            Path json = new Path(dir, id + ShardFiles.METADATA);
            if (!fs.exists(json)) {
                return false;
            }
            JsonNode meta;
            try (InputStream in = fs.open(json)) {
                meta = JSON.readTree(in);
            }
            if (!ShardMetadata.FORMAT.equals(meta.path("format").asText())
                    || meta.path("format_version").asInt() != ShardMetadata.VERSION
                    || !layout.equals(ShardMetadata.layout(meta))
                    || !tokenizers.equals(ShardMetadata.tokenizers(meta))) {
                return false;
            }
            if (task != null) {
                // Compare the canonical key: the manifest may spell "validation" for "val".
                String why = ShardMetadata.entryMismatch(meta, task.subject(), Split.parse(task.split()).key(),
                        task.source(), task.notch());
                if (why != null) {
                    LOG.info("{}: rebuilding its shard in {}: {}", id, dir, why);
                    return false;
                }
            }
            int seconds = meta.path("seconds").asInt(-1);
            return seconds >= 0
                    && npyMatches(fs, new Path(dir, id + ShardFiles.TOKENS), "<i2", 2,
                            new long[] {seconds, layout.totalK()})
                    && npyMatches(fs, new Path(dir, id + ShardFiles.PRESENCE), "|b1", 1, new long[] {layout.size()});
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether an NPY file has this dtype and shape, C order, and exactly header + data bytes. */
    private static boolean npyMatches(FileSystem fs, Path file, String descr, int itemSize, long[] shape)
            throws IOException {
        if (!fs.exists(file)) {
            return false;
        }
        FileStatus status = fs.getFileStatus(file);
        try (FSDataInputStream in = fs.open(file)) {
            byte[] pre = in.readNBytes(10);
            if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
                return false;
            }
            int major = pre[6];
            long headerLength;
            int preamble;
            if (major == 1) {
                headerLength = ByteBuffer.wrap(pre, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
                preamble = 10;
            } else if (major == 2 || major == 3) {
                byte[] more = in.readNBytes(2);
                if (more.length < 2) {
                    return false;
                }
                byte[] len = {pre[8], pre[9], more[0], more[1]};
                headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                preamble = 12;
            } else {
                return false;
            }
            if (headerLength > MAX_HEADER) {
                return false;
            }
            byte[] header = in.readNBytes((int) headerLength);
            if (header.length < headerLength) {
                return false;
            }
            String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(text);
            Matcher s = SHAPE.matcher(text);
            if (!d.find() || !d.group(1).equals(descr) || !s.find() || !FORTRAN.matcher(text).find()) {
                return false;
            }
            long[] found = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            if (!Arrays.equals(found, shape)) {
                return false;
            }
            long elements = 1;
            for (long n : shape) {
                elements = Math.multiplyExact(elements, n);
            }
            return status.getLen() == preamble + headerLength + elements * itemSize;
        }
    }
}

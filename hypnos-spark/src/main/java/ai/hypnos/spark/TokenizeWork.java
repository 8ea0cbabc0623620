package ai.hypnos.spark;

import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.ShardLayout;
import ai.hypnos.train.shard.ShardMetadata;
import ai.hypnos.train.shard.TokenShard;
import ai.hypnos.train.shard.TokenizerIdentity;
import ai.hypnos.train.shard.TokenizerSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Tokenize mode, on an executor: one recording → one token shard ({@code <id>.tokens.npy},
 * {@code <id>.presence.npy}, {@code <id>.json}) in the output folder. The shard is made by the
 * single-machine builder's own per-recording function ({@link ShardBuilder#buildOne}) and encoded
 * by {@link ShardFiles#encode}, so the bytes are the same wherever it runs; the files are written
 * through {@link HadoopOutputs} in the builder's order (metadata, the completion marker, last).
 * A shard already finished for these tokenizers is skipped.
 */
final class TokenizeWork implements RecordingWork {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId;
    private final String out;
    private final String tokenizers;
    private final String device;
    private final Map<String, String> aliases;
    private final String layoutJson;
    private transient ShardLayout layout;
    private transient List<TokenizerIdentity> identities;

    /**
     * @param out        output folder URI
     * @param tokenizers tokenizer bundle or folder URI
     * @param device     executor device
     * @param aliases    extra channel aliases (file label → modality key)
     * @param layoutJson the run's {@code shards-layout.json}: layout and tokenizer identities that
     *                   finished shards must match
     */
    TokenizeWork(String runId, String out, String tokenizers, String device, Map<String, String> aliases,
            String layoutJson) {
        this.runId = runId;
        this.out = out;
        this.tokenizers = tokenizers;
        this.device = device;
        this.aliases = Map.copyOf(aliases);
        this.layoutJson = layoutJson;
    }

    @Override
    public String mode() {
        return "tokenize";
    }

    @Override
    public StatusRow process(RecordingTask task, Configuration hadoop) {
        StatusRow.Start row = StatusRow.start(runId, task);
        try {
            Path dir = new Path(out);
            FileSystem fs = HadoopOutputs.fileSystem(dir, hadoop);
            Path tokensFile = new Path(dir, task.id() + ShardFiles.TOKENS);
            if (ShardFiles.isReservedId(task.id())) {
                return row.failed("recording id '" + task.id()
                        + "' is reserved for the shard folder's own files; rename the file");
            }
            readLayout();
            if (ShardOutputs.isFinished(fs, dir, layout, identities, task)) {
                return row.skipped("finished before: its shard exists for these tokenizers and this manifest entry", tokensFile.toString());
            }
            TokenizerSet set = ExecutorCache.tokenizers(tokenizers, device, hadoop);
            TokenShard shard;
            try (LocalCopies.LocalRecording rec = LocalCopies.recording(task.recording(), hadoop)) {
                CohortEntry entry = new CohortEntry(task.id(), task.subject(), task.source(), rec.path(), null,
                        task.site(), task.notch(), Split.parse(task.split()));
                shard = new ShardBuilder(set, aliases, 1).buildOne(entry);
            }
            for (Map.Entry<String, byte[]> f : ShardFiles.encode(shard).entrySet()) {
                HadoopOutputs.write(fs, new Path(dir, f.getKey()), f.getValue());
            }
            List<String> present = new ArrayList<>();
            for (int i = 0; i < shard.presence().length; i++) {
                if (shard.presence()[i]) {
                    present.add(shard.layout().modality(i).name());
                }
            }
            JsonNode report = shard.metadata().get("channel_resolution");
            return row.ok(present, shard.seconds(), shard.tokens().length, report == null ? null : report.toString(),
                    tokensFile.toString());
        } catch (Exception e) {
            return row.failed(e);
        }
    }

    private void readLayout() {
        if (layout == null) {
            try {
                JsonNode root = JSON.readTree(layoutJson);
                layout = ShardMetadata.layout(root);
                identities = ShardMetadata.tokenizers(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package ai.hypnos.spark;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.OutputType;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Embed mode, on an executor: one recording → {@code <id>.npz} in the output folder, the file
 * {@code hypnos embed REC --model BUNDLE --notch <manifest notch> --dtype … --chunk-tokens … --out
 * <id>.npz} writes ({@link Embeddings#writeNpz}), byte for byte: it is written to the executor's
 * local disk by that very method and copied to the output file system under a temporary name,
 * then renamed. An existing {@code <id>.npz} is complete (only renames create it) and is skipped.
 *
 * <p>The notch frequency comes from each recording's manifest row, so a cohort that mixes 50 Hz
 * and 60 Hz sites is embedded correctly in one run.
 */
final class EmbedWork implements RecordingWork {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String out;
    private final String model;
    private final String device;
    private final String precision;
    private final String dtype;
    private final int chunkTokens;
    private final Map<String, String> aliases;

    EmbedWork(String runId, String out, String model, String device, String precision, String dtype, int chunkTokens,
            Map<String, String> aliases) {
        this.runId = runId;
        this.out = out;
        this.model = model;
        this.device = device;
        this.precision = precision;
        this.dtype = dtype;
        this.chunkTokens = chunkTokens;
        this.aliases = Map.copyOf(aliases);
    }

    @Override
    public String mode() {
        return "embed";
    }

    /** The options {@code hypnos embed} would use for this recording. */
    EmbedOptions options(HypnosModel m, RecordingTask task) {
        return m.options().embedDefaults().withNotchHz(task.notch()).withOutputType(OutputType.parse(dtype))
                .withChunkTokens(chunkTokens).withChannelAliases(aliases).withPreprocessThreads(1);
    }

    @Override
    public StatusRow process(RecordingTask task, Configuration hadoop) {
        StatusRow.Start row = StatusRow.start(runId, task);
        try {
            Path dir = new Path(out);
            FileSystem fs = HadoopOutputs.fileSystem(dir, hadoop);
            Path target = new Path(dir, task.id() + ".npz");
            if (fs.exists(target)) {
                return row.skipped("finished before: its NPZ exists", target.toString());
            }
            HypnosModel m = ExecutorCache.model(model, device, precision, hadoop);
            Embeddings e;
            try (LocalCopies.LocalRecording local = LocalCopies.recording(task.recording(), hadoop);
                    Recording rec = open(local, task)) {
                e = m.embed(rec, options(m, task));
            }
            java.nio.file.Path tmpDir = Files.createTempDirectory("hypnos-spark-npz-");
            java.nio.file.Path npz = tmpDir.resolve(task.id() + ".npz");
            try {
                e.writeNpz(npz);
                HadoopOutputs.copy(fs, npz, target);
            } finally {
                Files.deleteIfExists(npz);
                Files.deleteIfExists(tmpDir);
            }
            return row.ok(e.present(), e.seconds(), (long) e.seconds() * e.totalK(),
                    e.report().map(ResolutionReport::toJson).orElse(null), target.toString());
        } catch (Exception ex) {
            return row.failed(ex);
        }
    }

    /** Opens the local file; a copy of a remote night keeps its URI as its source name. */
    private static Recording open(LocalCopies.LocalRecording local, RecordingTask task) throws java.io.IOException {
        Recording r = Recordings.open(local.path());
        return local.remote() ? new SourceNamedRecording(r, java.nio.file.Path.of(task.recording())) : r;
    }
}

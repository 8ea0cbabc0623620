package ai.hypnos.eval.data;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cohort of embedded recordings described by a {@link Manifest}: for every row, the
 * embeddings {@code <dir>/<recording id>.npz} ({@link EmbeddingFile}) and the labels of its
 * {@code annotations} file ({@link LabelFiles}). Builds the probe dataset of any modality
 * selection, so the same cohort serves the full evaluation and restricted-modality ones.
 *
 * <pre>{@code
 * EmbeddingCohort cohort = new EmbeddingCohort(Path.of("embeddings"), Manifest.read(Path.of("cohort.csv")),
 *         LabelFiles.Task.STAGING);
 * LabeledDataset all = cohort.dataset(ModalitySelection.all());
 * LabeledDataset eeg = cohort.dataset(ModalitySelection.parse("eeg"));
 * }</pre>
 */
public final class EmbeddingCohort {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCohort.class);
    private static final int WINDOW_SECONDS = 30;

    private final Path embeddingsDir;
    private final Manifest manifest;
    private final LabelFiles.Task task;
    private final Map<Path, int[]> labelCache = new HashMap<>();

    /**
     * @throws IllegalArgumentException if a row has no annotations file
     */
    public EmbeddingCohort(Path embeddingsDir, Manifest manifest, LabelFiles.Task task) {
        this.embeddingsDir = embeddingsDir;
        this.manifest = manifest;
        this.task = task;
        for (Manifest.Entry e : manifest.entries()) {
            if (e.annotations() == null) {
                throw new IllegalArgumentException(manifest.file() + ": recording " + e.recording()
                        + " has no annotations file; every row of a probe manifest needs labels");
            }
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    public LabelFiles.Task task() {
        return task;
    }

    /** The embedding file of a manifest row. */
    public Path embeddingFile(Manifest.Entry e) {
        return embeddingsDir.resolve(e.recordingId() + ".npz");
    }

    /** The default selection of the task: all modalities for staging, ECG for AF. */
    public ModalitySelection defaultSelection() {
        return task == LabelFiles.Task.AF ? ModalitySelection.parse("ecg") : ModalitySelection.all();
    }

    /**
     * The labelled 30-s windows of every recording, features averaged over {@code selection}.
     *
     * @throws HypnosFormatException if an embedding or label file is missing or malformed
     */
    public LabeledDataset dataset(ModalitySelection selection) throws IOException {
        EpochDatasetBuilder b = task == LabelFiles.Task.AF
                ? EpochDatasetBuilder.atrialFibrillation(selection) : EpochDatasetBuilder.staging(selection);
        int n = 0;
        for (Manifest.Entry e : manifest.entries()) {
            Path f = embeddingFile(e);
            if (!Files.isRegularFile(f)) {
                throw new HypnosFormatException(f, "embeddings", e.recording(),
                        "no embedding file for this manifest row (expected <embeddings dir>/<recording name>.npz)");
            }
            EmbeddingFile emb = EmbeddingFile.open(f);
            int[] labels = labelCache.get(e.annotations());
            if (labels == null) {
                labels = LabelFiles.read(e.annotations(), task, emb.seconds(), WINDOW_SECONDS);
                labelCache.put(e.annotations(), labels);
            }
            b.add(e.subject(), e.recordingId(), emb, labels);
            if (++n % 50 == 0) {
                LOG.info("read {} of {} recordings ({})", n, manifest.entries().size(), selection);
            }
        }
        LabeledDataset ds = b.build();
        LOG.info("{} ({}): {}", manifest.file(), selection, ds);
        return ds;
    }
}

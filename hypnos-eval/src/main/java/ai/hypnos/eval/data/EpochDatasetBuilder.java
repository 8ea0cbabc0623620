package ai.hypnos.eval.data;

import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.SleepStage;
import ai.hypnos.eval.linalg.FloatMatrix;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds probe datasets from per-second embeddings (DESIGN §8): the mean over the chosen present
 * modalities at each second ({@code z_t}), averaged over each window (30-s epoch), joined with a
 * label per window; unscored windows (label −1, {@link SleepStage#UNSCORED}) and windows without
 * embeddings are dropped; rows are grouped by subject.
 *
 * <pre>{@code
 * EpochDatasetBuilder b = EpochDatasetBuilder.staging(ModalitySelection.all());
 * b.add("subject-01", "night-1", EmbeddingFile.open(npz), hypnogram);
 * LabeledDataset ds = b.build();
 * }</pre>
 */
public final class EpochDatasetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EpochDatasetBuilder.class);

    /** Class names of the AASM five-stage task, index = {@link SleepStage#label()}. */
    public static final List<String> STAGE_NAMES = List.of("W", "N1", "N2", "N3", "REM");
    /** Class names of the AF window task. */
    public static final List<String> AF_NAMES = List.of("non-AF", "AF");

    private final int windowSeconds;
    private final ModalitySelection selection;
    private final LabeledDataset.Builder rows;
    private int added;

    /**
     * @param windowSeconds window length in seconds (embeddings are at 1 Hz)
     * @param selection     modalities averaged per second
     * @param classNames    names of labels 0..K-1
     */
    public EpochDatasetBuilder(int windowSeconds, ModalitySelection selection, List<String> classNames) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window length must be >= 1 s, got " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.selection = selection;
        this.rows = LabeledDataset.builder(classNames);
    }

    /** Sleep staging: 30-s epochs, five AASM classes. */
    public static EpochDatasetBuilder staging(ModalitySelection selection) {
        return new EpochDatasetBuilder((int) Hypnogram.EPOCH_SECONDS, selection, STAGE_NAMES);
    }

    /** AF detection: 30-s windows, labels 0 (no AF) / 1 (AF); usually on ECG alone. */
    public static EpochDatasetBuilder atrialFibrillation(ModalitySelection selection) {
        return new EpochDatasetBuilder(30, selection, AF_NAMES);
    }

    public ModalitySelection selection() {
        return selection;
    }

    public int windowSeconds() {
        return windowSeconds;
    }

    /**
     * Adds one recording labelled by a hypnogram.
     *
     * @throws IllegalArgumentException if the hypnogram's epoch length differs from the window length
     */
    public EpochDatasetBuilder add(String subject, String recording, EmbeddingSource embeddings, Hypnogram hypnogram)
            throws IOException {
        if (Math.abs(hypnogram.epochSeconds() - windowSeconds) > 1e-9) {
            throw new IllegalArgumentException("recording '" + recording + "': hypnogram epochs are "
                    + hypnogram.epochSeconds() + " s, this builder pools " + windowSeconds + " s windows");
        }
        return add(subject, recording, embeddings, hypnogram.labels());
    }

    /**
     * Adds one recording with a label per window (−1 = unscored). Windows beyond the embeddings
     * or the labels are ignored; a length mismatch of more than one window is logged.
     */
    public EpochDatasetBuilder add(String subject, String recording, EmbeddingSource embeddings, int[] labels)
            throws IOException {
        PerSecondEmbeddings e = embeddings.select(selection);
        int fromEmbeddings = e.seconds() / windowSeconds;
        int windows = Math.min(fromEmbeddings, labels.length);
        if (Math.abs(fromEmbeddings - labels.length) > 1) {
            LOG.warn("recording '{}': {} labelled windows but embeddings cover {} ({} s); using the first {}",
                    recording, labels.length, fromEmbeddings, e.seconds(), windows);
        }
        EpochPooling.Pooled p = EpochPooling.pool(e, windowSeconds, windows);
        int[] y = new int[windows];
        int[] idx = new int[windows];
        int missing = 0;
        for (int w = 0; w < windows; w++) {
            idx[w] = w;
            y[w] = labels[w] < 0 ? -1 : labels[w];
            if (y[w] >= 0 && !p.defined()[w]) {
                y[w] = -1;
                missing++;
            }
        }
        if (missing > 0) {
            LOG.debug("recording '{}': {} labelled windows have no embedding for '{}' and are dropped", recording, missing, selection);
        }
        rows.add(subject, recording, p.pooled(), y, idx);
        added++;
        return this;
    }

    /** Adds already pooled features (e.g. band powers) with a label per row. */
    public EpochDatasetBuilder addPooled(String subject, String recording, FloatMatrix features, int[] labels) {
        rows.add(subject, recording, features, labels);
        added++;
        return this;
    }

    /** The dataset of every labelled window added so far. */
    public LabeledDataset build() {
        if (added == 0) {
            throw new IllegalArgumentException("no recordings were added");
        }
        return rows.build();
    }
}

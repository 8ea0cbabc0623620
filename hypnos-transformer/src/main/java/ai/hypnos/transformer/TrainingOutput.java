package ai.hypnos.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Result of a training (or validation) forward pass: the loss to back-propagate, the mean
 * cross-entropy per modality and level, and the embeddings z. The arrays belong to the manager
 * passed to the forward call; the host-side getters copy them on demand (once per log interval
 * is enough: each copy is a device-to-host transfer).
 */
public final class TrainingOutput {
    private final NDArray loss;
    private final NDArray levelLosses;
    private final NDArray embeddings;
    private final ModalityLayout layout;

    TrainingOutput(NDArray loss, NDArray levelLosses, NDArray embeddings, ModalityLayout layout) {
        this.loss = loss;
        this.levelLosses = levelLosses;
        this.embeddings = embeddings;
        this.layout = layout;
    }

    /**
     * Scalar loss: per modality the mean over its levels and present positions, then the
     * (weighted) mean over modalities present in the batch. From a forward of one share of a
     * larger batch ({@link RqTransformer#trainingForward(TokenBatch,
     * ai.hypnos.transformer.masking.ModalityMasks,
     * ai.hypnos.transformer.nn.DepthTransformer.LossNormalizer, ai.djl.ndarray.NDManager)}) it is
     * normalised by the whole batch's counts instead: this share's part of the batch loss, which
     * the shares' losses sum to (not a mean over this share's modalities).
     */
    public NDArray loss() {
        return loss;
    }

    /**
     * {@code [M, maxK]} mean cross-entropy (nats) per modality and level over the present samples
     * of the batch this forward saw (for a share of a larger batch, that share's own means, not
     * normalised by the whole batch as {@link #loss()} is); NaN for a modality absent from it
     * (from the share, for a share) and for levels beyond a modality's K.
     */
    public NDArray levelLosses() {
        return levelLosses;
    }

    /** The temporal output z {@code [B, M, S, D]} (part of the graph). */
    public NDArray embeddings() {
        return embeddings;
    }

    /** The loss as a number. */
    public float lossValue() {
        return toFloat(loss)[0];
    }

    /** Per modality and level losses on the host: {@code [m][k]} for k below the modality's K. */
    public float[][] perLevelLoss() {
        float[] flat = toFloat(levelLosses);
        int maxK = layout.maxK();
        float[][] out = new float[layout.numModalities()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * maxK, i * maxK + layout.modality(i).numQuantizers());
        }
        return out;
    }

    /**
     * Per-modality loss (mean over its levels); NaN for a modality absent from the batch this
     * forward saw (from the share, for a share of a larger batch).
     */
    public float[] perModalityLoss() {
        float[][] levels = perLevelLoss();
        float[] out = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            double sum = 0;
            for (float v : levels[i]) {
                sum += v;
            }
            out[i] = (float) (sum / levels[i].length);
        }
        return out;
    }

    private static float[] toFloat(NDArray a) {
        NDArray d = a.stopGradient();
        try {
            if (d.getDataType() != DataType.FLOAT32) {
                try (NDArray f = d.toType(DataType.FLOAT32, false)) {
                    return f.toFloatArray();
                }
            }
            return d.toFloatArray();
        } finally {
            d.close();
        }
    }
}

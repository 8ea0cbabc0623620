package ai.hypnos.eval.protocol;

import ai.hypnos.eval.metrics.BinaryMetrics;
import ai.hypnos.eval.metrics.ClassificationMetrics;

/**
 * The outcome of training on one split's training subjects and predicting its test subjects.
 *
 * @param split         the split
 * @param trainRows     labelled rows used for training
 * @param predictions   predictions on the test rows
 * @param metrics       staging-style metrics of the test rows
 * @param binary        AUROC/AUPRC with CIs for two-class tasks, else {@code null}
 */
public record FoldResult(Split split, int trainRows, Predictions predictions, ClassificationMetrics metrics,
                         BinaryMetrics binary) {
}

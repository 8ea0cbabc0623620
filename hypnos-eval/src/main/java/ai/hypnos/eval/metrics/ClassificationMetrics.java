package ai.hypnos.eval.metrics;

/**
 * The multi-class metrics of sleep staging, defined exactly as scikit-learn 1.2 computes them
 * (with no {@code labels} argument):
 * <ul>
 *   <li>{@code accuracy}: {@code accuracy_score};</li>
 *   <li>{@code balancedAccuracy}: {@code balanced_accuracy_score} — mean recall over classes
 *       present in the true labels;</li>
 *   <li>{@code cohenKappa}: {@code cohen_kappa_score} (unweighted); NaN when chance agreement is 1;</li>
 *   <li>{@code macroF1}: {@code f1_score(average="macro")} — mean F1 over classes present in the
 *       true <i>or</i> predicted labels;</li>
 *   <li>{@code perClassF1/Precision/Recall}: {@code f1_score(average=None, labels=range(K),
 *       zero_division=0)}: 0 where undefined.</li>
 * </ul>
 *
 * @param support rows per true class
 */
public record ClassificationMetrics(double accuracy, double balancedAccuracy, double cohenKappa, double macroF1,
                                    double[] perClassF1, double[] perClassPrecision, double[] perClassRecall,
                                    double[] support, ConfusionMatrix confusion) {

    /** Metrics of predictions over labels {@code 0..numClasses-1}. */
    public static ClassificationMetrics compute(int[] yTrue, int[] yPred, int numClasses) {
        return of(ConfusionMatrix.of(yTrue, yPred, numClasses));
    }

    /** Metrics of weighted predictions (weights as sklearn's {@code sample_weight}). */
    public static ClassificationMetrics compute(int[] yTrue, int[] yPred, int numClasses, double[] weights) {
        return of(ConfusionMatrix.of(yTrue, yPred, numClasses, weights));
    }

    /** Metrics from a confusion matrix. */
    public static ClassificationMetrics of(ConfusionMatrix cm) {
        int k = cm.numClasses();
        double n = cm.total();
        double[] f1 = new double[k];
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] support = new double[k];
        double diag = 0;
        double chance = 0;
        double recallSum = 0;
        int recallClasses = 0;
        double f1Sum = 0;
        int f1Classes = 0;
        for (int c = 0; c < k; c++) {
            double tp = cm.count(c, c);
            double sup = cm.support(c);
            double pred = cm.predicted(c);
            support[c] = sup;
            diag += tp;
            chance += sup * pred;
            precision[c] = pred == 0 ? 0 : tp / pred;
            recall[c] = sup == 0 ? 0 : tp / sup;
            double denom = sup + pred; // 2·tp + fp + fn
            f1[c] = denom == 0 ? 0 : 2 * tp / denom;
            if (sup > 0) {
                recallSum += recall[c];
                recallClasses++;
            }
            if (sup > 0 || pred > 0) {
                f1Sum += f1[c];
                f1Classes++;
            }
        }
        double accuracy = n == 0 ? Double.NaN : diag / n;
        double pe = n == 0 ? Double.NaN : chance / (n * n);
        // sklearn: 1 - Σ(w·observed)/Σ(w·expected) with off-diagonal weights 1, i.e. (po - pe)/(1 - pe).
        double kappa = n == 0 ? Double.NaN : 1 - (n - diag) / (n - chance / n);
        if (pe == 1) {
            kappa = Double.NaN;
        }
        double balanced = recallClasses == 0 ? Double.NaN : recallSum / recallClasses;
        double macroF1 = f1Classes == 0 ? Double.NaN : f1Sum / f1Classes;
        return new ClassificationMetrics(accuracy, balanced, kappa, macroF1, f1, precision, recall, support, cm);
    }

    /** Number of rows (weighted). */
    public double n() {
        return confusion.total();
    }
}

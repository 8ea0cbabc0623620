package ai.hypnos.eval.probe;

import ai.hypnos.eval.linalg.FloatMatrix;
import ai.hypnos.eval.optim.Lbfgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * L2-regularised logistic regression solved to convergence with L-BFGS: the linear probe.
 *
 * <p>Same model and objective as scikit-learn's {@code LogisticRegression(C=c, solver="lbfgs")}:
 * minimise {@code C·Σᵢ sᵢ·logloss(i) + ½‖W‖²} with unpenalised intercepts; multinomial (softmax)
 * for three or more classes, a single sigmoid weight vector for two. Classes that have no
 * training rows are left out of the fit (as sklearn, which only sees the labels present) and get
 * probability 0; with a single class present the model predicts it with probability 1.
 * Multinomial intercepts are only defined up to a common constant; they are reported centred
 * (sum zero), which is also what sklearn's zero-initialised solver returns.
 */
public final class LogisticRegression implements Probe {
    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegression.class);
    /**
     * Largest gradient (of the objective divided by the total sample weight) accepted when the
     * solver stops for lack of progress: 1e-6 leaves coefficients within ~1e-4 of the optimum on
     * standardised features.
     */
    static final double ACCEPTABLE_GRADIENT = 1e-6;

    /**
     * @param c            inverse regularisation strength (sklearn's {@code C}); larger = weaker penalty
     * @param weighting    per-class loss weights
     * @param fitIntercept whether to fit (unpenalised) intercepts
     * @param solver       L-BFGS settings
     */
    public record Options(double c, ClassWeighting weighting, boolean fitIntercept, Lbfgs.Options solver) {
        public Options {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("C must be positive and finite, got " + c);
            }
        }

        /** C = 1, no class weights, intercepts, {@link Lbfgs.Options#defaults()}. */
        public static Options defaults() {
            return new Options(1.0, ClassWeighting.none(), true, Lbfgs.Options.defaults());
        }

        public Options withC(double newC) {
            return new Options(newC, weighting, fitIntercept, solver);
        }

        public Options withWeighting(ClassWeighting w) {
            return new Options(c, w, fitIntercept, solver);
        }

        public Options withSolver(Lbfgs.Options s) {
            return new Options(c, weighting, fitIntercept, s);
        }
    }

    private final Options options;

    public LogisticRegression(Options options) {
        this.options = options;
    }

    /** Default options with this C. */
    public LogisticRegression(double c) {
        this(Options.defaults().withC(c));
    }

    public Options options() {
        return options;
    }

    @Override
    public LogisticRegressionModel fit(FloatMatrix x, int[] y, int numClasses) {
        return fit(x, y, numClasses, null);
    }

    @Override
    public LogisticRegressionModel fit(FloatMatrix x, int[] y, int numClasses, int[] groups) {
        Probe.checkTrainingData(x, y, numClasses, groups);
        // Fit only the labels present, mapped to 0..present-1, as sklearn does.
        int[] toCompact = new int[numClasses];
        java.util.Arrays.fill(toCompact, -1);
        boolean[] seen = new boolean[numClasses];
        for (int label : y) {
            seen[label] = true;
        }
        int present = 0;
        for (int k = 0; k < numClasses; k++) {
            if (seen[k]) {
                toCompact[k] = present++;
            }
        }
        int[] classes = new int[present];
        for (int k = 0; k < numClasses; k++) {
            if (seen[k]) {
                classes[toCompact[k]] = k;
            }
        }
        int d = x.cols();
        if (present == 1) {
            LOG.warn("only class {} is present in {} training rows; the model predicts it always", classes[0], y.length);
            return new LogisticRegressionModel(numClasses, classes, new double[1][d], new double[1], true);
        }
        int[] yc = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            yc[i] = toCompact[y[i]];
        }
        // Class weights refer to the original labels.
        double[] sw = options.weighting().sampleWeights(y, numClasses);
        LogisticObjective objective = new LogisticObjective(x, yc, sw, present, options.c(), options.fitIntercept());
        Lbfgs.Result r = new Lbfgs(options.solver()).minimize(objective, new double[objective.dimension()]);
        // NO_PROGRESS with a tiny gradient is the precision limit of the objective, not a failure.
        if (r.stop() == Lbfgs.Stop.MAX_ITERATIONS || r.gradientNorm() > ACCEPTABLE_GRADIENT) {
            LOG.warn("L-BFGS stopped before convergence ({} after {} iterations, max |gradient| {}); "
                    + "raise the iteration limit, lower C or standardise the features", r.stop(), r.iterations(), r.gradientNorm());
        } else {
            LOG.debug("L-BFGS stopped: {} in {} iterations, {} evaluations, f={}, max |g|={}",
                    r.stop(), r.iterations(), r.evaluations(), r.value(), r.gradientNorm());
        }
        int outputs = objective.outputs();
        int stride = objective.stride();
        double[][] coef = new double[outputs][d];
        double[] icpt = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            System.arraycopy(r.x(), k * stride, coef[k], 0, d);
            icpt[k] = options.fitIntercept() ? r.x()[k * stride + d] : 0;
        }
        if (outputs > 1) {
            double mean = 0;
            for (double b : icpt) {
                mean += b;
            }
            mean /= outputs;
            for (int k = 0; k < outputs; k++) {
                icpt[k] -= mean;
            }
        }
        return new LogisticRegressionModel(numClasses, classes, coef, icpt, false);
    }

    @Override
    public String describe() {
        return "logistic regression (C=" + options.c() + ", class weights " + options.weighting() + ")";
    }
}

package ai.hypnos.eval.optim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, Algorithm 7.4/7.5) with a strong-Wolfe line search,
 * for smooth unconstrained problems such as L2-regularised logistic regression.
 *
 * <p>Stops when the largest gradient component is at most {@link Options#gradientTolerance()}
 * (what scipy's L-BFGS-B calls {@code gtol} on an unconstrained problem), or when an iteration
 * lowers f by no more than {@link Options#relativeTolerance()} relative to |f| (scipy's
 * {@code ftol}; our default 0 means "f stopped decreasing": machine precision), or when even a
 * steepest-descent step finds no decrease ({@link Stop#NO_PROGRESS}, also the precision limit
 * for a correct gradient), or after {@link Options#maxIterations()}. The result says which and
 * reports the final gradient, so callers can judge a precision-limited stop.
 */
public final class Lbfgs {
    private static final Logger LOG = LoggerFactory.getLogger(Lbfgs.class);

    /**
     * @param memory             number of curvature pairs kept (scipy's default is 10)
     * @param maxIterations      iteration limit
     * @param gradientTolerance  stop when max |∂f/∂xᵢ| ≤ this
     * @param relativeTolerance  stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this
     * @param maxLineSearchEvaluations function evaluations allowed per line search
     */
    public record Options(int memory, int maxIterations, double gradientTolerance, double relativeTolerance,
                          int maxLineSearchEvaluations) {
        public Options {
            if (memory < 1 || maxIterations < 1 || maxLineSearchEvaluations < 1) {
                throw new IllegalArgumentException("memory, maxIterations and maxLineSearchEvaluations must be >= 1");
            }
            if (!(gradientTolerance >= 0) || !(relativeTolerance >= 0)) {
                throw new IllegalArgumentException("tolerances must be >= 0");
            }
        }

        /** Memory 10, 1000 iterations, gradient tolerance 1e-10, relative tolerance 0, 40 evaluations per search. */
        public static Options defaults() {
            return new Options(10, 1000, 1e-10, 0, 40);
        }

        public Options withMaxIterations(int n) {
            return new Options(memory, n, gradientTolerance, relativeTolerance, maxLineSearchEvaluations);
        }

        public Options withGradientTolerance(double tol) {
            return new Options(memory, maxIterations, tol, relativeTolerance, maxLineSearchEvaluations);
        }
    }

    /** Why the optimiser stopped. */
    public enum Stop {
        /** max |gradient| reached the tolerance. */
        GRADIENT_TOLERANCE,
        /** f decreased by no more than the relative tolerance in one iteration. */
        RELATIVE_TOLERANCE,
        /** No decrease along the steepest-descent direction: rounding dominates (or the gradient is wrong). */
        NO_PROGRESS,
        /** Iteration limit reached. */
        MAX_ITERATIONS;

        /** Whether this counts as convergence by a tolerance. */
        public boolean converged() {
            return this == GRADIENT_TOLERANCE || this == RELATIVE_TOLERANCE;
        }
    }

    /**
     * @param x            the minimiser found
     * @param value        f(x)
     * @param gradientNorm max |∂f/∂xᵢ| at x
     */
    public record Result(double[] x, double value, double gradientNorm, int iterations, int evaluations, Stop stop) {
        public boolean converged() {
            return stop.converged();
        }
    }

    private final Options options;

    public Lbfgs(Options options) {
        this.options = options;
    }

    /** Minimises {@code f} from {@code x0} (not modified). */
    public Result minimize(DifferentiableFunction f, double[] x0) {
        int n = x0.length;
        int m = options.memory();
        double[][] s = new double[m][];
        double[][] y = new double[m][];
        double[] rho = new double[m];
        int stored = 0;
        int newest = -1;

        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx)) {
            throw new IllegalArgumentException("objective is not finite at the starting point: " + fx);
        }
        WolfeLineSearch search = new WolfeLineSearch(f, 1e-4, 0.9, options.maxLineSearchEvaluations());
        double[] direction = new double[n];
        double[] alphaBuf = new double[m];
        int iter = 0;
        while (true) {
            double gnorm = maxAbs(g);
            if (gnorm <= options.gradientTolerance()) {
                return new Result(x, fx, gnorm, iter, evaluations, Stop.GRADIENT_TOLERANCE);
            }
            if (iter >= options.maxIterations()) {
                return new Result(x, fx, gnorm, iter, evaluations, Stop.MAX_ITERATIONS);
            }
            // Two-loop recursion: direction = -H·g.
            for (int i = 0; i < n; i++) {
                direction[i] = -g[i];
            }
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, m);
                alphaBuf[j] = rho[j] * WolfeLineSearch.dot(s[j], direction);
                axpy(-alphaBuf[j], y[j], direction);
            }
            double alpha0 = 1.0;
            if (stored > 0) {
                double gamma = WolfeLineSearch.dot(s[newest], y[newest]) / WolfeLineSearch.dot(y[newest], y[newest]);
                scale(gamma, direction);
            } else {
                // First step (or after a reset): steepest descent with a unit-length trial step.
                alpha0 = Math.min(1.0, 1.0 / Math.max(norm2(g), 1e-300));
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, m);
                double beta = rho[j] * WolfeLineSearch.dot(y[j], direction);
                axpy(alphaBuf[j] - beta, s[j], direction);
            }
            double slope = WolfeLineSearch.dot(g, direction);
            if (!(slope < 0)) {
                // Lost descent (numerical trouble): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++) {
                    direction[i] = -g[i];
                }
                slope = WolfeLineSearch.dot(g, direction);
                alpha0 = Math.min(1.0, 1.0 / Math.max(norm2(g), 1e-300));
            }
            WolfeLineSearch.Step step = search.search(x, fx, slope, direction, alpha0);
            evaluations += step.evaluations();
            if (!step.found()) {
                if (stored > 0) {
                    LOG.debug("line search failed at iteration {}; resetting the L-BFGS memory", iter);
                    stored = 0;
                    iter++;
                    continue;
                }
                return new Result(x, fx, gnorm, iter, evaluations, Stop.NO_PROGRESS);
            }
            iter++;
            double[] sNew = new double[n];
            double[] yNew = new double[n];
            for (int i = 0; i < n; i++) {
                sNew[i] = step.x()[i] - x[i];
                yNew[i] = step.gradient()[i] - g[i];
            }
            double sy = WolfeLineSearch.dot(sNew, yNew);
            double yy = WolfeLineSearch.dot(yNew, yNew);
            double fPrev = fx;
            x = step.x();
            g = step.gradient();
            fx = step.value();
            if (sy > 1e-12 * yy && yy > 0) {
                newest = (newest + 1) % m;
                s[newest] = sNew;
                y[newest] = yNew;
                rho[newest] = 1.0 / sy;
                stored = Math.min(stored + 1, m);
            }
            double rel = (fPrev - fx) / Math.max(Math.max(Math.abs(fPrev), Math.abs(fx)), 1.0);
            if (rel <= options.relativeTolerance()) {
                return new Result(x, fx, maxAbs(g), iter, evaluations, Stop.RELATIVE_TOLERANCE);
            }
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static double norm2(double[] v) {
        return Math.sqrt(WolfeLineSearch.dot(v, v));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double a, double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= a;
        }
    }
}

package ai.hypnos.eval.optim;

/**
 * A line search that returns a step satisfying the strong Wolfe conditions
 * (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithms 3.5 and 3.6):
 * sufficient decrease {@code φ(α) ≤ φ(0) + c₁αφ'(0)} and curvature {@code |φ'(α)| ≤ c₂|φ'(0)|},
 * where {@code φ(α) = f(x + αp)}.
 *
 * <p>The curvature condition is what keeps L-BFGS's curvature pairs positive ({@code sᵀy > 0}),
 * so the quasi-Newton matrix stays positive definite. Trial steps are chosen by safeguarded cubic
 * interpolation inside the bracket.
 */
final class WolfeLineSearch {
    /** Outcome: the accepted step, with the point, value and gradient there. */
    record Step(boolean found, double alpha, double value, double[] x, double[] gradient, int evaluations) {
    }

    private final DifferentiableFunction f;
    private final double c1;
    private final double c2;
    private final int maxEvaluations;

    WolfeLineSearch(DifferentiableFunction f, double c1, double c2, int maxEvaluations) {
        if (!(0 < c1 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("need 0 < c1 < c2 < 1, got c1=" + c1 + ", c2=" + c2);
        }
        this.f = f;
        this.c1 = c1;
        this.c2 = c2;
        this.maxEvaluations = maxEvaluations;
    }

    /** One trial point along the search line. */
    private final class Trial {
        final double alpha;
        final double value;
        final double slope;
        final double[] x;
        final double[] gradient;

        Trial(double alpha, double[] x0, double[] direction) {
            int n = x0.length;
            this.alpha = alpha;
            this.x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = x0[i] + alpha * direction[i];
            }
            this.gradient = new double[n];
            this.value = f.valueAndGradient(x, gradient);
            this.slope = dot(gradient, direction);
        }

        boolean finite() {
            return Double.isFinite(value) && Double.isFinite(slope);
        }
    }

    /**
     * Searches along {@code direction} from {@code x0}.
     *
     * @param value0 f(x0)
     * @param slope0 ∇f(x0)·direction; must be negative (a descent direction)
     * @param alpha0 first trial step
     */
    Step search(double[] x0, double value0, double slope0, double[] direction, double alpha0) {
        if (!(slope0 < 0)) {
            return new Step(false, 0, value0, x0, null, 0);
        }
        int evals = 0;
        double prevAlpha = 0;
        double prevValue = value0;
        double prevSlope = slope0;
        Trial prev = null;
        double alpha = alpha0;
        while (evals < maxEvaluations) {
            Trial t = new Trial(alpha, x0, direction);
            evals++;
            if (!t.finite()) {
                // Overflow (e.g. exp of a huge logit): shrink towards the last good step.
                alpha = prevAlpha + 0.1 * (alpha - prevAlpha);
                continue;
            }
            if (t.value > value0 + c1 * t.alpha * slope0 || (prev != null && t.value >= prevValue)) {
                return zoom(x0, value0, slope0, direction, prevAlpha, prevValue, prevSlope, prev, t.alpha, t.value, t.slope, evals);
            }
            if (Math.abs(t.slope) <= -c2 * slope0) {
                return new Step(true, t.alpha, t.value, t.x, t.gradient, evals);
            }
            if (t.slope >= 0) {
                return zoom(x0, value0, slope0, direction, t.alpha, t.value, t.slope, t, prevAlpha, prevValue, prevSlope, evals);
            }
            prevAlpha = t.alpha;
            prevValue = t.value;
            prevSlope = t.slope;
            prev = t;
            alpha = t.alpha * 2.0; // expand until the minimum along the line is bracketed
        }
        return prev == null ? new Step(false, 0, value0, x0, null, evals)
                : new Step(prev.value < value0, prev.alpha, prev.value, prev.x, prev.gradient, evals);
    }

    /**
     * Narrows a bracket that contains a strong-Wolfe step. {@code lo} is the end with the lower
     * value (its trial, or {@code null} for the origin); {@code hi} the other end.
     */
    private Step zoom(double[] x0, double value0, double slope0, double[] direction,
                      double loAlpha, double loValue, double loSlope, Trial loTrial,
                      double hiAlpha, double hiValue, double hiSlope, int evals) {
        Trial best = loTrial;
        while (evals < maxEvaluations) {
            double alpha = cubicMinimizer(loAlpha, loValue, loSlope, hiAlpha, hiValue, hiSlope);
            double lo = Math.min(loAlpha, hiAlpha);
            double width = Math.abs(hiAlpha - loAlpha);
            if (width <= 1e-16 * Math.max(1, Math.abs(hiAlpha))) {
                break;
            }
            // Safeguard: stay inside the bracket, away from its ends.
            if (!(alpha > lo + 0.1 * width && alpha < lo + 0.9 * width)) {
                alpha = 0.5 * (loAlpha + hiAlpha);
            }
            Trial t = new Trial(alpha, x0, direction);
            evals++;
            if (!t.finite() || t.value > value0 + c1 * alpha * slope0 || t.value >= loValue) {
                hiAlpha = alpha;
                hiValue = t.finite() ? t.value : Double.MAX_VALUE;
                hiSlope = t.finite() ? t.slope : 0;
            } else {
                if (Math.abs(t.slope) <= -c2 * slope0) {
                    return new Step(true, t.alpha, t.value, t.x, t.gradient, evals);
                }
                if (t.slope * (hiAlpha - loAlpha) >= 0) {
                    hiAlpha = loAlpha;
                    hiValue = loValue;
                    hiSlope = loSlope;
                }
                loAlpha = alpha;
                loValue = t.value;
                loSlope = t.slope;
                best = t;
            }
        }
        // No strong-Wolfe point within the budget: accept the best decrease, if any.
        if (best != null && best.value < value0) {
            return new Step(true, best.alpha, best.value, best.x, best.gradient, evals);
        }
        return new Step(false, 0, value0, x0, null, evals);
    }

    /** Minimiser of the cubic through two points with values and slopes (NaN if none). */
    static double cubicMinimizer(double a, double fa, double da, double b, double fb, double db) {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - da * db;
        if (!(disc >= 0) || !Double.isFinite(fb)) {
            return Double.NaN;
        }
        double d2 = Math.signum(b - a) * Math.sqrt(disc);
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

package ai.hypnos.eval.optim;

/** A smooth objective {@code f: Rⁿ → R} that returns its value and fills its gradient. */
@FunctionalInterface
public interface DifferentiableFunction {
    /**
     * Evaluates the function at {@code x}.
     *
     * @param x        the point (not modified)
     * @param gradient receives ∇f(x); same length as {@code x}
     * @return f(x)
     */
    double valueAndGradient(double[] x, double[] gradient);
}

package ai.hypnos.eval.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** L-BFGS and its strong-Wolfe line search on functions with known minima. */
class LbfgsTest {

    /** Rosenbrock in n dimensions: minimum 0 at (1, ..., 1); curved valley, hard for gradient descent. */
    private static double rosenbrock(double[] x, double[] g) {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * x[i] * a - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    @Test
    void minimisesRosenbrock() {
        double[] x0 = new double[10];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = i % 2 == 0 ? -1.2 : 1.0;
        }
        Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().withGradientTolerance(1e-9)).minimize(LbfgsTest::rosenbrock, x0);
        assertTrue(r.converged(), r.stop() + " after " + r.iterations());
        for (double v : r.x()) {
            assertEquals(1.0, v, 1e-6);
        }
        assertTrue(r.iterations() < 200, "iterations " + r.iterations());
    }

    @Test
    void solvesIllConditionedQuadratic() {
        // f = ½ Σ λᵢ (xᵢ - cᵢ)² with condition number 1e4.
        int n = 50;
        double[] lambda = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.pow(10, 4.0 * i / (n - 1));
            c[i] = Math.sin(i);
        }
        DifferentiableFunction f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < n; i++) {
                double d = x[i] - c[i];
                v += 0.5 * lambda[i] * d * d;
                g[i] = lambda[i] * d;
            }
            return v;
        };
        // scipy's L-BFGS-B (maxcor 10) needs 899 iterations for gtol 1e-8 on this problem; we need about as many.
        Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().withGradientTolerance(1e-8).withMaxIterations(3000))
                .minimize(f, new double[n]);
        assertTrue(r.converged(), r.stop() + " after " + r.iterations() + ", max |g| " + r.gradientNorm());
        for (int i = 0; i < n; i++) {
            assertEquals(c[i], r.x()[i], 1e-8);
        }
    }

    @Test
    void lineSearchReturnsStrongWolfeStep() {
        // φ(α) = f(x0 + α p) for f(x) = x⁴ - 3x², from x0 = 0.1 downhill.
        DifferentiableFunction f = (x, g) -> {
            g[0] = 4 * Math.pow(x[0], 3) - 6 * x[0];
            return Math.pow(x[0], 4) - 3 * x[0] * x[0];
        };
        double[] x0 = {0.1};
        double[] g0 = new double[1];
        double f0 = f.valueAndGradient(x0, g0);
        double[] p = {1.0};
        double slope0 = g0[0] * p[0];
        double c1 = 1e-4;
        double c2 = 0.9;
        for (double alpha0 : new double[] {1e-3, 1.0, 50.0}) {
            WolfeLineSearch.Step s = new WolfeLineSearch(f, c1, c2, 40).search(x0, f0, slope0, p, alpha0);
            assertTrue(s.found(), "alpha0 " + alpha0);
            assertTrue(s.value() <= f0 + c1 * s.alpha() * slope0, "sufficient decrease");
            assertTrue(Math.abs(s.gradient()[0] * p[0]) <= c2 * Math.abs(slope0), "curvature");
        }
    }

    @Test
    void cubicInterpolationFindsQuadraticMinimum() {
        // q(a) = (a - 2)²: values and slopes at 0 and 3.
        double m = WolfeLineSearch.cubicMinimizer(0, 4, -4, 3, 1, 2);
        assertEquals(2.0, m, 1e-12);
    }
}

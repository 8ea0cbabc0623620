package ai.hypnos.core.preprocess;

/**
 * The little complex arithmetic the IIR design needs (poles and zeros of a Butterworth
 * prototype and their transforms). Operations follow C99/numpy semantics closely enough that
 * filter coefficients agree with scipy to rounding.
 */
record Complex(double re, double im) {
    static final Complex ZERO = new Complex(0, 0);
    static final Complex ONE = new Complex(1, 0);

    static Complex real(double re) {
        return new Complex(re, 0);
    }

    Complex plus(Complex o) {
        return new Complex(re + o.re, im + o.im);
    }

    Complex minus(Complex o) {
        return new Complex(re - o.re, im - o.im);
    }

    Complex times(Complex o) {
        return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex times(double s) {
        return new Complex(re * s, im * s);
    }

    /** Division by Smith's algorithm, as numpy does, to avoid overflow for large parts. */
    Complex div(Complex o) {
        double a = re;
        double b = im;
        double c = o.re;
        double d = o.im;
        if (Math.abs(c) >= Math.abs(d)) {
            if (c == 0 && d == 0) {
                return new Complex(a / Math.abs(c), b / Math.abs(d));
            }
            double rat = d / c;
            double scl = 1.0 / (c + d * rat);
            return new Complex((a + b * rat) * scl, (b - a * rat) * scl);
        }
        double rat = c / d;
        double scl = 1.0 / (d + c * rat);
        return new Complex((a * rat + b) * scl, (b * rat - a) * scl);
    }

    Complex negate() {
        return new Complex(-re, -im);
    }

    Complex conj() {
        return new Complex(re, -im);
    }

    double abs() {
        return Math.hypot(re, im);
    }

    boolean isReal() {
        return im == 0.0;
    }

    /** Principal square root (branch cut on the negative real axis, as C99 {@code csqrt}). */
    Complex sqrt() {
        if (re == 0 && im == 0) {
            return new Complex(0, im);
        }
        double t = Math.sqrt((Math.abs(re) + Math.hypot(re, im)) / 2);
        if (re >= 0) {
            return new Complex(t, im / (2 * t));
        }
        return new Complex(Math.abs(im) / (2 * t), Math.copySign(t, im));
    }
}

package ai.hypnos.core.preprocess;

/**
 * The seeded test signal of {@code preprocess_golden.py} ({@code synth}), computed the same way
 * here so that pipeline goldens need not store their inputs: rhythms at 1.3 and 10.5 Hz, 50 and
 * 60 Hz line noise, a slow drift, an offset, splitmix64 noise, and 1-s bursts every 90 s.
 */
final class SynthSignal {
    private SynthSignal() {
    }

    static double[] generate(int n, double fs, long seed) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / fs;
            double u = noise(seed, i);
            double v = 40.0
                    + 30.0 * Math.sin(2 * Math.PI * 1.3 * t)
                    + 12.0 * Math.sin(2 * Math.PI * 10.5 * t + 0.4)
                    + 8.0 * Math.sin(2 * Math.PI * 50.0 * t)
                    + 6.0 * Math.sin(2 * Math.PI * 60.0 * t)
                    + 20.0 * Math.sin(2 * Math.PI * 0.03 * t)
                    + 15.0 * u;
            if (Math.floor(t) % 90.0 == 89.0) {
                v += 500.0 * u;
            }
            x[i] = v;
        }
        return x;
    }

    /** splitmix64 of (seed, i) mapped to [-1, 1). */
    static double noise(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
    }
}

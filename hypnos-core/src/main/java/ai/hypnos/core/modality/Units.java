package ai.hypnos.core.modality;

import java.util.Locale;

/** Scale factors between the voltage units recordings use (V, mV, µV, nV). */
final class Units {
    private Units() {
    }

    /**
     * The factor that converts a value in {@code from} to {@code to} (1000 from mV to µV), 1 when
     * the unit strings are equal, NaN when they differ and one is not a known voltage unit.
     */
    static double scale(String from, String to) {
        if (from.strip().equalsIgnoreCase(to.strip())) {
            return 1;
        }
        double a = volts(from);
        double b = volts(to);
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a / b;
    }

    private static double volts(String unit) {
        String u = unit.strip().replace('\u00b5', 'u').replace('\u03bc', 'u').toLowerCase(Locale.ROOT);
        return switch (u) {
            case "v", "volt", "volts" -> 1;
            case "mv" -> 1e-3;
            case "uv", "microv", "microvolt", "microvolts" -> 1e-6;
            case "nv" -> 1e-9;
            default -> Double.NaN;
        };
    }
}
